"""Amounts are typed the reader's way, and no number, id or body from outside is a 500.

"1,5" in Spanish and "1.5" in English are one and a half (either mark works on either
page); "1.500" on a Spanish page (and "1,500" on an English one) could be a thousand
times bigger, so it is refused with a sentence naming both readings (issue 17, "Forms
a person can trust"; issue 20, "No 500 from input").
"""

from __future__ import annotations

import doctest
import json
from decimal import Decimal

import pytest
from django.urls import get_resolver, reverse
from django.utils import translation

from conftest import area, resource
from sinfronteras import bounded_json, numbers
from sinfronteras.numbers import NumberRefused, parse
from sinfronteras.sharing import bounds
from sinfronteras.sharing.models import Need, Offer
from sinfronteras.web import formats


def test_the_examples_in_the_docstrings_run():
    for module in (numbers, bounded_json, formats, bounds):
        failed, tried = doctest.testmod(module)
        assert tried and not failed, module.__name__


@pytest.mark.parametrize("language, text, expected", [
    ("es", "1,5", "1.5"), ("es", "1.5", "1.5"), ("es", "1,500", "1.5"),
    ("en", "1.5", "1.5"), ("en", "1,5", "1.5"), ("en", "1.500", "1.5"),
    ("es", "1.283,5", "1283.5"), ("en", "1,283.5", "1283.5"), ("es", "12\u00a0500", "12500"),
    ("en", "1,000,000", "1000000"), ("es", "0.500", "0.5"), ("en", ",5", "0.5"),
])
def test_a_number_is_read_as_its_reader_writes_it(language, text, expected):
    assert parse(text, language) == Decimal(expected)


@pytest.mark.parametrize("language, text", [("es", "1.500"), ("en", "1,500"), ("es", "12.250")])
def test_a_thousand_or_a_decimal_is_ambiguous_and_refused(language, text):
    with pytest.raises(NumberRefused) as refused:
        parse(text, language)
    assert refused.value.code == "ambiguous"


@pytest.mark.parametrize("text", ["1e309", "-1e309", "9" * 40, "NaN", "Infinity", "²", "1 5",
                                  "0x10", "1.2.3", "", "--1", "١٢"])
def test_anything_but_digits_and_marks_is_not_a_number(text):
    with pytest.raises(NumberRefused):
        parse(text, "en")


def test_the_ambiguous_sentence_names_both_readings_in_each_language():
    with translation.override("es"):
        with pytest.raises(NumberRefused) as refused:
            parse("1.500")
        assert refused.value.sentence() == \
            "«1.500» puede ser 1500 o 1,5: escribe 1500, o 1,5."
    with translation.override("en"):
        with pytest.raises(NumberRefused) as refused:
            parse("1,500")
        assert refused.value.sentence() == "“1,500” could mean 1500 or 1.5: write 1500, or 1.5."


def post_need(client, member, la, quantity, language):
    member.language = language
    member.save(update_fields=["language"])
    client.force_login(member)
    return client.post(reverse("need_new"), {"resource": resource(la, "food").pk,
                                             "quantity": quantity,
                                             "area": area(la, "Echo Park").pk})


@pytest.mark.parametrize("language, typed", [("es", "1,5"), ("es", "1.5"), ("en", "1.5"),
                                             ("en", "1,5")])
def test_one_and_a_half_is_stored_as_one_and_a_half_in_either_language(client, la, bob,
                                                                        language, typed):
    response = post_need(client, bob, la, typed, language)
    assert response.status_code == 302
    assert Need.objects.get().quantity == Decimal("1.5")


@pytest.mark.parametrize("language, typed, words", [
    ("es", "1.500", "«1.500» puede ser 1500 o 1,5"),
    ("en", "1,500", "“1,500” could mean 1500 or 1.5"),
])
def test_an_ambiguous_amount_is_asked_about_and_nothing_is_stored(client, la, bob, language,
                                                                   typed, words):
    response = post_need(client, bob, la, typed, language)
    assert response.status_code == 200 and not Need.objects.exists()
    page = response.content.decode()
    assert words in page
    assert f'value="{typed}"' in page  # what was typed stays, to be corrected


def test_one_point_five_hundred_in_english_is_one_and_a_half(client, la, bob):
    assert post_need(client, bob, la, "1.500", "en").status_code == 302
    assert Need.objects.get().quantity == Decimal("1.5")


@pytest.mark.parametrize("language, shown", [("es", 'value="1,5"'), ("en", 'value="1.5"')])
def test_a_stored_amount_is_shown_back_the_readers_way_in_a_text_field(client, la, bob, need_of,
                                                                       language, shown):
    need = need_of(bob, "food", "1.5")
    bob.language = language
    bob.save(update_fields=["language"])
    client.force_login(bob)
    page = client.get(reverse("need_edit", args=[need.pk])).content.decode()
    assert shown in page and 'inputmode="decimal"' in page and 'type="number"' not in page


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("typed", ["1e309", "-1e309", "9" * 40, "NaN", "-Infinity", "²"])
def test_hostile_amounts_are_form_errors_never_a_server_error(client, la, bob, language, typed):
    response = post_need(client, bob, la, typed, language)
    assert response.status_code == 200 and not Need.objects.exists()
    assert 'class="error"' in response.content.decode()


@pytest.mark.parametrize("typed", ["1e309", "-1e309", "9" * 40])
def test_the_coordinators_number_forms_take_hostile_values_without_a_server_error(client, la,
                                                                                 alice, typed):
    client.force_login(alice)
    for url, data in [
        (reverse("area_new"), {"name": "Westlake", "lat": typed, "lon": typed}),
        (reverse("resource_new"), {"name_en": "Rice", "name_es": "Arroz", "unit": "kg",
                                   "step": typed}),
        (reverse("organizing:action_new"), {"title": "Rally", "copies": typed, "people": typed,
                                           "hours_each": typed}),
        (reverse("assembly:propose_kind", args=["budget"]), {"title": "Fridge", "budget": typed,
                                                             "quorum": typed}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200, (url, response.status_code)


@pytest.mark.parametrize("query", ["?area=²", "?area=" + "9" * 26, "?area=-1", "?area=%00"])
def test_an_odd_area_in_a_query_is_ignored(client, bob, query):
    client.force_login(bob)
    assert client.get(reverse("plans:alerts") + query).status_code == 200
    assert client.get(reverse("offer_new") + query.replace("area", "resource")).status_code == 200


def id_patterns():
    """Every page address that takes an id, with the other parts filled in."""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                route = prefix + str(pattern.pattern)
                if "pk" in route or "<id:" in route:
                    found.append(route)

    walk(get_resolver().url_patterns)
    return found


def test_a_26_digit_id_is_not_found_at_every_address_that_takes_an_id(client, bob):
    client.force_login(bob)
    routes = [r for r in id_patterns() if not r.startswith("api/")]
    assert len(routes) >= 20
    huge = "9" * 26
    for route in routes:
        path = "/" + route.replace("^", "").replace("$", "")
        path = path.replace("(?P<pk>[0-9]{1,10})", huge)
        for part in ("(?P<action>accept|decline|take|done)", "(?P<state>done|let_go|due)",
                     "(?P<what>need|task)"):
            path = path.replace(part, part.split(">")[1].split("|")[0])
        path = path.replace("<id:pk>", huge).replace("<str:ext>", "csv").replace("<slug:kind>", "x")
        for method in (client.get, client.post):
            status = method(path).status_code
            assert status in (404, 405), (path, status)
    assert "<int:" not in " ".join(routes)  # every id goes through the bounded converter


def test_a_deeply_nested_body_is_a_400_from_the_api(client, bob):
    client.force_login(bob)
    response = client.post("/api/needs", data="[" * 50000 + "]" * 50000,
                           content_type="application/json")
    assert response.status_code == 400


def test_a_huge_number_in_the_api_is_a_400(client, bob, la):
    client.force_login(bob)
    for quantity in ["1e309", "-1e309", "9" * 40]:
        response = client.post("/api/offers", data=json.dumps({
            "resources": [resource(la, "food").pk], "quantity": quantity,
            "area": area(la, "Echo Park").pk}), content_type="application/json")
        assert response.status_code == 400, quantity
    assert not Offer.objects.exists()

