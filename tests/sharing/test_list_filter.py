"""The coordinators' Needs and Offers lists narrow by resource, area, state and a search of what
they show (FINDINGS, December 2026: "15 and 21 screens long at 360 px, with no filter")."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import area, make_member


def ids(html: str, prefix: str) -> set[int]:
    import re

    return {int(n) for n in re.findall(rf'id="{prefix}-(\d+)"', html)}


def test_a_coordinator_narrows_the_needs_by_resource_area_state_and_name(
        client, alice, bob, carla, la, need_of):
    food = need_of(bob, "food", 5)
    diapers = need_of(carla, "diapers", 2, urgent=True)
    legal = need_of(carla, "legal-help", 1, area=area(la, "Koreatown"))
    client.force_login(alice)
    url = reverse("needs")
    everything = client.get(url).content.decode()
    assert ids(everything, "need") == {food.pk, diapers.pk, legal.pk}
    assert 'id="list-filter"' in everything and "Filter and search" in everything

    by_resource = client.get(url, {"resource": la.resources.get(key="food").pk})
    assert ids(by_resource.content.decode(), "need") == {food.pk}
    by_area = client.get(url, {"area": area(la, "Koreatown").pk})
    assert ids(by_area.content.decode(), "need") == {legal.pk}
    urgent = client.get(url, {"state": "urgent"})
    assert ids(urgent.content.decode(), "need") == {diapers.pk}
    by_name = client.get(url, {"q": "carl"}).content.decode()
    assert ids(by_name, "need") == {diapers.pk, legal.pk}
    assert "2 match this filter." in by_name
    by_spanish_name = client.get(url, {"q": "pañal"})
    assert ids(by_spanish_name.content.decode(), "need") == {diapers.pk}


def test_the_needs_filter_reads_a_need_s_progress_as_its_card_does(
        client, alice, bob, la, need_of):
    from sinfronteras.sharing.models import Need

    waiting = need_of(bob, "food", 5)
    client.force_login(alice)
    shown = client.get(reverse("needs"), {"state": "open"}).content.decode()
    assert ids(shown, "need") == {waiting.pk}
    assert not ids(client.get(reverse("needs"), {"state": "planned"}).content.decode(), "need")
    assert Need.objects.with_progress().in_state("open").get() == waiting


def test_the_search_never_looks_at_a_login_name_or_what_the_list_does_not_show(
        client, alice, la, need_of, password_hash):
    hidden = make_member(la, "zq-login", "Echo Park", password_hash=password_hash)
    hidden.display_name = "Rosa M."
    hidden.save()
    need = need_of(hidden, "food", 3)
    client.force_login(alice)
    assert not ids(client.get(reverse("needs"), {"q": "zq-login"}).content.decode(), "need")
    assert ids(client.get(reverse("needs"), {"q": "rosa"}).content.decode(), "need") == {need.pk}


def test_a_bad_filter_value_is_no_filter_not_an_error(client, alice, bob, la, oakland, need_of):
    need = need_of(bob, "food", 5)
    client.force_login(alice)
    for query in ({"area": oakland.areas.get().pk}, {"resource": "9" * 30}, {"state": "gone"},
                  {"area": "²"}, {"q": "a\x00b" * 40}):
        response = client.get(reverse("needs"), query)
        assert response.status_code == 200
        assert need.pk in ids(response.content.decode(), "need") or "q" in query


def test_a_coordinator_narrows_the_offers_by_state_and_resource(client, alice, bob, carla, la,
                                                                offer_of):
    from sinfronteras.sharing.models import Offer

    food = offer_of(bob, ["food"], 10)
    hours = offer_of(carla, ["childcare", "legal-help"], 4)
    Offer.objects.filter(pk=hours.pk).update(committed_milli=4000)  # the plan took all of it
    client.force_login(alice)
    url = reverse("offers")
    assert ids(client.get(url).content.decode(), "offer") == {food.pk, hours.pk}
    assert ids(client.get(url, {"state": "unused"}).content.decode(), "offer") == {food.pk}
    assert ids(client.get(url, {"state": "all_used"}).content.decode(), "offer") == {hours.pk}
    legal = la.resources.get(key="legal-help").pk
    assert ids(client.get(url, {"resource": legal}).content.decode(), "offer") == {hours.pk}
    both = client.get(url, {"q": "a"}).content.decode()  # matches both resources of one offer
    assert ids(both, "offer") == {food.pk, hours.pk} and both.count(f'id="offer-{hours.pk}"') == 1


def test_the_filter_adds_the_same_few_queries_however_many_needs_there_are(
        client, alice, bob, la, need_of):
    def count(query):
        with CaptureQueriesContext(connection) as seen:
            assert client.get(reverse("needs"), query).status_code == 200
        return len(seen)

    client.force_login(alice)
    need_of(bob, "food", 1)
    few = count({"q": "food", "state": "open"})
    for n in range(30):
        need_of(bob, "diapers", Decimal(n + 1))
    assert count({"q": "o", "state": "open"}) == few


def test_a_member_sees_their_own_list_without_the_filter(client, bob, need_of):
    need_of(bob, "food", 5)
    client.force_login(bob)
    assert 'id="list-filter"' not in client.get(reverse("needs")).content.decode()


def test_the_pager_keeps_the_filter(client, alice, bob, la, need_of):
    from sinfronteras.sharing import views

    for n in range(views.PER_PAGE + 2):
        need_of(bob, "food", n + 1)
    client.force_login(alice)
    html = client.get(reverse("needs"), {"q": "food"}).content.decode()
    assert 'href="?q=food&amp;page=2"' in html


def test_the_filter_reads_in_spanish(client, alice, bob, need_of):
    need_of(bob, "food", 5)
    alice.language = "es"
    alice.save()
    client.force_login(alice)
    html = client.get(reverse("needs"), {"q": "comida"}).content.decode()
    assert "Filtrar y buscar" in html and "coincide con este filtro" in html
