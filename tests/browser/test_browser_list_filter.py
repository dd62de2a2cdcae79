"""A coordinator narrows the Needs and Offers lists at 360 px, in English and Spanish: the
filter folds away, opens, keeps what was chosen and says how many match."""

from __future__ import annotations


import pytest

from conftest import area

from .conftest import fits_the_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"filter": "Filter and search", "search": "Search", "state": "State", "show": "Show",
           "urgent": "urgent", "match": "1 matches this filter.", "unused": "nothing planned yet",
           "offers_match": "1 matches this filter."},
    "es": {"filter": "Filtrar y buscar", "search": "Buscar", "state": "Estado", "show": "Mostrar",
           "urgent": "urgente", "match": "1 coincide con este filtro.",
           "unused": "nada planificado aún", "offers_match": "1 coincide con este filtro."},
}


def log_in_coordinator(page, base, member):
    """Log in by the fields' ids (the login page speaks the browser's language), then the code."""
    from conftest import PASSWORD, current_code, give_second_factor

    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(member.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    give_second_factor(member)
    page.goto(f"{base}/two-factor/")
    page.locator("#id_code").fill(current_code(member))
    page.locator("main button[type=submit]").click()


@pytest.mark.parametrize("language", [
    pytest.param("en", marks=pytest.mark.browser_locale("en-US")),
    pytest.param("es", marks=pytest.mark.browser_locale("es-MX")),
])
def test_a_coordinator_filters_the_needs_and_offers_on_a_phone(live_server, phone, shoot, la,
                                                              alice, bob, carla, need_of,
                                                              offer_of, language):
    from sinfronteras.sharing.models import Offer

    alice.language = language
    alice.save(update_fields=["language"])
    words = WORDS[language]
    for n in range(12):
        need_of(bob if n % 2 else carla, "food", n + 1, area=area(la, "Echo Park"))
    urgent = need_of(carla, "diapers", 2, urgent=True, area=area(la, "Koreatown"))
    free = offer_of(bob, ["food"], 20)
    used = offer_of(carla, ["food"], 5)
    Offer.objects.filter(pk=used.pk).update(committed_milli=5000)

    log_in_coordinator(phone, live_server.url, alice)
    phone.goto(f"{live_server.url}/needs/")
    assert phone.locator("#list-filter").get_attribute("open") is None  # folded: one line
    assert phone.locator("#list-filter summary").bounding_box()["height"] >= 44  # a target
    shoot(phone, f"{language}-needs-folded")
    phone.get_by_text(words["filter"]).click()
    phone.get_by_label(words["state"]).select_option(label=words["urgent"])
    phone.get_by_label(words["search"]).fill("carla")
    assert fits_the_phone(phone)
    shoot(phone, f"{language}-needs-filter-open")
    phone.get_by_role("button", name=words["show"]).click()
    assert phone.locator("#filter-count").inner_text() == words["match"]
    assert phone.locator("[id^=need-]").count() == 1
    assert phone.locator(f"#need-{urgent.pk}").is_visible()
    assert phone.locator("#list-filter").get_attribute("open") is not None  # stays open
    assert phone.get_by_label(words["search"]).input_value() == "carla"  # keeps what was typed
    box = phone.locator("#id_state").bounding_box()
    assert box["height"] >= 40 and box["width"] <= 340  # a thumb's target, inside the phone
    assert fits_the_phone(phone)
    shoot(phone, f"{language}-needs-filtered")

    phone.goto(f"{live_server.url}/offers/")
    phone.get_by_text(words["filter"]).click()
    phone.get_by_label(words["state"]).select_option(label=words["unused"])
    phone.get_by_role("button", name=words["show"]).click()
    assert phone.locator("#filter-count").inner_text() == words["offers_match"]
    assert phone.locator(f"#offer-{free.pk}").is_visible()
    assert phone.locator(f"#offer-{used.pk}").count() == 0
    assert fits_the_phone(phone)
    shoot(phone, f"{language}-offers-filtered")
