"""Days and hours (slots) and an offer's public place through the JSON API: shown, taken,
kept, cleared, refused with a 400 naming them, and used by the plan's windows."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import area, resource
from plans_fixtures import plan_now
from sinfronteras.members.models import ApiToken
from sinfronteras.plans.models import Task
from sinfronteras.sharing.models import Need, Offer, Slot

LA = ZoneInfo("America/Los_Angeles")
SAT, SUN = 5, 6
SATURDAY_MORNING = {"weekday": SAT, "start": "10:00", "end": "13:00"}
SUNDAY_EVENING = {"weekday": SUN, "start": "18:30", "end": "20:00"}


@pytest.fixture
def api_of(client):
    """api_of(member)(method, path, body): a call with a fresh token of that member."""

    def for_member(member):
        _, token = ApiToken.issue(member, "phone")

        def call(method, path, body=None):
            kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
            if body is not None:
                kwargs.update(data=json.dumps(body), content_type="application/json")
            return getattr(client, method)(f"/api{path}", **kwargs)

        return call

    return for_member


@pytest.fixture
def bob_api(api_of, bob):
    return api_of(bob)


def a_need(la, **changes):
    return {"resource": resource(la, "food").pk, "quantity": 4, "area": area(la, "Echo Park").pk,
            **changes}


def an_offer(la, **changes):
    return {"resources": [resource(la, "food").pk], "quantity": 5,
            "area": area(la, "Echo Park").pk, **changes}


def stored(owner) -> list[tuple]:
    return [(s.weekday, f"{s.start:%H:%M}", f"{s.end:%H:%M}") for s in owner.slots.all()]


def test_a_need_made_with_days_and_hours_shows_them_when_read_back(bob_api, la):
    created = bob_api("post", "/needs", a_need(la, slots=[SUNDAY_EVENING, SATURDAY_MORNING]))
    assert created.status_code == 201, created.content
    assert created.json()["slots"] == [SATURDAY_MORNING, SUNDAY_EVENING]
    need = Need.objects.get()
    assert stored(need) == [(SAT, "10:00", "13:00"), (SUN, "18:30", "20:00")]
    assert bob_api("get", f"/needs/{need.pk}").json()["slots"] == [SATURDAY_MORNING, SUNDAY_EVENING]
    assert bob_api("get", "/needs").json()[0]["slots"] == [SATURDAY_MORNING, SUNDAY_EVENING]


def test_a_need_made_without_days_and_hours_has_none(bob_api, la):
    created = bob_api("post", "/needs", a_need(la))
    assert created.status_code == 201 and created.json()["slots"] == []
    assert not Slot.objects.exists()


def test_a_patch_without_slots_keeps_them_and_an_empty_list_clears_them(bob_api, la):
    need_id = bob_api("post", "/needs", a_need(la, slots=[SATURDAY_MORNING])).json()["id"]
    kept = bob_api("patch", f"/needs/{need_id}", {"quantity": 6})
    assert kept.status_code == 200, kept.content
    assert kept.json()["slots"] == [SATURDAY_MORNING]
    assert stored(Need.objects.get()) == [(SAT, "10:00", "13:00")]

    replaced = bob_api("patch", f"/needs/{need_id}", {"slots": [SUNDAY_EVENING]})
    assert replaced.json()["slots"] == [SUNDAY_EVENING]
    assert stored(Need.objects.get()) == [(SUN, "18:30", "20:00")]

    cleared = bob_api("patch", f"/needs/{need_id}", {"slots": []})
    assert cleared.status_code == 200 and cleared.json()["slots"] == []
    assert not Slot.objects.exists()
    assert str(Need.objects.get().quantity) == "6.000"


def test_an_offer_keeps_its_slots_through_a_patch_and_clears_them_with_an_empty_list(bob_api, la):
    offer_id = bob_api("post", "/offers", an_offer(la, slots=[SATURDAY_MORNING])).json()["id"]
    assert bob_api("patch", f"/offers/{offer_id}", {"quantity": 7}).json()["slots"] == [
        SATURDAY_MORNING]
    assert bob_api("get", "/offers").json()[0]["slots"] == [SATURDAY_MORNING]
    assert bob_api("patch", f"/offers/{offer_id}", {"slots": []}).json()["slots"] == []
    assert not Offer.objects.get().slots.exists()


@pytest.mark.parametrize("rows, words", [
    ([{"weekday": SAT, "start": "13:00", "end": "10:00"}], "Row 1: the time until must be after"),
    ([SATURDAY_MORNING, {"weekday": SAT, "start": "12:00", "end": "12:00"}], "Row 2: the time until"),
    ([SATURDAY_MORNING] * 4, "at most 3 rows"),
    ([{"weekday": 7, "start": "10:00", "end": "13:00"}], "Row 1, weekday: give the day as 0"),
    ([{"weekday": SAT, "start": "10", "end": "13:00"}], "Row 1, start: give the time as HH:MM"),
    ([{"weekday": SAT, "start": "10:00"}], "Row 1, end: Field required"),
    ("Saturdays", "Give a list of rows"),
])
def test_bad_rows_of_days_and_hours_are_a_400_naming_slots_and_nothing_is_written(
        bob_api, la, rows, words):
    response = bob_api("post", "/needs", a_need(la, slots=rows))
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert set(errors) == {"slots"} and words in " ".join(errors["slots"]), errors
    assert not Need.objects.exists() and not Slot.objects.exists()


def test_a_bad_patch_of_slots_keeps_the_stored_ones(bob_api, la):
    offer_id = bob_api("post", "/offers", an_offer(la, slots=[SATURDAY_MORNING])).json()["id"]
    response = bob_api("patch", f"/offers/{offer_id}",
                       {"slots": [{"weekday": SUN, "start": "20:00", "end": "18:00"}]})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"slots"}
    assert stored(Offer.objects.get()) == [(SAT, "10:00", "13:00")]


def test_an_offers_public_place_round_trips(bob_api, la):
    door = "Pantry door, 1st Street Church hall"
    created = bob_api("post", "/offers", an_offer(la, public_place=door))
    assert created.status_code == 201 and created.json()["public_place"] == door
    offer_id = created.json()["id"]
    assert Offer.objects.get().public_place == door
    assert bob_api("patch", f"/offers/{offer_id}", {"quantity": 2}).json()["public_place"] == door
    moved = bob_api("patch", f"/offers/{offer_id}", {"public_place": "Side door"})
    assert moved.json()["public_place"] == "Side door"
    assert bob_api("get", f"/offers/{offer_id}").json()["public_place"] == "Side door"
    too_long = bob_api("patch", f"/offers/{offer_id}", {"public_place": "x" * 201})
    assert too_long.status_code == 400 and "public_place" in too_long.json()["errors"]
    assert Offer.objects.get().public_place == "Side door"


def test_the_same_idempotency_key_with_other_slots_is_refused(client, bob, la):
    _, token = ApiToken.issue(bob, "phone")

    def post(rows):
        return client.post("/api/offers", json.dumps(an_offer(la, slots=rows)),
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
                           HTTP_IDEMPOTENCY_KEY="o-slots")

    assert post([SATURDAY_MORNING, SUNDAY_EVENING]).status_code == 201
    assert post([SATURDAY_MORNING, SUNDAY_EVENING]).status_code == 200
    assert post([SATURDAY_MORNING]).status_code == 409
    assert Offer.objects.count() == 1


def test_the_openapi_document_describes_slots_and_the_public_place(client, la):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    row = schemas["SlotRow"]["properties"]
    assert (row["weekday"]["minimum"], row["weekday"]["maximum"]) == (0, 6)
    assert "HH:MM" in row["start"]["description"] and row["end"]["pattern"]
    assert schemas["NeedIn"]["properties"]["slots"]["maxItems"] == 3
    assert "maxItems" in json.dumps(schemas["OfferPatch"]["properties"]["slots"])
    assert schemas["OfferIn"]["properties"]["public_place"]["maxLength"] == 200
    assert {"slots", "public_place"} <= set(schemas["OfferOut"]["required"])
    assert "slots" in schemas["NeedOut"]["required"]


def test_a_planned_task_gets_its_window_from_slots_given_through_the_api(api_of, la, alice, bob,
                                                                         carla):
    # A Wednesday in Los Angeles: the coming Saturday is 12 December 2026.
    with time_machine.travel(datetime(2026, 12, 9, 9, 0, tzinfo=LA), tick=False):
        given = api_of(bob)("post", "/offers", an_offer(la, slots=[SATURDAY_MORNING]))
        asked = api_of(carla)("post", "/needs", a_need(la, quantity=5, slots=[
            {"weekday": SAT, "start": "09:00", "end": "12:00"}]))
        assert (given.status_code, asked.status_code) == (201, 201)
        run = plan_now(la, alice)
        assert run.status == "done", run.error
        task = Task.objects.get(run=run, need_id=asked.json()["id"])
    assert task.offer_id == given.json()["id"] and task.timed
    assert (task.window_start, task.window_end) == (datetime(2026, 12, 12, 10, tzinfo=LA),
                                                    datetime(2026, 12, 12, 12, tzinfo=LA))
