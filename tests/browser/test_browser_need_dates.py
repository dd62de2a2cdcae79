"""A family posts a need with a date, edits only the quantity: the date survives,
and every amount and date reads the way the family writes them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import formats, timezone, translation

from sinfronteras.sharing.models import Need

from conftest import PASSWORD

from .conftest import fits_the_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"new": "I need something", "what": "What you need", "post": "Post the need", "edit": "Edit", "save": "Save",
           "food": "Food (kg)", "choose": "Choose…", "required": "(required)"},
    "es": {"new": "Necesito algo", "what": "Qué necesitas", "post": "Publicar la necesidad", "edit": "Editar",
           "save": "Guardar", "food": "Comida (kg)", "choose": "Elige…",
           "required": "(obligatorio)"},
}


@pytest.mark.parametrize("language", [
    pytest.param("en", marks=pytest.mark.browser_locale("en-US")),
    pytest.param("es", marks=pytest.mark.browser_locale("es-MX")),
])
def test_a_family_edits_only_the_quantity_and_the_date_survives(live_server, phone, shoot, la,
                                                               carla, language):
    carla.language = language
    carla.save(update_fields=["language"])
    words = WORDS[language]
    day = timezone.localdate() + timedelta(days=4)
    phone.goto(f"{live_server.url}/login/")  # in the browser's language
    phone.locator("#id_username").fill("carla")
    phone.locator("#id_password").fill(PASSWORD)
    phone.locator("main button[type=submit]").click()
    phone.get_by_role("link", name=words["new"]).first.click()
    what = phone.get_by_label(words["what"])
    assert what.input_value() == ""  # nothing chosen for the family
    assert what.locator("option").first.inner_text() == words["choose"]
    assert words["required"] in phone.locator("label[for=id_resource]").inner_text()
    what.select_option(label=words["food"])  # the unit is shown with the resource
    phone.locator("#id_quantity").fill("1,5" if language == "es" else "1.5")  # the reader's way
    assert phone.locator("#id_quantity").get_attribute("inputmode") == "decimal"
    phone.locator("#id_needed_by").fill(day.isoformat())
    shoot(phone, f"{language}-need-form")
    phone.get_by_role("button", name=words["post"]).click()
    need = Need.objects.get()
    assert need.needed_by == day and str(need.quantity) == "1.500"

    with translation.override(language):
        shown_day = formats.date_format(day, "SHORT_DATE_FORMAT")
    card = phone.locator(f"#need-{need.pk}")
    text = card.inner_text()
    assert ("1,5 kg" if language == "es" else "1.5 kg") in text and shown_day in text
    assert "1.500" not in text and "/" not in shown_day
    assert fits_the_phone(phone)
    shoot(phone, f"{language}-need-listed")

    card.get_by_role("link", name=words["edit"]).click()
    assert phone.locator("#id_needed_by").input_value() == day.isoformat()  # not emptied
    shown = "1,5" if language == "es" else "1.5"  # not "1.500", and the reader's mark
    assert phone.locator("#id_quantity").input_value() == shown
    phone.locator("#id_quantity").fill("3")
    shoot(phone, f"{language}-need-edit")
    phone.get_by_role("button", name=words["save"]).click()
    need.refresh_from_db()
    assert need.needed_by == day and need.quantity == 3
    assert "3 kg" in phone.locator(f"#need-{need.pk}").inner_text()
    shoot(phone, f"{language}-need-saved")
