"""The SMS page at phone size: a member adds a number (English), another changes and
removes one (Spanish); the page says plainly that phone companies read SMS."""

from playwright.sync_api import expect
import pytest

from .conftest import fits_the_phone, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sms_on(settings):
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/message"  # the page only needs it set
    settings.SMS_GATEWAY_USER, settings.SMS_GATEWAY_PASSWORD = "sms", "pw"
    settings.SMS_WEBHOOK_KEY = "signing-key-123"
    settings.SMS_HASH_KEY = "a-test-hash-key-of-enough-length"
    settings.SMS_NUMBER_TO_TEXT = "+1 213 555 0100"


def test_a_member_adds_a_number_for_sms_from_the_account_page(live_server, phone, shoot, carla, sms_on):
    from sinfronteras.sms.models import SmsNumber

    log_in(phone, live_server.url, "carla")
    phone.goto(f"{live_server.url}/account/")
    phone.get_by_role("link", name="SMS").click()
    assert "Phone companies can read SMS." in phone.locator("#sms-warning").inner_text()
    phone.get_by_label("Your mobile number").fill("call me")
    phone.get_by_role("button", name="Save").click()
    assert "Write only digits" in phone.locator("#error-number").inner_text()
    shoot(phone, "mistake")
    phone.get_by_label("Your mobile number").fill("(213) 555-0147")
    phone.get_by_role("button", name="Save").click()
    # Not hers until the phone texts the code back (tests/browser/test_browser_demo_phone.py).
    assert "ending in 47" in phone.locator("#sms-claim").inner_text()
    assert "5550147" not in phone.url and "555-0147" not in phone.content()
    assert not SmsNumber.objects.exists()
    assert "+1 213 555 0100" in phone.content()
    assert fits_the_phone(phone)
    shoot(phone, "saved")


def test_a_member_changes_and_removes_her_number_in_spanish(live_server, phone, shoot, la,
                                                          password_hash, sms_on):
    from conftest import make_member
    from sinfronteras.sms.models import SmsNumber
    from sinfronteras.sms.numbers import do_set_number

    rosa = make_member(la, "rosa", "Echo Park", password_hash=password_hash, language="es")
    do_set_number(rosa, "+1 323 555 0111", True)
    log_in(phone, live_server.url, "rosa")
    phone.goto(f"{live_server.url}/account/sms/")
    assert "Las compañías telefónicas pueden leer los SMS." in phone.locator("#sms-warning").inner_text()
    assert "termina en 11" in phone.locator("#sms-on-file").inner_text()
    assert "COMIDA 5 URGENTE" in phone.locator("#sms-commands").inner_text()
    shoot(phone, "on-file")
    phone.get_by_label("Envíame avisos por SMS").uncheck()
    phone.get_by_role("button", name="Guardar").click()
    assert SmsNumber.objects.get().notify is False
    phone.get_by_role("button", name="Borrar mi número").click()
    expect(phone.locator("main")).to_contain_text("Tu número está borrado.")
    assert not SmsNumber.objects.exists()
    assert fits_the_phone(phone)
    shoot(phone, "removed")
