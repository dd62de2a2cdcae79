"""Two collectives of one server federate through an invitation code and plan one round together.

The same code paths as between servers (digests signed and checked, the plan verified before it
is applied), delivered in this process: the three-server tests (test_federation_servers.py) add
the wire.
"""

from __future__ import annotations

import pytest

from sinfronteras.federation import peers, rounds, services
from sinfronteras.federation.models import Peer, ReceivedDigest, Round, RoundState, Transfer
from sinfronteras.plans.models import Task

RICE = "http://www.wikidata.org/entity/Q5090"


@pytest.fixture(autouse=True)
def key_folder(settings, tmp_path):
    settings.FEDERATION_KEY_DIR = str(tmp_path / "federation-keys")
    settings.FEDERATION_URL = "http://127.0.0.1:8000"


@pytest.fixture
def shared_food(la, oakland):
    for collective in (la, oakland):
        collective.resources.filter(key="food").update(uri=RICE)


def test_a_collective_joins_through_the_code_and_both_know_each_other(la, oakland):
    federation, code = services.do_create_federation("Sin Fronteras", la)
    services.do_join(code, oakland)
    assert sorted(Peer.objects.filter(federation=federation).values_list("slug", flat=True)) == [
        "la-unidos", "oakland"]


def test_an_invitation_code_is_good_once(la, oakland, password_hash):
    from sinfronteras.members.models import Collective

    _federation, code = services.do_create_federation("Sin Fronteras", la)
    services.do_join(code, oakland)
    third = Collective.objects.create(name="Third", slug="third")
    with pytest.raises(services.FederationError, match="unknown, used or expired"):
        services.do_join(code, third)


def test_a_cut_code_says_to_copy_it_whole(oakland):
    with pytest.raises(services.FederationError, match="copy it whole"):
        services.do_join("sfed1.eyJzIjoi", oakland)


def test_a_round_plans_the_union_and_each_side_applies_its_part(la, oakland, shared_food, bob, dmitri,
                                                                need_of, offer_of):
    # Oakland has food to give with no reach limit; LA needs it.
    offer_of(dmitri, ["food"], 8)
    need = need_of(bob, "food", 5)
    _federation, code = services.do_create_federation("Sin Fronteras", la)
    services.do_join(code, oakland)
    report = rounds.do_round(la, timeout=10)
    assert [m["state"] for m in report["members"]] == ["planned", "planned"]
    mine = Round.objects.get(peer__collective=la, uid=report["round"])
    theirs = Round.objects.get(peer__collective=oakland, uid=report["round"])
    assert mine.state == theirs.state == RoundState.APPLIED
    assert mine.digest_hash == theirs.digest_hash == report["digest"]
    transfers = Transfer.objects.filter(round=theirs)
    assert [(t.giver.slug, t.taker.slug, float(t.quantity)) for t in transfers] == [("oakland", "la-unidos", 5.0)]
    # Nothing of Oakland's own rows crossed: LA holds only its digest of totals.
    assert ReceivedDigest.objects.filter(round=mine).count() == 2
    assert not Task.objects.filter(need=need).exclude(offer__collective=la).exists()


def test_a_plan_that_gives_a_need_less_than_it_could_get_is_refused_and_nothing_applied(
        la, oakland, shared_food, bob, dmitri, need_of, offer_of):
    offer_of(dmitri, ["food"], 8)
    need_of(bob, "food", 5)
    _federation, code = services.do_create_federation("Sin Fronteras", la)
    services.do_join(code, oakland)

    def stingy(union, plan_doc, cert):
        for row in plan_doc["allocations"]:
            row["quantity"] = row["quantity"] / 2
        for row in plan_doc["needs"]:
            row["met"] = row["met"] / 2
            row["fraction"] = row["fraction"] / 2
        return plan_doc, cert

    report = rounds.do_round(la, timeout=10, plan_hook=stingy)
    theirs = Round.objects.get(peer__collective=oakland, uid=report["round"])
    assert theirs.state == RoundState.REFUSED
    assert "not proved optimal" in theirs.reason or "infeasible" in theirs.reason or theirs.reason
    assert not Transfer.objects.filter(round=theirs).exists()
    assert report["members"][1]["state"].startswith("left out: ")


def test_a_transfer_without_a_public_place_is_declined_on_both_sides_and_one_with_it_accepted(
        la, oakland, shared_food, bob, carla, dmitri, need_of, offer_of, django_capture_on_commit_callbacks):
    from decimal import Decimal

    from sinfronteras.sharing.models import Resource

    la.carrier_reach_km = 1000  # Carla carries for LA, as far as Oakland's pantry
    la.save(update_fields=["carrier_reach_km"])
    Resource.objects.create(collective=la, key="carrying", name_en="Carrying", unit="hours", carries=True)
    offer_of(carla, ["carrying"], 40, radius_km=Decimal(1000))
    offer = offer_of(dmitri, ["food"], 8)
    need_of(bob, "food", 5)
    _federation, code = services.do_create_federation("Sin Fronteras", la)
    services.do_join(code, oakland)
    with django_capture_on_commit_callbacks(execute=True):  # as after a real commit
        report = rounds.do_round(la, timeout=10)
    assert set(Transfer.objects.filter(round__uid=report["round"]).values_list("state", flat=True)) == {"declined"}
    offer.public_place = "Fruitvale pantry, front door"
    offer.save()
    with django_capture_on_commit_callbacks(execute=True):
        report = rounds.do_round(la, timeout=10)
    rows = Transfer.objects.filter(round__uid=report["round"])
    assert rows.count() == 2  # one half on each side
    assert {(t.state, t.place_name) for t in rows} == {("accepted", "Fruitvale pantry, front door")}


def test_members_take_turns_to_start_a_round_and_the_next_one_steps_in_when_the_first_is_silent(
        la, oakland, settings):
    from datetime import timedelta

    settings.FEDERATION_ROUND_HOURS = 6
    federation, code = services.do_create_federation("Sin Fronteras", la)
    services.do_join(code, oakland)
    first, second = sorted(Peer.objects.filter(federation=federation), key=peers.label)
    since = max(first.joined_at, second.joined_at)
    assert not rounds.round_due(first, since + timedelta(hours=5))
    assert rounds.round_due(first, since + timedelta(hours=7))
    assert not rounds.round_due(second, since + timedelta(hours=7))
    assert rounds.round_due(second, since + timedelta(hours=13))
