"""My tasks at 360 px: a dropped hand-over within one area reads "Hand-over in Echo Park"
("Entrega en Echo Park"), never "Echo Park → Echo Park"; a carry between areas keeps its arrow."""

from __future__ import annotations

import pytest

from conftest import PASSWORD, area

from .conftest import fits_the_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {"en": ("Hand-over in Echo Park", "Koreatown → Echo Park"),
         "es": ("Entrega en Echo Park", "Koreatown → Echo Park")}


@pytest.mark.parametrize("language", [
    pytest.param("en", marks=pytest.mark.browser_locale("en-US")),
    pytest.param("es", marks=pytest.mark.browser_locale("es-MX")),
])
def test_a_giver_reads_where_each_dropped_task_went_on_a_phone(live_server, phone, shoot, la,
                                                               bob, carla, need_of, offer_of,
                                                               language):
    from test_task_route import dropped_task

    carla.language = language
    carla.save(update_fields=["language"])
    offer_of(carla, ["food"], 3, area=area(la, "Echo Park"))
    within = dropped_task(la, carla, need_of(bob, "food", 1), "handover")
    offer_of(carla, ["diapers"], 3, area=area(la, "Koreatown"))
    across = dropped_task(la, carla, need_of(bob, "diapers", 1), "carry", resource="diapers")
    phone.goto(f"{live_server.url}/login/")
    phone.locator("#id_username").fill("carla")
    phone.locator("#id_password").fill(PASSWORD)
    phone.locator("main button[type=submit]").click()
    phone.goto(f"{live_server.url}/tasks/")
    same, between = WORDS[language]
    assert same in phone.locator(f"#dropped-{within.pk}").inner_text()
    assert between in phone.locator(f"#dropped-{across.pk}").inner_text()
    assert "Echo Park → Echo Park" not in phone.locator("main").inner_text()
    assert fits_the_phone(phone)
    shoot(phone, f"{language}-dropped-routes")
