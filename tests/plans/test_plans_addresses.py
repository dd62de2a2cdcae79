"""Sealed addresses: only ciphertext stored, readable by one carrier in one window,
destroyed after, keys rotated; and the leak test of DESIGN.md's "must never"."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from leaks import capture_every_log, dump_database
from plans_fixtures import carrier_of, carrying, plan_now, volunteer  # noqa: F401
from sinfronteras.plans import lifecycle
from sinfronteras.plans.addresses import do_seal_address, readable_address
from sinfronteras.plans.housekeeping import do_housekeeping
from sinfronteras.plans.models import SealedAddress, Task

ADDRESS = "4471 Calle Secreta Apt 9 — leakprobe-7c1e"
PROBES = ("leakprobe-7c1e", "Calle Secreta", "4471 Calle")


@pytest.fixture(autouse=True)
def seal_key(settings):
    settings.SEAL_KEYS = [Fernet.generate_key().decode()]
    return settings.SEAL_KEYS[0]


@pytest.fixture
def delivery(la, alice, bob, carla, need_of, offer_of, volunteer, carrier_of):
    """Carla needs food in Boyle Heights; bob gives it in Echo Park; a volunteer in
    Koreatown carries it. The plan proposes the carry to the volunteer."""
    need = need_of(carla, "food", 5)
    offer_of(bob, ["food"], 5)
    driver = volunteer("Koreatown")
    carrier_of(driver, 3)
    run = plan_now(la, alice)
    assert run.status == "done", run.error
    task = Task.objects.get(run=run, need=need)
    assert (task.kind, task.state, task.carrier_id) == ("carry", "proposed", driver.pk)
    return need, task, driver


def test_the_database_holds_only_ciphertext_and_the_carrier_reads_it_only_when_accepted_in_window(
        delivery, alice, bob, carla, volunteer):
    need, task, driver = delivery
    do_seal_address(need, ADDRESS)
    sealed = SealedAddress.objects.get(need=need)
    raw = bytes(sealed.ciphertext)
    assert all(probe.encode() not in raw for probe in PROBES)
    assert ADDRESS not in str(sealed) and ADDRESS not in repr(sealed)
    stranger = volunteer("Koreatown")

    assert readable_address(driver, task) is None  # proposed, not accepted
    lifecycle.do_accept(driver, task)
    task.refresh_from_db()
    assert readable_address(driver, task) == ADDRESS
    for other in (alice, bob, carla, stranger):  # coordinator, giver, the person, anyone
        assert readable_address(other, task) is None
    with time_machine.travel(task.window_start - timedelta(minutes=5)):
        assert readable_address(driver, task) is None  # before the window
    with time_machine.travel(task.window_end + timedelta(seconds=1)):
        assert readable_address(driver, task) is None  # after it
    with time_machine.travel(task.window_end - timedelta(seconds=1)):
        assert readable_address(driver, task) == ADDRESS

    lifecycle.do_done(driver, task)

    assert not SealedAddress.objects.filter(need=need).exists()
    task.refresh_from_db()
    assert readable_address(driver, task) is None


def test_a_declined_task_no_longer_reads_the_address(delivery):
    need, task, driver = delivery
    do_seal_address(need, ADDRESS)
    lifecycle.do_accept(driver, task)
    lifecycle.do_decline(driver, Task.objects.get(pk=task.pk))
    assert readable_address(driver, Task.objects.get(pk=task.pk)) is None


def test_housekeeping_destroys_an_address_whose_window_passed_unused(delivery):
    need, task, driver = delivery
    do_seal_address(need, ADDRESS)
    lifecycle.do_accept(driver, task)
    assert do_housekeeping()["addresses_destroyed"] == 0  # the window is still on
    assert SealedAddress.objects.filter(need=need).exists()

    with time_machine.travel(task.window_end + timedelta(minutes=1)):
        result = do_housekeeping()

    assert result["tasks_expired"] == 1 and result["addresses_destroyed"] == 1
    assert not SealedAddress.objects.filter(need=need).exists()
    assert Task.objects.get(pk=task.pk).state == "expired"


def test_an_address_sealed_with_an_old_key_still_reads_after_rotation_to_a_new_one(
        delivery, settings, seal_key):
    need, task, driver = delivery
    do_seal_address(need, ADDRESS)
    before = bytes(SealedAddress.objects.get(need=need).ciphertext)
    lifecycle.do_accept(driver, task)
    task.refresh_from_db()
    new_key = Fernet.generate_key().decode()
    settings.SEAL_KEYS = [new_key]
    assert readable_address(driver, task) is None  # the new key alone cannot open it yet

    settings.SEAL_KEYS = [new_key, seal_key]
    out = io.StringIO()
    call_command("rotatekeys", stdout=out)
    assert "Re-sealed 1" in out.getvalue()

    settings.SEAL_KEYS = [new_key]
    assert readable_address(driver, task) == ADDRESS
    assert bytes(SealedAddress.objects.get(need=need).ciphertext) != before
    settings.SEAL_KEYS = [seal_key]
    assert readable_address(driver, task) is None  # the old key no longer opens it


def test_rotation_stops_when_a_sealed_address_opens_with_no_configured_key(delivery, settings):
    from django.core.management.base import CommandError

    need, _, _ = delivery
    do_seal_address(need, ADDRESS)
    before = bytes(SealedAddress.objects.get(need=need).ciphertext)
    settings.SEAL_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError):
        call_command("rotatekeys", stdout=io.StringIO())
    assert bytes(SealedAddress.objects.get(need=need).ciphertext) == before  # kept as it was


# ----------------------------------------------------------------------- the leak test


def every_model_as_text() -> str:
    return "\n".join(str(obj) for model in apps.get_models() for obj in model.objects.all())


@pytest.fixture
def everything_logged(settings):
    settings.DEBUG = True  # SQL with its parameters goes to django.db.backends too
    with capture_every_log() as seen:
        yield seen


def assert_no_probe(text, where):
    for probe in PROBES:
        assert probe not in text, f"the address leaked into {where}"


def test_an_address_entered_by_the_person_in_need_is_found_nowhere_but_the_carriers_task_page(
        client, delivery, la, alice, bob, carla, volunteer, everything_logged, capfd):
    need, task, driver = delivery
    stranger = volunteer("Koreatown")
    urls = []

    def get(member, url):
        client.force_login(member)
        urls.append(url)
        response = client.get(url)
        return response.status_code, response.content.decode()

    def pages(member):
        """Every page a member could open, by URL."""
        listed = [reverse("home"), reverse("needs"), reverse("offers"), reverse("plans:tasks"),
                  "/api/needs", "/api/offers", f"/api/needs/{need.pk}",
                  reverse("plans:need_address", args=[need.pk])]
        listed += [reverse("plans:task", args=[t.pk]) for t in Task.objects.all()]
        if member.is_coordinator:
            listed.append(reverse("plans:plan"))
        return {url: get(member, url) for url in listed}

    # Carla enters it through the page.
    client.force_login(carla)
    url = reverse("plans:need_address", args=[need.pk])
    urls.append(url)
    response = client.post(url, {"address": ADDRESS})
    assert response.status_code == 302
    urls.append(response["Location"])
    assert SealedAddress.objects.filter(need=need).exists()
    # The driver accepts through the page.
    client.force_login(driver)
    url = reverse("plans:task_action", args=[task.pk, "accept"])
    urls.append(url)
    assert client.post(url).status_code == 302
    assert Task.objects.get(pk=task.pk).state == "accepted"

    task_page = reverse("plans:task", args=[task.pk])
    for member in (alice, bob, carla, driver, stranger):
        for url, (status, html) in pages(member).items():
            if member == driver and url == task_page:
                assert status == 200 and ADDRESS in html, "the carrier must read it in the window"
            else:
                assert_no_probe(html, f"{url} as {member.username} ({status})")
    # Outside the window, the carrier's page shows it no more.
    current = Task.objects.get(pk=task.pk)
    with time_machine.travel(current.window_end + timedelta(seconds=5)):
        assert_no_probe(get(driver, task_page)[1], "the task page after the window")
    with time_machine.travel(current.window_start - timedelta(minutes=5)):
        assert_no_probe(get(driver, task_page)[1], "the task page before the window")

    out, err = capfd.readouterr()
    places = {"the database": dump_database(), "the logs": everything_logged.getvalue(),
              "stdout": out, "stderr": err, "a URL": "\n".join(urls),
              "a model's string form": every_model_as_text()}
    assert "SealedAddress" in places["the logs"] or "plans_sealedaddress" in places["the logs"]
    for where, text in places.items():
        assert_no_probe(text, where)

    # Done: gone from the carrier's page and from the database.
    client.force_login(driver)
    assert client.post(reverse("plans:task_action", args=[task.pk, "done"]), {"confirm": "yes"}).status_code == 302
    assert Task.objects.get(pk=task.pk).state == "done"
    status, html = get(driver, task_page)
    assert status == 200
    assert_no_probe(html, "the carrier's task page after done")
    assert not SealedAddress.objects.exists()
    for member in (alice, carla, driver):
        for url, (_, html) in pages(member).items():
            assert_no_probe(html, f"{url} as {member.username} after done")
    assert_no_probe(dump_database(), "the database after done")
    assert_no_probe(json.dumps(everything_logged.getvalue()), "the logs after done")
