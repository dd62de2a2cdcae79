"""*My tasks* gathers the hand-overs of one public place, one window and one other collective in
one card, with each part listed; the card's buttons act on each of its hand-overs, and a
hand-over that is not the member's is refused."""

from __future__ import annotations

import html
from datetime import time, timedelta
from decimal import Decimal

import pytest
import time_machine

from sinfronteras.federation import rounds, services
from sinfronteras.federation.models import Handover, HandoverState, Transfer, TransferState
from sinfronteras.sharing.models import Resource, Slot

RICE = "http://www.wikidata.org/entity/Q5090"
PLACE = "Fruitvale community pantry"


@pytest.fixture(autouse=True)
def key_folder(settings, tmp_path):
    settings.FEDERATION_KEY_DIR = str(tmp_path / "federation-keys")
    settings.FEDERATION_URL = "http://127.0.0.1:8000"


@pytest.fixture
def two_transfers(la, oakland, alice, bob, carla, dmitri, password_hash, need_of, offer_of,
                  django_capture_on_commit_callbacks):
    """Oakland's pantry gives food to two LA needs in two areas: two transfers, one place, one
    window; Carla picks both up."""
    from conftest import make_member

    for collective in (la, oakland):
        collective.resources.filter(key="food").update(uri=RICE)
    la.carrier_reach_km = 1000
    la.save(update_fields=["carrier_reach_km"])
    Resource.objects.create(collective=la, key="carrying", name_en="Carrying", name_es="Transporte",
                            unit="hours", carries=True)
    pantry = offer_of(dmitri, ["food"], 20, public_place=PLACE)
    Slot.objects.create(offer=pantry, weekday=5, start=time(10), end=time(13))
    carrying = offer_of(carla, ["carrying"], 100, radius_km=Decimal(1000))
    Slot.objects.create(offer=carrying, weekday=5, start=time(9), end=time(13))
    need_of(bob, "food", 5)
    need_of(make_member(la, "kim", "Koreatown", password_hash=password_hash), "food", 7)
    _federation, code = services.do_create_federation("Sin Fronteras", la)
    services.do_join(code, oakland)
    with django_capture_on_commit_callbacks(execute=True):
        rounds.do_round(la, timeout=10)
    return Handover.objects.filter(carrier=carla)


def cards(client, member):
    client.force_login(member)
    return client.get("/tasks/").context["crossing"]


def test_the_carrier_reads_two_transfers_at_one_place_and_window_as_one_card_with_both_parts(
        client, two_transfers, carla):
    assert Transfer.objects.filter(round__peer__collective__slug="la-unidos").count() == 2
    [card] = cards(client, carla)
    assert card["many"] and len(card["rows"]) == 2 and len(card["receive"]) == 2
    assert card["sentence"].startswith(f"Pick up from the carrier of Oakland Sin Fronteras at {PLACE}")
    items = sorted(row["item"] for row in card["rows"])
    assert items == ["5 kg of Food, to Echo Park", "7 kg of Food, to Koreatown"]
    assert card["total"] == "In all: 12 kg of Food, in 2 parts."


def window_start():
    return Transfer.objects.filter(round__peer__collective__slug="la-unidos").first().window_start


def test_received_on_the_card_before_its_window_is_refused_and_changes_nothing(client, two_transfers,
                                                                             carla):
    [card] = cards(client, carla)
    response = client.post("/federation/handovers/received/", {"handover": card["receive"]}, follow=True)
    assert "Not yet: the hand-over's window has not started." in html.unescape(response.content.decode())
    assert set(two_transfers.values_list("state", flat=True)) == {HandoverState.PROPOSED}
    assert TransferState.RECEIVED not in set(Transfer.objects.values_list("state", flat=True))


def test_one_received_on_the_card_marks_every_transfer_of_it_received_on_both_sides(
        client, two_transfers, carla, dmitri, django_capture_on_commit_callbacks):
    [card] = cards(client, carla)
    with time_machine.travel(window_start() + timedelta(minutes=5), tick=True), \
            django_capture_on_commit_callbacks(execute=True):  # the confirmations go out after commit
        response = client.post("/federation/handovers/received/", {"handover": card["receive"]})
    assert response.status_code == 302
    assert set(two_transfers.values_list("state", flat=True)) == {HandoverState.RECEIVED}
    assert set(Transfer.objects.values_list("state", flat=True)) == {TransferState.RECEIVED}
    [card] = cards(client, carla)
    assert not card["receive"] and all(row["can_deliver"] for row in card["rows"])
    [given] = cards(client, dmitri)
    assert given["state"] == "received by the other collective: done" and not given["hand"]


def test_a_card_action_on_a_hand_over_of_somebody_else_is_refused_and_changes_nothing(
        client, two_transfers, bob):
    client.force_login(bob)
    response = client.post("/federation/handovers/received/",
                           {"handover": list(two_transfers.values_list("pk", flat=True))}, follow=True)
    assert "This is not one of your hand-overs." in response.content.decode()
    assert set(two_transfers.values_list("state", flat=True)) == {HandoverState.PROPOSED}


def test_i_cant_do_it_on_the_card_releases_every_transfer_of_it_on_both_sides(
        client, two_transfers, carla, django_capture_on_commit_callbacks):
    [card] = cards(client, carla)
    with django_capture_on_commit_callbacks(execute=True):  # the rejections go out after commit
        client.post("/federation/handovers/decline/", {"handover": card["decline"]})
    assert set(Transfer.objects.values_list("state", flat=True)) == {TransferState.DECLINED}
    assert set(Handover.objects.values_list("state", flat=True)) == {HandoverState.RELEASED}
    assert cards(client, carla) == []
