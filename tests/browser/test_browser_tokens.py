"""API tokens at phone size: a coordinator makes one with a coordinator's power (English),
a member makes one that acts as them (Spanish); each card says its power and expiry."""

from playwright.sync_api import expect
import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from sinfronteras.members.models import ApiToken, Member

from .conftest import fits_the_phone, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_makes_a_token_with_a_coordinators_power(live_server, phone, shoot, alice):
    log_in(phone, live_server.url, "alice")
    phone.goto(f"{live_server.url}/tokens/")
    shoot(phone, "form")
    phone.get_by_label("Name").fill("hotline bot")
    phone.get_by_label("Days it lasts").fill("30")
    phone.get_by_label("Act with your coordinator's power", exact=False).check()
    phone.get_by_role("button", name="Create a token").click()
    assert phone.locator("#new-token").inner_text().startswith("sf_")
    row = ApiToken.objects.get()
    card = phone.locator(f"#token-{row.pk}").inner_text()
    assert "coordinator's power" in card
    with translation.override("en"):  # one date format per language (web/formats)
        day = date_format(timezone.localtime(row.expires_at), "SHORT_DATE_FORMAT")
    assert f"expires {day}" in card
    assert fits_the_phone(phone)
    shoot(phone, "made")


def test_a_member_makes_a_token_in_spanish_and_is_told_the_limit(live_server, phone, shoot, la,
                                                                 password_hash, settings):
    from conftest import make_member

    make_member(la, "rosa", "Echo Park", password_hash=password_hash, language="es")
    settings.API_TOKEN_MAX_DAYS = 365
    log_in(phone, live_server.url, "rosa")  # the login page follows the browser; then hers
    phone.goto(f"{live_server.url}/tokens/")
    assert phone.locator("[name=scope]").count() == 0  # nothing to choose: it acts as her
    phone.get_by_label("Nombre").fill("mi teléfono")
    phone.get_by_label("Días que dura").fill("400")
    phone.get_by_role("button", name="Crear una clave").click()
    assert "Una clave dura de 1 a 365 días." in phone.locator("#error-days").inner_text()
    shoot(phone, "too-long")
    phone.get_by_label("Días que dura").fill("")
    phone.get_by_role("button", name="Crear una clave").click()
    expect(phone.locator("#new-token")).to_be_visible()
    row = ApiToken.objects.get(member=Member.objects.get(username="rosa"))
    assert "Actúa como tú, miembro" in phone.locator(f"#token-{row.pk}").inner_text()
    assert fits_the_phone(phone)
    shoot(phone, "made")
