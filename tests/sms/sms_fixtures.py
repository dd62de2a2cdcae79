"""Fixtures of the SMS tests (not a conftest.py: see tests/plans/plans_fixtures.py).

Test modules import what they use: ``from sms_fixtures import gateway, ...``.
"""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from gateway_double import LoopbackGateway

CARLA = "+1 (213) 555-0147"
CARLA_E164 = "+12135550147"
DRIVER = "213 555 0199"
DRIVER_E164 = "+12135550199"
STRANGER_E164 = "+13105550123"


@pytest.fixture
def gateway(settings):
    """The loopback gateway, and the settings that point the site at it."""
    double = LoopbackGateway().start()
    settings.SMS_GATEWAY_URL = f"{double.url}/message"
    settings.SMS_GATEWAY_USER = double.user
    settings.SMS_GATEWAY_PASSWORD = double.password
    settings.SMS_WEBHOOK_KEY = double.signing_key
    settings.SMS_HASH_KEY = "a-test-hash-key-of-enough-length"
    settings.SEAL_KEYS = [Fernet.generate_key().decode()]
    yield double
    double.stop()


def add_number(member, text, notify=True):
    from sinfronteras.sms.numbers import do_set_number

    return do_set_number(member, text, notify)


def run_worker():
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--interval", "0")
