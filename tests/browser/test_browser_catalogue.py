"""A coordinator adds a resource on the catalogue page; a member offers it, in Spanish."""

import pytest

from sinfronteras.sharing.models import Offer, Resource

from .conftest import fits_the_phone, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_adds_winter_coats_and_a_member_offers_them(live_server, phone, shoot, la,
                                                                  alice, carla):
    base = live_server.url
    log_in(phone, base, "alice")
    phone.goto(f"{base}/")
    phone.get_by_role("link", name="Catalogue").click()
    phone.get_by_role("link", name="Add a resource").click()
    phone.get_by_label("name (English)").fill("Winter coats")
    phone.get_by_label("name (Spanish)").fill("Abrigos de invierno")
    phone.get_by_label("unit (English)").fill("coats")
    phone.get_by_role("button", name="Save").click()
    assert phone.locator("#error-name_es").count() == 0
    assert phone.locator("#error-unit_es").count() == 0  # optional: it may read the same
    coats = Resource.objects.get(key="winter-coats")
    assert not coats.basic
    assert "Winter coats · coats" in phone.locator(f"#resource-{coats.pk}").inner_text()
    assert fits_the_phone(phone)
    shoot(phone, "catalogue")

    phone.goto(f"{base}/catalogue/resources/{coats.pk}/")
    phone.get_by_label("unit (Spanish)").fill("abrigos")
    phone.get_by_label("smallest amount").fill("1")  # whole coats only
    phone.get_by_role("button", name="Save").click()
    assert "Saved" in phone.locator(".messages").inner_text()
    assert "in steps of 1 coats" in phone.locator(f"#resource-{coats.pk}").inner_text()

    log_in(phone, base, "carla")
    phone.goto(f"{base}/")
    phone.locator("select[name=language]").select_option("es")
    phone.locator("form[action='/language/'] button").click()
    phone.goto(f"{base}/offers/new/")
    phone.get_by_label("Abrigos de invierno (abrigos)").check()
    phone.get_by_label("cantidad", exact=False).fill("2.5")
    phone.get_by_role("button", name="Publicar la oferta").click()
    assert "Escribe un número entero de abrigos." in phone.locator("#error-quantity").inner_text()
    assert not Offer.objects.exists()
    assert fits_the_phone(phone)
    shoot(phone, "offer-half-a-coat-in-spanish")
    phone.get_by_label("Abrigos de invierno (abrigos)").check()
    phone.get_by_label("cantidad", exact=False).fill("5")
    phone.get_by_role("button", name="Publicar la oferta").click()
    offer = Offer.objects.get(posted_by=carla)
    assert "5 abrigos · Abrigos de invierno" in phone.locator(f"#offer-{offer.pk}").inner_text()
    shoot(phone, "offer-in-spanish")
