"""Forms a person can trust, in a real browser at 360 px, in both languages: an amount the
reader's way ("1,5"), an ambiguous one asked about, a text over its limit counted and
refused without being cut, and Back-then-Post making nothing twice (issue 17)."""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from sinfronteras.sharing.models import Need, Offer

from .conftest import fits_the_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"post": "Post the need", "offer": "Post the offer", "food": "Food (kg)",
           "ambiguous": "“1,500” could mean 1500 or 1.5", "typed": "1,500", "half": "1.5",
           "limit": "Write at most 200 characters; this has 201.", "already": "Already posted"},
    "es": {"post": "Publicar la necesidad", "offer": "Publicar la oferta", "food": "Comida (kg)",
           "ambiguous": "«1.500» puede ser 1500 o 1,5", "typed": "1.500", "half": "1,5",
           "limit": "Escribe como mucho 200 caracteres; aquí hay 201.", "already": "Ya enviado"},
}
LANGUAGES = [pytest.param("en", marks=pytest.mark.browser_locale("en-US")),
             pytest.param("es", marks=pytest.mark.browser_locale("es-MX"))]


def log_in(phone, base, member, language):
    member.language = language
    member.save(update_fields=["language"])
    phone.goto(f"{base}/login/")
    phone.locator("#id_username").fill(member.username)
    phone.locator("#id_password").fill(PASSWORD)
    phone.locator("main button[type=submit]").click()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_amount_is_typed_the_readers_way_and_back_then_post_makes_nothing_twice(
        live_server, phone, shoot, la, carla, language):
    words = WORDS[language]
    log_in(phone, live_server.url, carla, language)
    phone.goto(f"{live_server.url}/needs/new/")
    phone.locator("#id_resource").select_option(label=words["food"])
    phone.locator("#id_quantity").fill(words["typed"])
    phone.get_by_role("button", name=words["post"]).click()
    assert words["ambiguous"] in phone.locator("#error-quantity").inner_text()
    assert phone.locator("#id_quantity").input_value() == words["typed"]  # kept, to correct
    assert not Need.objects.exists() and fits_the_phone(phone)
    shoot(phone, f"{language}-ambiguous")
    phone.locator("#id_quantity").fill(words["half"])
    key = phone.locator("main input[name=once]").input_value()
    phone.get_by_role("button", name=words["post"]).click()
    assert str(Need.objects.get().quantity.normalize()) == "1.5"
    Need.objects.all().delete()
    phone.goto(f"{live_server.url}/needs/new/")  # a form posted at once, then Back, then Post
    phone.locator("#id_resource").select_option(label=words["food"])
    phone.locator("#id_quantity").fill(words["half"])
    key = phone.locator("main input[name=once]").input_value()
    with phone.expect_navigation():  # Back only once the post's answer has been drawn
        phone.get_by_role("button", name=words["post"]).click()
    phone.wait_for_load_state()
    assert Need.objects.count() == 1
    phone.go_back()  # the form again, as the browser keeps it
    restored = phone.locator("main input[name=once]").input_value()
    if phone.locator("#id_quantity").input_value() == "":  # drawn afresh: fill it in again
        phone.locator("#id_resource").select_option(label=words["food"])
        phone.locator("#id_quantity").fill(words["half"])
    phone.get_by_role("button", name=words["post"]).click()
    shoot(phone, f"{language}-posted-again")
    # Pages are never cached, so Back draws the form afresh (a new one-time key) and the
    # browser puts back what was typed: the same need, just posted, is not made again.
    assert Need.objects.count() == 1
    assert phone.locator("ul.messages").inner_text().startswith(words["already"])
    assert restored != "" and key != ""


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_text_over_its_limit_is_counted_and_refused_whole(live_server, phone, shoot, la, bob,
                                                            language):
    words = WORDS[language]
    log_in(phone, live_server.url, bob, language)
    phone.goto(f"{live_server.url}/offers/new/")
    place = phone.locator("#id_public_place")
    assert place.get_attribute("maxlength") is None and place.get_attribute("data-limit") == "200"
    place.fill("x" * 201)  # a paste the browser does not cut
    counter = phone.locator("#id_public_place + .counter")
    assert counter.inner_text() == "201 / 200" and "over" in counter.get_attribute("class")
    shoot(phone, f"{language}-counted")
    phone.locator("input[name=resources]").first.check()
    phone.locator("#id_quantity").fill(words["half"])
    phone.get_by_role("button", name=words["offer"]).click()
    assert words["limit"] in phone.locator("#error-public_place").inner_text()
    assert phone.locator("#id_public_place").input_value() == "x" * 201  # nothing cut
    assert not Offer.objects.exists() and fits_the_phone(phone)
    shoot(phone, f"{language}-refused")
