"""Try SMS without a phone, at phone size, in English and Spanish: a member puts a number
on her SMS page, reads its code on the demo's simulated phone, texts it back, then asks
for food by SMS, all through the same webhook, signatures and worker as a real gateway."""

from __future__ import annotations

import re

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from conftest import PASSWORD, make_member

from .conftest import fits_the_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"locale": "en-US", "number": "Your mobile number", "save": "Save",
           "open": "open the demo phone", "this": "This phone's number", "message": "Message",
           "send": "Send SMS", "read": "Check for replies", "code": r"Your code: (\d{6})",
           "confirmed": "This number is confirmed", "ask": "FOOD 2", "asked": "Asked for: FOOD 2."},
    "es": {"locale": "es-ES", "number": "Tu número de móvil", "save": "Guardar",
           "open": "abre el teléfono de la demo", "this": "El número de este teléfono",
           "message": "Mensaje", "send": "Enviar SMS", "read": "Ver respuestas",
           "code": r"Tu código: (\d{6})", "confirmed": "Este número está confirmado",
           "ask": "COMIDA 2", "asked": "Pedido: COMIDA 2."},
}


@pytest.fixture
def demo_phone(settings, live_server):
    settings.SMS_DEMO_PHONE = True
    settings.SMS_GATEWAY_URL = f"{live_server.url}/demo/phone/gateway/message"
    settings.SMS_GATEWAY_USER, settings.SMS_GATEWAY_PASSWORD = "demo-phone", "a-demo-password"
    settings.SMS_WEBHOOK_KEY = "a-demo-webhook-key"
    settings.SMS_HASH_KEY = "a-test-hash-key-of-enough-length"
    settings.SEAL_KEYS = [Fernet.generate_key().decode()]


def run_worker():
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay")


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_member_tries_sms_on_the_demo_phone(chromium, live_server, la, password_hash, shoot,
                                              demo_phone, language):
    from sinfronteras.sharing.models import Need
    from sinfronteras.sms.models import SmsNumber

    words = WORDS[language]
    member = make_member(la, f"rosa{language}", "Echo Park", password_hash=password_hash,
                         language=language)
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale=words["locale"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url
    try:
        page.goto(f"{base}/login/")
        page.locator("#id_username").fill(member.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(lambda url: "/login/" not in url)
        page.goto(f"{base}/account/sms/")
        page.get_by_label(words["number"]).fill("+1 213 555 0100")
        page.get_by_role("button", name=words["save"]).click()
        assert "00" in page.locator("#sms-claim").inner_text()
        assert fits_the_phone(page)
        shoot(page, "code-on-its-way")
        run_worker()  # the worker sends the code through the gateway API, to the demo phone
        page.get_by_role("link", name=words["open"]).click()
        page.get_by_label(words["this"]).fill("+1 213 555 0100")
        page.get_by_role("button", name=words["read"]).click()
        code = re.search(words["code"], page.locator("#demo-phone-messages").inner_text()).group(1)
        assert fits_the_phone(page)
        shoot(page, "code-received")
        page.get_by_label(words["message"]).fill(code)
        page.get_by_role("button", name=words["send"]).click()
        page.locator("#demo-phone-sent").wait_for()
        run_worker()
        assert SmsNumber.objects.get().member == member
        page.get_by_role("button", name=words["read"]).click()
        assert words["confirmed"] in page.locator("#demo-phone-messages").inner_text()
        page.get_by_label(words["message"]).fill(words["ask"])
        page.get_by_role("button", name=words["send"]).click()
        page.locator("#demo-phone-sent").wait_for()
        run_worker()
        page.get_by_role("button", name=words["read"]).click()
        assert words["asked"] in page.locator("#demo-phone-messages").inner_text()
        assert Need.objects.get(posted_by=member).quantity == 2
        assert "5550100" not in page.url and fits_the_phone(page)
        shoot(page, "asked-for-food")
    finally:
        context.close()
