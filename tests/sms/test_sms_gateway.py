"""The gateway adapter against SMS Gateway for Android's API and webhooks, on loopback."""

from __future__ import annotations

import doctest
import hashlib
import hmac
import json
import socket
import time

import pytest
from django.test import RequestFactory

from sms_fixtures import gateway  # noqa: F401
from sinfronteras.sms import commands, gateway as gateway_module, numbers
from sinfronteras.sms.gateway import AndroidSmsGateway, GatewayError, configured_gateway


def test_the_examples_in_the_docstrings_run(settings):
    for module in (gateway_module, numbers, commands):
        failed, tried = doctest.testmod(module)
        assert tried and not failed, module.__name__


def test_it_sends_one_sms_through_the_gateways_api(gateway):
    configured_gateway().send("+12135550147", "Hola")
    assert gateway.sent == [{"to": ["+12135550147"], "text": "Hola", "ttl": 12 * 3600}]


def test_wrong_credentials_are_an_error_that_names_the_settings(gateway, settings):
    settings.SMS_GATEWAY_PASSWORD = "not it"
    with pytest.raises(GatewayError, match="SMS_GATEWAY_PASSWORD"):
        configured_gateway().send("+12135550147", "Hola")
    assert gateway.sent == []


def test_an_unreachable_gateway_is_an_error_without_the_number(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    adapter = AndroidSmsGateway(f"http://127.0.0.1:{port}/message", "u", "p", "key-12345", 300)
    with pytest.raises(GatewayError) as raised:
        adapter.send("+12135550147", "Hola")
    assert "5550147" not in str(raised.value)


def signed(body: bytes, key="signing-key-123", stamp=None):
    stamp = str(int(time.time()) if stamp is None else stamp)
    sig = hmac.new(key.encode(), body + stamp.encode(), hashlib.sha256).hexdigest()
    return RequestFactory().post("/sms/webhook/", body, content_type="application/json",
                                 headers={"X-Signature": sig, "X-Timestamp": stamp})


BODY = json.dumps({"deviceId": "d", "event": "sms:received", "id": "Ey6ECgOkVVFjz3CL48B8C",
                   "payload": {"messageId": "abc123", "message": "TASKS",
                               "phoneNumber": "+12135550147", "simNumber": 1,
                               "receivedAt": "2024-06-22T15:46:11.000+07:00"},
                   "webhookId": "w"}).encode()


def test_a_genuine_webhook_is_read(gateway):
    assert configured_gateway().verify(signed(BODY)) == {
        "event": "sms:received", "id": "Ey6ECgOkVVFjz3CL48B8C", "sender": "+12135550147",
        "text": "TASKS"}


@pytest.mark.parametrize("request_of", [
    lambda: signed(BODY, key="another-key"),                        # forged
    lambda: signed(BODY, stamp=int(time.time()) - 301),             # stale
    lambda: signed(BODY, stamp=int(time.time()) + 301),             # from the future
    lambda: signed(b"not json"),                                    # signed nonsense
    lambda: RequestFactory().post("/sms/webhook/", BODY, content_type="application/json"),
], ids=["forged", "stale", "future", "not-json", "unsigned"])
def test_a_forged_stale_or_unsigned_webhook_is_not_read(gateway, request_of):
    assert configured_gateway().verify(request_of()) is None


def test_a_signature_over_another_body_is_refused(gateway):
    request = signed(BODY)
    request._body = BODY.replace(b"TASKS", b"ALERT")
    assert configured_gateway().verify(request) is None


def test_sms_is_off_without_a_gateway_url(settings):
    settings.SMS_GATEWAY_URL = ""
    assert configured_gateway() is None


def test_settings_refuse_a_gateway_without_its_keys(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "SMS_GATEWAY_URL": "http://192.168.1.10:8080/message",
           "SMS_GATEWAY_USER": "sms", "SMS_GATEWAY_PASSWORD": "pw", "DATA_DIR": str(tmp_path)}
    env.pop("SMS_WEBHOOK_KEY", None)
    result = subprocess.run([sys.executable, "-c", "import django; from django.conf import settings;"
                             "settings.INSTALLED_APPS"], env={**env, "DJANGO_SETTINGS_MODULE":
                                                              "sinfronteras.web.settings"},
                            capture_output=True, text=True)
    assert result.returncode != 0 and "SMS_WEBHOOK_KEY" in result.stderr
    env["SMS_WEBHOOK_KEY"], env["SMS_GATEWAY_URL"] = "a-long-key", "192.168.1.10:8080"
    result = subprocess.run([sys.executable, "-c", "from django.conf import settings;"
                             "settings.INSTALLED_APPS"], env={**env, "DJANGO_SETTINGS_MODULE":
                                                              "sinfronteras.web.settings"},
                            capture_output=True, text=True)
    assert result.returncode != 0 and "is not a web address" in result.stderr
