"""Every input is bounded where it enters: dates within the collective's horizon, quantities,
reaches, ids and list lengths, with words that say what to fix (``sharing.bounds``)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assembly_helpers import end_window, propose
from conftest import area, resource
from sinfronteras.assembly.services import do_close, do_vote
from sinfronteras.organizing.forms import ActionForm
from sinfronteras.sharing.models import Need, Offer


@pytest.fixture
def api(client, bob):
    client.force_login(bob)

    def post(path, body):
        return client.post(f"/api{path}", data=json.dumps(body), content_type="application/json")

    return post


def need_body(la, **changes):
    return {"resource": resource(la, "food").pk, "quantity": "2", "area": area(la, "Echo Park").pk,
            **changes}


def offer_body(la, **changes):
    return {"resources": [resource(la, "food").pk], "quantity": "5",
            "area": area(la, "Echo Park").pk, **changes}


def days_ahead(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def test_a_need_dated_in_year_9999_is_refused_with_what_to_pick(api, la):
    response = api("/needs", need_body(la, needed_by="9999-12-31"))
    assert response.status_code == 400
    assert "Pick a day up to" in response.json()["errors"]["needed_by"][0]
    assert not Need.objects.exists()


def test_a_need_may_be_dated_a_year_ahead_and_not_a_day_more(api, la):
    assert api("/needs", need_body(la, needed_by=days_ahead(365))).status_code == 201
    assert api("/needs", need_body(la, needed_by=days_ahead(366))).status_code == 400


def test_an_offer_lasting_past_the_horizon_is_refused(api, la):
    response = api("/offers", offer_body(la, available_until=days_ahead(400)))
    assert response.status_code == 400 and "available_until" in response.json()["errors"]


def test_the_members_shorten_the_horizon_by_decision(api, la, alice, bob, carla):
    proposal = propose(alice, kind="majority", change="horizon_days", change_value="30")
    for member in (alice, bob, carla):
        do_vote(member, proposal, {"answer": "yes"})
    decision = do_close(end_window(proposal))
    assert decision.passed
    la.refresh_from_db()
    assert la.horizon_days == 30
    assert api("/needs", need_body(la, needed_by=days_ahead(31))).status_code == 400
    assert api("/needs", need_body(la, needed_by=days_ahead(30))).status_code == 201


def test_a_horizon_outside_a_week_to_ten_years_cannot_be_proposed(alice):
    from assembly_helpers import proposal_data
    from sinfronteras.assembly.forms import ProposeForm

    form = ProposeForm(proposal_data(kind="majority", change="horizon_days", change_value="5000"),
                       member=alice)
    assert not form.is_valid() and "from 7 to 3650" in form.errors["change_value"][0]


@pytest.mark.parametrize("field, value, words", [
    ("quantity", "1000001", "at most 1,000,000"),
    ("quantity", "0.0001", "decimal places"),
    ("radius_km", "20001", "at most 20,000 km"),
])
def test_quantities_and_reaches_have_bounds(api, la, field, value, words):
    response = api("/offers", offer_body(la, **{field: value}))
    assert response.status_code == 400 and words in response.json()["errors"][field][0]
    assert not Offer.objects.exists()


def test_a_huge_id_in_an_offers_resources_is_a_400_not_a_500(api, la):
    response = api("/offers", offer_body(la, resources=[2**40]))
    assert response.status_code == 400 and "resources" in json.dumps(response.json())


def test_a_huge_area_id_on_the_need_page_is_an_error_not_a_500(client, bob, la):
    client.force_login(bob)
    response = client.post(reverse("need_new"), {"resource": resource(la, "food").pk,
                                                "quantity": "1", "area": str(2**63)})
    assert response.status_code == 200 and not Need.objects.exists()
    assert "Pick one of your collective" in response.content.decode()


def test_an_offer_lists_at_most_twenty_resources(api, la):
    response = api("/offers", offer_body(la, resources=list(range(1, 22))))
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/needs/99999999999999999999/", "/offers/99999999999999/"])
def test_a_huge_id_in_a_page_path_is_not_found(client, bob, path):
    client.force_login(bob)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/api/needs/99999999999999999999", "/api/offers/99999999999999"])
def test_a_huge_id_in_an_api_path_is_a_400_naming_it(client, bob, path):
    # The API names what to fix (tests/api/test_api_errors.py has the shape of the answer).
    client.force_login(bob)
    response = client.get(path)
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")


def test_the_date_words_are_in_spanish_too(client, bob, la):
    bob.language = "es"
    bob.save()
    client.force_login(bob)
    page = client.post(reverse("need_new"), {"resource": resource(la, "food").pk, "quantity": "1",
                                             "area": area(la, "Echo Park").pk,
                                             "needed_by": "9999-12-31"}).content.decode()
    assert "Elige un día hasta" in page


@translation.override("en")
def test_an_action_in_year_9999_is_refused_not_a_500(bob, la):
    form = ActionForm({"title": "Rally", "area": area(la, "Echo Park").pk, "day": "9999-12-31",
                       "hour": "23:59"}, member=bob)
    assert not form.is_valid() and "Pick a day up to" in form.errors["day"][0]


@translation.override("en")
def test_a_conversation_held_ten_years_ago_is_refused(bob, la):
    from sinfronteras.organizing.forms import ConversationForm

    form = ConversationForm({"area": area(la, "Echo Park").pk, "held_on": str(date(2016, 1, 1)),
                             "nickname": "Rosa", "interest": "3"}, member=bob)
    assert not form.is_valid() and "within the last year" in form.errors["held_on"][0]
