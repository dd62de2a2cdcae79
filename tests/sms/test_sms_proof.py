"""A number is a member's only once its phone texts back the code sent to it, through the
gateway and the worker; the webhook itself sends nothing and waits on nothing; what it
must do once (an event, a stranger's reply) is a row with a unique key and an expiry."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from leaks import dump_database
from sms_fixtures import (  # noqa: F401
    CARLA, CARLA_E164, STRANGER_E164, add_number, gateway, run_worker)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def webhook(live_server, gateway):
    return gateway.register_webhook(f"{live_server.url}/sms/webhook/")


def code_sent_to(gateway, number) -> str:
    texts = [t for t in gateway.texts_to(number) if re.search(r"\d{6}", t)]
    assert texts, gateway.sent
    return re.search(r"\d{6}", texts[-1]).group(0)


def signed(client, gateway, sender, text, event_id):
    body = json.dumps({"deviceId": gateway.device_id, "event": "sms:received", "id": event_id,
                       "payload": {"messageId": "m", "message": text, "phoneNumber": sender,
                                   "simNumber": 1, "receivedAt": "2026-12-02T05:00:00.000Z"},
                       "webhookId": "w"}).encode()
    stamp = str(int(time.time()))
    sig = hmac.new(gateway.signing_key.encode(), body + stamp.encode(), hashlib.sha256).hexdigest()
    return client.post("/sms/webhook/", body, content_type="application/json",
                       headers={"X-Signature": sig, "X-Timestamp": stamp})


def test_a_number_becomes_the_members_when_its_phone_texts_the_code_back(
        client, webhook, gateway, carla, bob):
    from sinfronteras.sms.models import SmsClaim, SmsNumber
    from sinfronteras.sms.numbers import member_for_sender

    add_number(bob, CARLA)  # bob had the number; the phone is carla's now
    client.force_login(carla)
    assert client.post("/account/sms/", {"number": CARLA, "notify": "on"}).status_code == 302
    assert gateway.sent == []  # the code goes by the worker
    run_worker()
    code = code_sent_to(gateway, CARLA_E164)
    assert member_for_sender(CARLA_E164) == bob  # typing it proved nothing
    assert gateway.receive(CARLA_E164, f"Código {code}") == [200]
    run_worker()
    assert member_for_sender(CARLA_E164) == carla
    assert not SmsNumber.objects.filter(member=bob).exists() and not SmsClaim.objects.exists()
    assert gateway.texts_to(CARLA_E164)[-1].startswith("This number is confirmed")
    assert code not in dump_database()


def test_a_code_texted_from_another_phone_confirms_nothing(client, webhook, gateway, carla):
    from sinfronteras.sms.models import SmsNumber

    client.force_login(carla)
    client.post("/account/sms/", {"number": CARLA})
    run_worker()
    code = code_sent_to(gateway, CARLA_E164)
    assert gateway.receive(STRANGER_E164, code) == [200]
    run_worker()
    assert not SmsNumber.objects.exists()
    assert gateway.texts_to(STRANGER_E164) == ["Número equivocado. / Wrong number."]


def test_the_webhook_sends_nothing_itself_and_the_worker_answers_a_stranger_once_a_day(
        client, gateway):
    for index in range(3):
        assert signed(client, gateway, STRANGER_E164, "HOLA", f"e{index}").content == b"ok"
    assert gateway.sent == []
    run_worker()
    assert gateway.texts_to(STRANGER_E164) == ["Número equivocado. / Wrong number."]


def test_a_replayed_event_is_refused_even_after_four_hundred_others(client, gateway, carla):
    from sinfronteras.sharing.models import Need

    add_number(carla, CARLA)
    assert signed(client, gateway, CARLA_E164, "FOOD 2", "the-one").content == b"ok"
    for index in range(400):  # a cache would have culled "the-one" by now
        assert signed(client, gateway, f"+1310555{index:04d}", "HOLA", f"other-{index}").content == b"ok"
    assert signed(client, gateway, CARLA_E164, "FOOD 2", "the-one").content == b"seen"
    run_worker()
    assert Need.objects.filter(posted_by=carla).count() == 1
    assert len(gateway.texts_to(CARLA_E164)) == 1


def test_what_is_done_once_has_a_unique_key_and_an_expiry():
    from sinfronteras.sms.inbound import once
    from sinfronteras.sms.models import SmsSeen

    assert once("event", "k", 60) and not once("event", "k", 60)
    row = SmsSeen.objects.get(key="k")
    assert timezone.now() < row.expires_at <= timezone.now() + timedelta(seconds=61)
    with pytest.raises(IntegrityError), transaction.atomic():
        SmsSeen.objects.create(kind="event", key="k", expires_at=row.expires_at)
    SmsSeen.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert once("event", "k", 60)  # expired: seen again as new
