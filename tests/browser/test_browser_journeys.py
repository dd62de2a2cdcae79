"""A newcomer joins in Spanish and posts a need; a volunteer posts an offer."""

from playwright.sync_api import expect
import pytest

from conftest import PASSWORD
from sinfronteras.members.models import Member
from sinfronteras.members.services import do_create_invite
from sinfronteras.sharing.models import Need, Offer

from .conftest import fits_the_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.browser_locale("es-MX")
def test_a_newcomer_opens_an_invite_signs_up_in_spanish_and_posts_a_need(live_server, phone, shoot, bob, la):
    _, token = do_create_invite(bob)
    phone.goto(f"{live_server.url}/join/{token}/")
    assert phone.locator("h1").inner_text() == "Únete a LA Unidos"
    shoot(phone, "invite")

    phone.get_by_label("Nombre visible").fill("Rosa")
    phone.get_by_label("Nombre de acceso").fill("rosa")
    phone.get_by_label("Contraseña").fill("123")
    phone.get_by_role("button", name="Unirme").click()
    expect(phone.locator("#error-password")).to_be_visible()  # too short, said in Spanish
    shoot(phone, "signup-error")

    phone.get_by_label("Contraseña").fill("una clave larga y rara")
    phone.locator("#id_language").select_option("es")
    phone.get_by_label("Tu zona").select_option(label="Echo Park")
    phone.get_by_role("button", name="Unirme").click()
    assert phone.locator("h1").inner_text() == "Hola, Rosa"
    shoot(phone, "home")

    phone.get_by_role("link", name="Necesito algo").first.click()
    phone.get_by_label("Qué necesitas").select_option(label="Pañales (packs)")
    phone.get_by_label("cantidad", exact=False).fill("2")
    phone.get_by_label("urgente").check()
    shoot(phone, "need-form")
    phone.get_by_role("button", name="Publicar la necesidad").click()
    assert "Tu necesidad está publicada." in phone.locator(".messages").inner_text()
    need = Need.objects.get()
    assert need.posted_by == Member.objects.get(username="rosa") and need.urgent
    expect(phone.locator(f"#need-{need.pk}")).to_be_visible()
    assert fits_the_phone(phone)
    shoot(phone, "need-listed")


def test_a_volunteer_logs_in_and_posts_an_offer(live_server, phone, shoot, carla, la):
    phone.goto(f"{live_server.url}/login/")
    phone.get_by_label("Login name").fill("carla")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    shoot(phone, "home")
    phone.get_by_role("link", name="I can give something").first.click()
    phone.get_by_label("Childcare (hours)").check()
    phone.get_by_label("Legal help (hours)").check()
    phone.get_by_label("quantity", exact=False).fill("4")
    phone.get_by_label("reach in km", exact=False).fill("6")
    shoot(phone, "offer-form")
    phone.get_by_role("button", name="Post the offer").click()
    offer = Offer.objects.get()
    assert offer.posted_by == carla and sorted(r.key for r in offer.resources.all()) == [
        "childcare", "legal-help"]
    expect(phone.locator(f"#offer-{offer.pk}")).to_be_visible()
    assert fits_the_phone(phone)
    shoot(phone, "offer-listed")
