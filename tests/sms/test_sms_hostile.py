"""SMS input that once made a server error, and amounts read by the site's one number parser
(issue 20, "No 500 from input"; issue 17, "1,5" and "1.5")."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sms_fixtures import gateway  # noqa: F401
from test_sms_gateway import signed
from sinfronteras.sharing.models import Need


def test_a_deeply_nested_signed_webhook_is_refused_not_a_500(gateway):
    from sinfronteras.sms.gateway import configured_gateway

    body = b'{"event": "sms:received", "payload": ' + b"[" * 20000 + b"]" * 20000 + b"}"
    assert configured_gateway().verify(signed(body[:60 * 1024])) is None
    assert configured_gateway().verify(signed(b'{"a":' * 40 + b"1" + b"}" * 40)) is None


def test_a_superscript_timestamp_on_the_webhook_is_refused(gateway):
    from django.test import RequestFactory

    from sinfronteras.sms.gateway import configured_gateway

    request = RequestFactory().post("/sms/webhook/", b"{}", content_type="application/json",
                                    headers={"X-Signature": "ab", "X-Timestamp": "²"})
    assert configured_gateway().verify(request) is None


@pytest.mark.parametrize("language, text, expected", [
    ("es", "COMIDA 1,5", Decimal("1.5")), ("en", "FOOD 1.5", Decimal("1.5")),
    ("es", "COMIDA 1.5", Decimal("1.5")), ("en", "FOOD 1,5", Decimal("1.5")),
])
def test_an_sms_amount_is_read_by_the_same_parser(carla, language, text, expected):
    from sinfronteras.sms.commands import reply_to

    carla.language = language
    carla.save(update_fields=["language"])
    reply_to(carla, text, "ev-n")
    assert Need.objects.get().quantity == expected


@pytest.mark.parametrize("language, text, words", [
    ("es", "COMIDA 1.500", "«1.500» puede ser 1500 o 1,5"),
    ("en", "FOOD 1,500", "“1,500” could mean 1500 or 1.5"),
])
def test_an_ambiguous_sms_amount_is_asked_about(carla, language, text, words):
    from sinfronteras.sms.commands import reply_to

    carla.language = language
    carla.save(update_fields=["language"])
    assert words in reply_to(carla, text, "ev-a")
    assert not Need.objects.exists()
