"""Web Push, end to end: real events, the real worker, a real push service on loopback.

The push service decrypts what it receives with the keys the "browser" made, as the
browser would; the test reads the plaintext and checks it says only that something
happened, in the member's language, with no name, address, area or amount.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, time, timedelta

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.utils import timezone

from plans_fixtures import carrier_of, carrying, plan_now, volunteer  # noqa: F401
from push_service import PushService
from sinfronteras.assembly.models import Participation, Proposal
from sinfronteras.notify.jobs import deliver
from sinfronteras.notify.models import PushSubscription
from sinfronteras.notify.push import public_key
from sinfronteras.notify.services import do_subscribe
from sinfronteras.plans.addresses import do_seal_address
from sinfronteras.plans.alerts import do_lift_alert, do_raise_alert
from sinfronteras.plans.housekeeping import do_housekeeping
from sinfronteras.plans.lifecycle import do_accept
from sinfronteras.plans.models import Task
from sinfronteras.plans.task_messages import do_post_message

pytestmark = pytest.mark.django_db(transaction=True)  # the worker closes its connections

ADDRESS = "1200 Calle Familia, apt 3 (addrprobe-91c)"
MESSAGE = "Soy Bob, llego a las 10 al 1200 de Calle Familia con 5 kg de comida"
SENTENCES = {
    "en": {"task_proposed": "You have a new task.",
           "need_on_its_way": "What you asked for is on its way.",
           "task_message": "You have a new message on one of your tasks.",
           "alert_raised": "An alert was raised near you: deliveries there are paused.",
           "alert_lifted": "An alert near you was lifted.",
           "vote_closes_tomorrow": "A vote you can take part in closes tomorrow.",
           "carry_planned": "A carrier will pick up something you give: see where and when."},
    "es": {"task_proposed": "Tienes una tarea nueva.",
           "need_on_its_way": "Lo que pediste va en camino.",
           "task_message": "Tienes un mensaje nuevo en una de tus tareas.",
           "alert_raised": "Hay una alerta cerca de ti: las entregas allí están en pausa.",
           "alert_lifted": "Se levantó una alerta cerca de ti.",
           "vote_closes_tomorrow": "Una votación en la que puedes participar cierra mañana.",
           "carry_planned": "Una persona recogerá algo que das: mira dónde y cuándo."},
}


@pytest.fixture(autouse=True)
def keys(settings, tmp_path):
    settings.SEAL_KEYS = [Fernet.generate_key().decode()]
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    settings.VAPID_KEY_FILE = str(tmp_path / "vapid.pem")  # made on first use, as on a laptop
    settings.PUSH_LOOPBACK_FOR_TESTS = True  # the push service of these tests is on 127.0.0.1


@pytest.fixture
def push():
    with PushService() as service:
        yield service


def subscribe(member, device):
    return do_subscribe(member, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth)


def run_worker():
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay")


def secrets_of(la, *members):
    """Everything a note must never say: names, areas, the address, resources, the title."""
    words = [ADDRESS, "Calle Familia", "1200", "Buy a van", "kg", "Food", "Comida"]
    words += [a.name for a in la.areas.all()]
    for member in members:
        words += [member.username, member.display_name]
    return words


def assert_says_nothing(note, forbidden):
    assert set(note) == {"kind", "title", "body", "url"}
    text = f"{note['title']} {note['body']}"
    assert not re.search(r"\d", text), text  # no amount, no number of anything
    for word in forbidden:
        assert word.lower() not in text.lower(), word
        assert word.lower() not in note["url"].lower(), word
    assert re.fullmatch(r"/[a-z]+/([0-9]+/)?", note["url"]), note["url"]


def test_every_kind_of_note_reaches_its_people_encrypted_generic_and_in_their_language(
        push, la, alice, bob, carla, need_of, offer_of, volunteer, carrier_of, caplog):
    carla.language = "es"
    carla.save()
    driver = volunteer("Koreatown")
    people = {"bob": bob, "carla": carla, "driver": driver}
    devices = {name: push.device(name) for name in people}
    for name, member in people.items():
        subscribe(member, devices[name])
    need = need_of(carla, "food", 5)
    do_seal_address(need, ADDRESS)
    offer_of(bob, ["food"], 5)
    carrier_of(driver, 3)
    caplog.set_level(logging.DEBUG)

    run = plan_now(la, alice)  # proposes a carry to the driver
    assert run.status == "done", run.error
    task = Task.objects.get(need=need)
    do_accept(driver, task)  # carla's food is on its way
    do_post_message(driver, task, MESSAGE)  # bob and carla are told
    alert = do_raise_alert(bob, la.areas.get(name="Boyle Heights"), 6)  # carla (alice: no device)
    do_lift_alert(bob, alert)
    tomorrow = timezone.localtime().date() + timedelta(days=1)
    proposal = Proposal.objects.create(collective=la, author=alice, title="Buy a van for Boyle Heights",
                                       kind="majority", closes_at=timezone.make_aware(
                                           datetime.combine(tomorrow, time(18))))
    Participation.objects.create(proposal=proposal, member=driver)  # voted: not reminded
    assert do_housekeeping()["closing_reminders"] == 1
    assert do_housekeeping()["closing_reminders"] == 0  # once
    run_worker()

    kinds = {name: [] for name in devices}
    forbidden = secrets_of(la, alice, bob, carla, driver) + [MESSAGE, "llego"]
    for name, device in devices.items():
        language = "es" if name == "carla" else "en"
        for received in push.to(device):
            assert received.headers["content-encoding"] == "aes128gcm"
            assert int(received.headers["ttl"]) > 0
            assert received.claims["aud"] == push.origin
            # Nothing readable on the wire either (words long enough that random ciphertext
            # cannot hold them by chance; the decrypted note is checked for every word).
            for word in (w for w in forbidden if len(w.encode()) >= 8):
                assert word.encode() not in received.body
            note = device.decrypt(received.body)
            assert note["title"] == "sinfronteras"
            assert note["body"] == SENTENCES[language][note["kind"]]
            assert_says_nothing(note, forbidden)
            kinds[name].append(note["kind"])
    assert sorted(kinds["driver"]) == ["task_proposed"]
    assert sorted(kinds["bob"]) == ["carry_planned", "task_message", "vote_closes_tomorrow"]
    assert sorted(kinds["carla"]) == ["alert_lifted", "alert_raised", "need_on_its_way",
                                      "task_message", "vote_closes_tomorrow"]
    assert {r.vapid_key for r in push.received} == {public_key()}  # signed with our key
    logged = caplog.text
    for device in devices.values():
        assert device.endpoint not in logged and device.p256dh not in logged
    assert "push: 1 sent, 0 gone, 0 refused, 0 to retry" in logged


def test_a_subscription_the_push_service_reports_gone_is_deleted(push, bob):
    device = push.device("bob")
    subscribe(bob, device)
    push.answers["/push/bob"] = [410]
    assert deliver.call(bob.pk, "task_proposed", "/tasks/", "push") == "gone"
    assert not PushSubscription.objects.filter(member=bob).exists()
    assert len(push.to(device)) == 1
    assert deliver.call(bob.pk, "task_proposed", "/tasks/", "push") == "gone"  # nothing to send to
    assert len(push.to(device)) == 1


def test_a_push_service_error_is_retried_later_with_backoff_only_for_the_device_that_failed(push, bob):
    from django_tasks_db.models import DBTaskResult

    down, up = push.device("bob-phone"), push.device("bob-laptop")
    subscribe(bob, down)
    subscribe(bob, up)
    push.answers["/push/bob-phone"] = [500, 503]
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert deliver.call(bob.pk, "need_on_its_way", "/needs/", "push") == "retry"
        assert (len(push.to(down)), len(push.to(up))) == (1, 1)
        again = DBTaskResult.objects.get(status="READY")
        assert again.run_after == start + timedelta(minutes=1)
        assert again.args_kwargs["args"][4:] == [1, [str(PushSubscription.objects.get(endpoint=down.endpoint).pk)]]
        run_worker()  # too early: nothing runs
        assert len(push.to(down)) == 1
        clock.shift(timedelta(minutes=1, seconds=1))
        run_worker()  # the second try fails too (503): the third waits 2 minutes
        assert (len(push.to(down)), len(push.to(up))) == (2, 1)
        third = DBTaskResult.objects.get(status="READY")
        assert third.run_after == timezone.now() + timedelta(minutes=2)
        clock.shift(timedelta(minutes=2, seconds=1))
        run_worker()
    assert (len(push.to(down)), len(push.to(up))) == (3, 1)  # the laptop got it once, only once
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2
    assert down.decrypt(push.to(down)[-1].body)["kind"] == "need_on_its_way"
    assert PushSubscription.objects.filter(member=bob).count() == 2


def test_a_note_is_given_up_after_five_tries(push, bob):
    subscribe(bob, push.device("bob"))
    push.answers["/push/bob"] = [500] * 10
    assert deliver.call(bob.pk, "task_proposed", "/tasks/", "push", 4, None) == "given up"
    assert len(push.received) == 1
