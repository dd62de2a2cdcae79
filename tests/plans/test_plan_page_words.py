"""The plan page says distances and amounts a person understands, in both languages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from conftest import area
from plans_fixtures import plan_now


def words(page) -> str:
    main = page.content.decode().split("<main>")[1].split("</main>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.mark.parametrize("language, sentence", [
    ("en", "1 delivery goes from one area to another"),
    ("es", "1 entrega va de una zona a otra"),
])
def test_the_plan_page_counts_trips_in_km_and_needs_in_their_units(
        client, la, alice, bob, carla, need_of, offer_of, language, sentence):
    need_of(carla, "diapers", 4)
    offer_of(bob, ["diapers"], 1)  # Echo Park to Boyle Heights: one delivery between areas
    need_of(carla, "legal-help", 2)  # nobody offers it
    plan_now(la, alice)
    alice.language = language
    alice.save(update_fields=["language"])
    client.force_login(alice)
    text = words(client.get(reverse("plans:plan")))
    assert sentence in text and " km " in text
    assert "quantity × km" not in text and "cantidad × km" not in text
    assert "4 packs · " in text and "25%" in text and "3 packs" in text
    assert ".000" not in text and ",000" not in text
