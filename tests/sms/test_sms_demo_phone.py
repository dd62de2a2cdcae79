"""The demo's simulated phone: try SMS without a phone, through the same webhook,
signatures and worker as a real gateway; off unless SMS_DEMO_PHONE, refused in production
(tests/web/test_startup_checks.py)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from cryptography.fernet import Fernet

from leaks import dump_database
from sms_fixtures import run_worker

pytestmark = pytest.mark.django_db(transaction=True)  # the worker closes its connections

NUMBER = "+1 213 555 0100"


@pytest.fixture
def phone(settings, live_server):
    settings.SMS_DEMO_PHONE = True
    settings.SMS_GATEWAY_URL = f"{live_server.url}/demo/phone/gateway/message"
    settings.SMS_GATEWAY_USER, settings.SMS_GATEWAY_PASSWORD = "demo-phone", "a-demo-password"
    settings.SMS_WEBHOOK_KEY = "a-demo-webhook-key"
    settings.SMS_HASH_KEY = "a-test-hash-key-of-enough-length"
    settings.SEAL_KEYS = [Fernet.generate_key().decode()]
    where = urlsplit(live_server.url)
    return {"SERVER_NAME": where.hostname, "SERVER_PORT": str(where.port)}


def on_the_phone(client, phone, text="", send=False):
    data = {"number": NUMBER, "text": text, "send" if send else "read": "1"}
    response = client.post("/demo/phone/", data, **phone)
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_confirms_a_number_and_asks_for_food_from_the_demo_phone(client, carla, phone):
    from sinfronteras.sharing.models import Need
    from sinfronteras.sms.models import SmsNumber

    client.force_login(carla)
    assert "/demo/phone/" in client.get("/account/sms/", **phone).content.decode()
    assert client.post("/account/sms/", {"number": NUMBER, "notify": "on"}, **phone).status_code == 302
    run_worker()  # the worker sends the code through the gateway API: the demo phone gets it
    code = re.search(r"Your code: (\d{6})", on_the_phone(client, phone)).group(1)
    page = on_the_phone(client, phone, f"CODE {code}", send=True)
    assert 'id="demo-phone-sent"' in page
    run_worker()
    assert SmsNumber.objects.get().member == carla
    assert "This number is confirmed" in on_the_phone(client, phone)
    on_the_phone(client, phone, "FOOD 2", send=True)
    run_worker()
    assert Need.objects.get(posted_by=carla).quantity == 2
    assert "Asked for: FOOD 2." in on_the_phone(client, phone)
    stored = dump_database()
    for needle in ("2135550100", "555 0100", code, "FOOD 2"):
        assert needle not in stored


def test_the_demo_phone_is_not_there_unless_turned_on(client, carla, settings):
    settings.SMS_DEMO_PHONE = False
    client.force_login(carla)
    assert client.get("/demo/phone/").status_code == 404
    assert client.post("/demo/phone/gateway/message", "{}", content_type="application/json").status_code == 404


def test_its_gateway_takes_only_the_sites_credentials(client, phone):
    response = client.post("/demo/phone/gateway/message", '{"textMessage": {"text": "hi"}, '
                           '"phoneNumbers": ["+12135550100"]}', content_type="application/json",
                           headers={"Authorization": "Basic bm90OnRoaXM="})
    assert response.status_code == 401
