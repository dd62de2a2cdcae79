"""Preferences, quiet hours, subscriptions through the page, the worker script, the keys."""

from __future__ import annotations

import base64
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from conftest import Client
from push_service import Device
from sinfronteras.notify.channels import Channel, register, unregister
from sinfronteras.notify.events import KINDS, UnknownKind
from sinfronteras.notify.jobs import do_notify
from sinfronteras.notify.models import Preference, PushSubscription, quiet_at
from sinfronteras.notify.services import do_subscribe

LA = ZoneInfo("America/Los_Angeles")
ENDPOINT = "https://push.example.net/wpush/v2/secret-capability-7f3a"


@pytest.fixture(autouse=True)
def keys(settings, tmp_path):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    settings.VAPID_KEY_FILE = str(tmp_path / "vapid.pem")


@pytest.fixture
def device():
    return Device.make(ENDPOINT)


def queued():
    return list(DBTaskResult.objects.filter(task_path="sinfronteras.notify.jobs.deliver")
                .values_list("args_kwargs", flat=True))


def test_quiet_hours_may_span_midnight():
    assert quiet_at(time(23), time(22), time(7)) and quiet_at(time(6, 59), time(22), time(7))
    assert not quiet_at(time(7), time(22), time(7)) and not quiet_at(time(12), time(22), time(7))
    assert quiet_at(time(13), time(12), time(14)) and not quiet_at(time(14), time(12), time(14))


def test_a_note_is_queued_for_the_worker_never_sent_in_the_request(bob, device):
    do_subscribe(bob, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth)
    assert do_notify(bob, "task_proposed") == ["push"]
    assert [row["args"] for row in queued()] == [[bob.pk, "task_proposed", "/tasks/", "push"]]


def test_nothing_is_queued_for_a_kind_turned_off_in_quiet_hours_or_without_a_device(bob, device):
    assert do_notify(bob, "task_proposed") == []  # no device yet
    do_subscribe(bob, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth)
    Preference.objects.create(member=bob, kinds=["alert_raised"], quiet_start=time(22),
                              quiet_end=time(7))
    night, day = datetime(2026, 12, 9, 23, 30, tzinfo=LA), datetime(2026, 12, 9, 12, tzinfo=LA)
    assert do_notify(bob, "task_proposed", now=day) == []  # turned off
    assert do_notify(bob, "alert_raised", now=night) == []  # quiet hours
    assert do_notify(bob, "alert_raised", now=day) == ["push"]
    assert len(queued()) == 1
    with pytest.raises(UnknownKind):
        do_notify(bob, "party_tonight")


def test_another_channel_registers_and_gets_its_own_job(bob):
    class Pigeon(Channel):
        name = "pigeon"

        def wants(self, member, kind):
            return kind == "alert_raised"

    register(Pigeon())
    try:
        assert do_notify(bob, "alert_raised", "//evil.example/") == ["pigeon"]
        assert do_notify(bob, "task_proposed") == []
    finally:
        unregister("pigeon")
    assert queued()[0]["args"] == [bob.pk, "alert_raised", "/alerts/", "pigeon"]  # no other site


def test_hooks_tell_people_only_after_the_commit(bob, carla, need_of, django_capture_on_commit_callbacks):
    from sinfronteras.plans.alerts import do_raise_alert

    do_subscribe(carla, endpoint=ENDPOINT, p256dh=Device.make(ENDPOINT).p256dh, auth="A" * 22)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        do_raise_alert(bob, carla.area, 3)
    assert queued() == [] and len(callbacks) == 1
    callbacks[0]()  # the commit: one job for the whole area, expanded by the worker
    fan_out = DBTaskResult.objects.get(task_path="sinfronteras.notify.jobs.fan_out")
    assert fan_out.args_kwargs["args"] == [[carla.pk], "alert_raised", None]
    assert queued() == []
    fan_out.task.func(*fan_out.args_kwargs["args"])  # what the worker does with it
    assert [row["args"][:2] for row in queued()] == [[carla.pk, "alert_raised"]]


@pytest.mark.parametrize("language, words", [
    ("en", ["Notifications", "Tell me when", "A new task is proposed to you", "Quiet from",
            "Save notification settings", "Turn on notifications on this device"]),
    ("es", ["Avisos", "Avísame cuando", "Te proponen una tarea nueva", "Silencio desde",
            "Guardar los ajustes de avisos", "Encender los avisos en este dispositivo"]),
])
def test_the_account_page_shows_the_settings_in_the_members_language(client, bob, language, words):
    bob.language = language
    bob.save()
    client.force_login(bob)
    page = client.get("/account/").content.decode()
    for word in words:
        assert word in page
    assert 'src="/static/notify/push.js"' in page and "data-key=\"B" in page
    boxes = [line for line in page.split("<input") if 'name="kinds"' in line]
    assert len(boxes) == len(KINDS) and all(" checked" in box for box in boxes)  # all, by default


def test_preferences_are_saved_without_javascript_and_bad_times_are_refused(client, bob):
    client.force_login(bob)
    response = client.post("/account/notifications/", {"kinds": ["task_proposed", "alert_raised"],
                                                        "quiet_start": "22:00", "quiet_end": "07:00"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    saved = Preference.objects.get(member=bob)
    assert (saved.kinds, saved.quiet_start, saved.quiet_end) == (
        ["task_proposed", "alert_raised"], time(22), time(7))
    response = client.post("/account/notifications/", {"kinds": ["task_proposed"],
                                                        "quiet_start": "22:00"}, follow=True)
    assert "Give both times of the quiet hours, or neither." in response.content.decode()
    assert Preference.objects.get(member=bob).kinds == ["task_proposed", "alert_raised"]  # unchanged
    page = client.get("/account/").content.decode()
    assert 'value="22:00"' in page


def test_a_device_subscribes_through_the_page_with_csrf_and_its_endpoint_is_never_shown(bob, settings):
    settings.PUSH_LOOPBACK_FOR_TESTS = True  # a push service on this machine, as the tests have
    device = Device.make("http://127.0.0.1:9/wpush/v2/secret-capability-7f3a")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(bob)
    fields = {"endpoint": device.endpoint, "p256dh": device.p256dh, "auth": device.auth}
    assert strict.post("/account/notifications/push/", fields).status_code == 403  # no token
    page = strict.get("/account/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = strict.post("/account/notifications/push/", {**fields, "csrfmiddlewaretoken": token})
    assert response.status_code == 201 and response.json() == {"devices": 1}
    subscription = PushSubscription.objects.get(member=bob)
    assert (subscription.p256dh, subscription.auth) == (device.p256dh, device.auth)
    assert device.endpoint not in str(subscription) and device.endpoint not in repr(subscription)
    page = strict.get("/account/").content.decode()
    assert device.endpoint not in page and "Notifications are on for 1 device." in page
    bad = strict.post("/account/notifications/push/", {"endpoint": "not a url", "p256dh": "x",
                                                       "auth": "y", "csrfmiddlewaretoken": token})
    assert bad.status_code == 400 and bad.json()["fields"] == ["auth", "endpoint", "p256dh"]
    response = strict.post("/account/notifications/push/off/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and not PushSubscription.objects.exists()


def test_a_device_another_member_has_is_refused_not_moved(bob, carla, device):
    from sinfronteras.notify.services import EndpointTaken

    do_subscribe(bob, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth)
    with pytest.raises(EndpointTaken):
        do_subscribe(carla, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth)
    assert list(PushSubscription.objects.values_list("member__username", flat=True)) == ["bob"]


def test_behind_https_a_push_service_address_must_be_https(settings, client, bob, device):
    settings.HTTPS = True
    client.force_login(bob)
    response = client.post("/account/notifications/push/", {
        "endpoint": "http://127.0.0.1:9/push", "p256dh": device.p256dh, "auth": device.auth})
    assert response.status_code == 400 and response.json()["fields"] == ["endpoint"]


def test_the_service_worker_is_ours_from_the_root_and_the_csp_allows_only_this_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert "showNotification" in body and "importScripts" not in body and "http" not in body
    csp = response["Content-Security-Policy"]
    assert "worker-src 'self'" in csp and "script-src 'self'" in csp and "*" not in csp


def test_newvapidkeys_prints_a_pair_that_signs_and_the_settings_take_it(settings, capsys, tmp_path):
    from sinfronteras.notify.push import _load, public_key

    call_command("newvapidkeys")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    assert len(base64.urlsafe_b64decode(lines["VAPID_PRIVATE_KEY"] + "=")) == 32
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = lines["VAPID_PRIVATE_KEY"], lines["VAPID_PUBLIC_KEY"]
    assert public_key() == lines["VAPID_PUBLIC_KEY"]
    call_command("newvapidkeys")
    settings.VAPID_PUBLIC_KEY = capsys.readouterr().out.split("VAPID_PUBLIC_KEY=")[1].strip()  # another's
    with pytest.raises(ImproperlyConfigured, match="does not belong"):
        public_key()
    settings.VAPID_PRIVATE_KEY = "not-a-key"
    with pytest.raises(ImproperlyConfigured, match="newvapidkeys"):
        public_key()
    _load.cache_clear()
    path = tmp_path / "made.pem"
    call_command("newvapidkeys", "--file", str(path))
    assert (path.stat().st_mode & 0o777) == 0o600
    with pytest.raises(Exception, match="exists already"):
        call_command("newvapidkeys", "--file", str(path))


def test_a_key_file_is_made_on_first_use_on_a_laptop_but_not_behind_https(settings, tmp_path):
    from sinfronteras.notify.push import public_key

    settings.VAPID_KEY_FILE = str(tmp_path / "laptop.pem")
    first = public_key()
    assert first.startswith("B") and (tmp_path / "laptop.pem").stat().st_mode & 0o777 == 0o600
    assert public_key() == first  # the same key next time
    settings.HTTPS = True
    settings.VAPID_KEY_FILE = str(tmp_path / "server.pem")
    assert public_key() == "" and not (tmp_path / "server.pem").exists()


def test_the_service_worker_is_served_before_a_coordinators_second_factor(alice):
    import django.test

    browser = django.test.Client()
    browser.force_login(alice)  # no second factor entered in this session
    assert browser.get("/account/").status_code == 302
    assert browser.get("/sw.js").status_code == 200
