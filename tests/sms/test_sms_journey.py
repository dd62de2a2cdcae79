"""End to end through real HTTP: the loopback gateway posts signed webhooks to the live
site, and the site's worker sends SMS through the gateway's API.

A family asks for food by SMS, a driver is told of the task by SMS and accepts it by
SMS; a forged or stale webhook is refused and leaves nothing; a stranger gets one
neutral reply; and the numbers are nowhere in clear (database file, rows, dump, logs).
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from conftest import make_member
from leaks import capture_every_log, dump_database
from sms_fixtures import (  # noqa: F401
    CARLA, CARLA_E164, DRIVER, DRIVER_E164, STRANGER_E164, add_number, gateway, run_worker)

pytestmark = pytest.mark.django_db(transaction=True)

NEEDLES = [CARLA_E164, DRIVER_E164, "2135550147", "2135550199", "555-0147", "555 0199"]


@pytest.fixture
def webhook(live_server, gateway):
    """The operator registers the site's webhook with the gateway, as docs/operators.md says."""
    hook = gateway.register_webhook(f"{live_server.url}/sms/webhook/")
    assert hook["event"] == "sms:received"
    return hook


@pytest.fixture
def driver(la, password_hash):
    from sinfronteras.sharing.models import Offer, Resource

    carrying = Resource.objects.create(collective=la, key="carrying", name_en="Carrying",
                                       name_es="Transporte", unit="hours", carries=True)
    member = make_member(la, "driver", "Koreatown", password_hash=password_hash, language="es")
    offer = Offer.objects.create(collective=la, posted_by=member, quantity=3, area=member.area)
    offer.resources.set([carrying])
    return member


def database_file_bytes(tmp_path) -> bytes:
    """The database as a file: SQLite copies itself (VACUUM INTO); PostgreSQL has rows only."""
    if connection.vendor != "sqlite":
        return dump_database().encode()
    path = tmp_path / "copy.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])
    return path.read_bytes()


def dumpdata() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def test_a_need_by_sms_becomes_a_task_told_and_accepted_by_sms_and_no_number_leaks(
        webhook, gateway, la, alice, bob, carla, driver, offer_of, settings, capfd, tmp_path):
    from django.apps import apps

    from sinfronteras.plans.models import Task
    from sinfronteras.plans.runs import do_request_run, execute_run
    from sinfronteras.sharing.models import Need

    settings.DEBUG = True  # SQL with its parameters goes to the logs too
    with capture_every_log() as logs:
        add_number(carla, CARLA)
        add_number(driver, DRIVER)
        offer_of(bob, ["food"], 8)

        assert gateway.receive(CARLA_E164, "Comida 3 urgente") == [200]
        assert gateway.sent == [] and not Need.objects.exists()  # the webhook only queues it
        run_worker()
        need = Need.objects.get(posted_by=carla)
        assert (need.resource.key, need.quantity, need.urgent, need.area.name) == (
            "food", Decimal(3), True, "Boyle Heights")
        assert gateway.texts_to(CARLA_E164) == ["Asked for: FOOD 3, urgent. Thank you for telling us."]

        run = execute_run(do_request_run(la, alice, enqueue=False).pk)
        task = Task.objects.get(run=run, need=need)
        assert (task.kind, task.carrier_id, task.state) == ("carry", driver.pk, "proposed")
        # The plan run itself tells the carrier, through the notify core's SMS channel.
        assert gateway.texts_to(DRIVER_E164) == []  # queued, not sent in the request
        run_worker()
        assert gateway.texts_to(DRIVER_E164) == [
            "Tienes una tarea nueva propuesta. Escribe TAREAS para verla."]

        assert gateway.receive(DRIVER_E164, "tareas") == [200]
        run_worker()
        assert gateway.texts_to(DRIVER_E164)[-1] == f"Tus tareas: {task.pk}: espera tu SI o NO."
        assert gateway.receive(DRIVER_E164, f"Sí {task.pk}") == [200]
        run_worker()
        task.refresh_from_db()
        assert task.state == "accepted"
        assert gateway.texts_to(DRIVER_E164)[-1] == (
            f"Tarea {task.pk} aceptada. ¡Gracias! Los detalles están en el sitio.")

    # What went out says nothing of who, where or how much beyond what was texted.
    said = "\n".join(m["text"] for m in gateway.sent).replace(str(task.pk), "<task>")  # its code
    for word in ("Carla", "Bob", "Alice", "Driver", "Boyle", "Echo Park", "Koreatown", "kg", "8"):
        assert word not in said, word
    out, err = capfd.readouterr()
    strings = "\n".join(str(obj) for model in apps.get_models() for obj in model.objects.all())
    places = {"the database file": database_file_bytes(tmp_path).decode("latin-1"),
              "the rows": dump_database(), "the dump": dumpdata(), "the logs": logs.getvalue(),
              "stdout": out, "stderr": err, "a string form": strings}
    assert "sms_smsnumber" in places["the logs"]  # the logs did see the writes
    for where, text in places.items():
        for needle in NEEDLES:
            assert needle not in text, f"a number leaked into {where}"


def test_a_forged_webhook_is_refused_and_stores_nothing(webhook, gateway, carla):
    from sinfronteras.sharing.models import Need

    add_number(carla, CARLA)
    before = dump_database()
    assert gateway.receive(CARLA_E164, "COMIDA 3 URGENTE", key="not-the-signing-key") == [403]
    assert gateway.receive(CARLA_E164, "ALERTA", timestamp=1_700_000_000) == [403]  # stale
    assert dump_database() == before
    assert not Need.objects.exists()
    run_worker()
    assert gateway.sent == []


def test_a_stranger_gets_one_neutral_reply_and_only_a_keyed_hash_is_kept(webhook, gateway, carla):
    from sinfronteras.sms.models import SmsSeen
    from sinfronteras.sms.numbers import sender_hash

    add_number(carla, CARLA)
    assert gateway.receive(STRANGER_E164, "COMIDA 3") == [200]
    assert gateway.receive(STRANGER_E164, "AYUDA") == [200]
    assert gateway.sent == []  # the webhook sent nothing: the worker answers
    run_worker()
    assert gateway.texts_to(STRANGER_E164) == ["Número equivocado. / Wrong number."]
    stranger = SmsSeen.objects.get(kind="stranger")
    assert stranger.key == sender_hash(STRANGER_E164)
    for needle in (STRANGER_E164, "3105550123", "COMIDA", "AYUDA"):
        assert needle not in dump_database()
    assert "Wrong" not in "".join(gateway.texts_to(CARLA_E164))


def test_the_same_event_sent_twice_is_handled_once(live_server, gateway, webhook, carla):
    from sinfronteras.sharing.models import Need

    import hashlib
    import hmac
    import json
    import time
    import urllib.request

    add_number(carla, CARLA)
    answers = []
    # The app retries an event it thinks was lost: same id, same body, new signature.
    body = json.dumps({"deviceId": gateway.device_id, "event": "sms:received", "id": "retry-1",
                       "payload": {"messageId": "m1", "message": "FOOD 2",
                                   "phoneNumber": CARLA_E164, "simNumber": 1,
                                   "receivedAt": "2026-12-02T05:00:00.000-08:00"},
                       "webhookId": webhook["id"]}).encode()
    for _attempt in range(2):
        stamp = str(int(time.time()))
        sig = hmac.new(gateway.signing_key.encode(), body + stamp.encode(), hashlib.sha256).hexdigest()
        request = urllib.request.Request(webhook["url"], data=body, method="POST", headers={
            "Content-Type": "application/json", "X-Signature": sig, "X-Timestamp": stamp})
        with urllib.request.urlopen(request, timeout=30) as response:
            answers.append(response.read())
    assert answers == [b"ok", b"seen"]
    run_worker()
    assert Need.objects.filter(posted_by=carla).count() == 1
