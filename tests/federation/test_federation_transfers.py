"""A transfer from one collective to another, end to end on one server: both sides get a task at
the same public place in the same window; the taker's carrier marks it received and the giver
records the signed confirmation; a decline or a window that passes releases both sides and the
next round plans it again; a transfer no carrier can reach is not planned, and the plan page says
so; a replan keeps every task of a transfer.

The same code paths as between servers (``deliver_many`` hands the activities over in this
process); ``test_federation_servers.py`` adds the wire and its canary.
"""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone, translation

from sinfronteras.federation import handovers, rounds, services, transfers
from sinfronteras.federation.models import Handover, HandoverState, Transfer, TransferState
from sinfronteras.plans.housekeeping import do_housekeeping
from sinfronteras.plans.models import Task
from sinfronteras.plans.problem import snapshot
from sinfronteras.plans.runs import do_request_run, execute_run
from sinfronteras.sharing.models import NeedStatus, Resource, Slot

RICE = "http://www.wikidata.org/entity/Q5090"
PLACE = "Fruitvale community pantry"
SATURDAY = 5


@pytest.fixture(autouse=True)
def key_folder(settings, tmp_path):
    settings.FEDERATION_KEY_DIR = str(tmp_path / "federation-keys")
    settings.FEDERATION_URL = "http://127.0.0.1:8000"


def slot(offer, weekday, start, end):
    Slot.objects.create(offer=offer, weekday=weekday, start=time(start), end=time(end))


@pytest.fixture
def crossing(la, oakland, alice, bob, carla, dmitri, need_of, offer_of):
    """Oakland's pantry gives food on Saturdays 10–13; LA's Bob needs it; Carla carries for LA on
    Saturdays 9–12 and reaches Oakland."""
    for collective in (la, oakland):
        collective.resources.filter(key="food").update(uri=RICE)
    la.carrier_reach_km = 1000
    la.save(update_fields=["carrier_reach_km"])
    Resource.objects.create(collective=la, key="carrying", name_en="Carrying", name_es="Transporte",
                            unit="hours", carries=True)
    pantry = offer_of(dmitri, ["food"], 8, public_place=PLACE)
    slot(pantry, SATURDAY, 10, 13)
    carrying = offer_of(carla, ["carrying"], 40, radius_km=Decimal(1000))
    slot(carrying, SATURDAY, 9, 12)
    need = need_of(bob, "food", 5)
    _federation, code = services.do_create_federation("Sin Fronteras", la)
    services.do_join(code, oakland)
    return {"pantry": pantry, "carrying": carrying, "need": need}


def a_round(la, capture):
    with capture(execute=True):  # as after a real commit
        report = rounds.do_round(la, timeout=10)
    assert [m["state"] for m in report["members"]] == ["planned", "planned"]
    return report


def halves(report):
    rows = Transfer.objects.filter(round__uid=report["round"]).select_related("round__peer__collective")
    return {row.round.peer.collective.slug: row for row in rows}


def test_a_round_gives_both_sides_a_task_at_the_same_public_place_in_the_same_window(
        crossing, la, oakland, bob, carla, dmitri, django_capture_on_commit_callbacks):
    report = a_round(la, django_capture_on_commit_callbacks)
    side = halves(report)
    given, taken = side["oakland"], side["la-unidos"]
    assert given.state == taken.state == TransferState.ACCEPTED
    assert given.place_name == taken.place_name == PLACE
    assert (given.window_start, given.window_end) == (taken.window_start, taken.window_end)
    start, end = timezone.localtime(given.window_start), timezone.localtime(given.window_end)
    # The pantry's hours (10–13) and the carrier's (9–12) meet on Saturday 10:00–12:00.
    assert (start.weekday(), start.time(), end.time()) == (SATURDAY, time(10), time(12))
    mine = Handover.objects.get(transfer=given)
    theirs = Handover.objects.get(transfer=taken)
    assert (mine.offer_id, mine.carrier_id, mine.state) == (crossing["pantry"].pk, dmitri.pk, HandoverState.PROPOSED)
    assert (theirs.need_id, theirs.carrier_id, theirs.state) == (crossing["need"].pk, carla.pk, HandoverState.PROPOSED)
    assert handovers.describe(mine)["sentence"].startswith(
        f"Hand over 5 kg of Food to the carrier of LA Unidos at {PLACE}, Saturday")
    assert handovers.describe(theirs)["sentence"].startswith(
        f"Pick up 5 kg of Food from the carrier of Oakland Sin Fronteras at {PLACE}, Saturday")
    # Held from the plans: the need is no longer planned, the pantry has 3 kg left to plan.
    assert "n%d" % crossing["need"].pk not in snapshot(la).needs
    assert snapshot(oakland).problem["offers"][0]["quantity"] == 3.0


def test_received_on_the_takers_side_confirms_it_on_the_givers_and_the_family_gets_it(
        crossing, la, oakland, bob, carla, dmitri, django_capture_on_commit_callbacks):
    report = a_round(la, django_capture_on_commit_callbacks)
    side = halves(report)
    theirs = Handover.objects.get(transfer=side["la-unidos"])
    mine = Handover.objects.get(transfer=side["oakland"])
    with time_machine.travel(side["oakland"].window_start + timedelta(minutes=10)):  # at the place
        handovers.do_hand_over(dmitri, mine)
        assert Handover.objects.get(pk=mine.pk).state == HandoverState.HANDED
        with django_capture_on_commit_callbacks(execute=True):
            transfers.do_received(carla, theirs)
        given, taken = (Transfer.objects.get(pk=side[s].pk) for s in ("oakland", "la-unidos"))
        assert given.state == taken.state == TransferState.RECEIVED
        assert Handover.objects.get(pk=mine.pk).state == HandoverState.DONE
        # The giver keeps the taker's signed confirmation, checked against its key.
        assert given.confirmation["type"] == "EconomicEvent" and given.confirmation["fulfills"] == given.uid
        assert given.confirmation["proof"]["verificationMethod"].startswith(taken.taker.actor)
        theirs.refresh_from_db()
        assert theirs.state == HandoverState.RECEIVED
        handovers.do_delivered(carla, theirs)
        crossing["need"].refresh_from_db()
        assert crossing["need"].status == NeedStatus.FULFILLED
        with pytest.raises(handovers.HandoverRefused):
            transfers.do_received(carla, Handover.objects.get(pk=theirs.pk))
    assert Transfer.objects.get(pk=side["la-unidos"].pk).confirmation_taken_at is not None  # never sent again


def test_a_hand_over_cannot_be_marked_before_its_window_opens_in_english_or_spanish(
        crossing, la, oakland, carla, dmitri, django_capture_on_commit_callbacks):
    side = halves(a_round(la, django_capture_on_commit_callbacks))
    mine = Handover.objects.get(transfer=side["oakland"])
    theirs = Handover.objects.get(transfer=side["la-unidos"])
    start = side["oakland"].window_start
    with time_machine.travel(start - timedelta(minutes=5)):
        with pytest.raises(handovers.HandoverRefused, match=r"^Not yet: the hand-over's window has not "
                           r"started\. You can mark it from Saturday, .* at 10:00 AM, once you have been at"):
            handovers.do_hand_over(dmitri, mine)
        with translation.override("es"), pytest.raises(
                handovers.HandoverRefused, match=r"^Todavía no: la franja de la entrega no ha empezado\. "
                r"Puedes marcarla desde .*sábado.* 10:00.*, cuando hayas estado en el lugar público"):
            transfers.do_received(carla, theirs)
    # Nothing was marked, on either side, and no confirmation went out.
    assert {h.state for h in Handover.objects.all()} == {HandoverState.PROPOSED}
    assert {(t.state, t.confirmation) for t in Transfer.objects.all()} == {(TransferState.ACCEPTED, None)}
    with time_machine.travel(start + timedelta(minutes=1)):
        handovers.do_hand_over(dmitri, mine)
        with django_capture_on_commit_callbacks(execute=True):
            transfers.do_received(carla, theirs)
    assert {t.state for t in Transfer.objects.all()} == {TransferState.RECEIVED}


def _received_and_lost(side, carla, capture):
    """The taker's carrier marks it received; the confirmation never reaches the giver."""
    with time_machine.travel(side["oakland"].window_start + timedelta(minutes=10)):
        with capture(execute=False):  # the giver was down: the message is lost
            transfers.do_received(carla, Handover.objects.get(transfer=side["la-unidos"]))
    assert Transfer.objects.get(pk=side["oakland"].pk).state == TransferState.ACCEPTED
    assert Transfer.objects.get(pk=side["la-unidos"].pk).confirmation_taken_at is None


def test_a_lost_confirmation_is_sent_again_by_housekeeping_and_recorded_once(
        crossing, la, oakland, carla, dmitri, django_capture_on_commit_callbacks):
    side = halves(a_round(la, django_capture_on_commit_callbacks))
    _received_and_lost(side, carla, django_capture_on_commit_callbacks)
    assert do_housekeeping()["confirmations_sent_again"] == 1
    given, taken = (Transfer.objects.get(pk=side[s].pk) for s in ("oakland", "la-unidos"))
    assert given.state == TransferState.RECEIVED and given.confirmation == taken.confirmation
    assert Handover.objects.get(transfer=given).state == HandoverState.DONE
    assert taken.confirmation_taken_at is not None
    assert do_housekeeping()["confirmations_sent_again"] == 0  # taken: never sent again
    # The same confirmation once more (a resend that crossed the first answer): nothing changes.
    before = Transfer.objects.filter(pk=given.pk).values("state", "confirmation", "updated_at").get()
    assert transfers.send_confirmation(taken.round.peer, taken)
    assert Transfer.objects.filter(pk=given.pk).values("state", "confirmation", "updated_at").get() == before


def test_a_lost_confirmation_is_sent_again_by_the_next_round(
        crossing, la, oakland, carla, dmitri, django_capture_on_commit_callbacks):
    side = halves(a_round(la, django_capture_on_commit_callbacks))
    _received_and_lost(side, carla, django_capture_on_commit_callbacks)
    a_round(la, django_capture_on_commit_callbacks)
    assert Transfer.objects.get(pk=side["oakland"].pk).state == TransferState.RECEIVED
    assert Transfer.objects.get(pk=side["la-unidos"].pk).confirmation_taken_at is not None


def test_a_confirmation_not_signed_by_the_taker_is_refused_and_nothing_recorded(
        crossing, la, oakland, django_capture_on_commit_callbacks):
    report = a_round(la, django_capture_on_commit_callbacks)
    side = halves(report)
    giver, taker = side["oakland"].round.peer, side["la-unidos"].round.peer
    forged = transfers.confirmation(giver, side["la-unidos"])  # signed by the giver's own key
    forged["receiver"] = taker.actor
    with pytest.raises(services.FederationError, match="refused"):
        transfers.record_confirmation(giver, taker, {"id": "x", "object": forged})
    assert Transfer.objects.get(pk=side["oakland"].pk).state == TransferState.ACCEPTED


def test_a_decline_releases_both_sides_and_the_next_round_plans_it_again(
        crossing, la, oakland, dmitri, django_capture_on_commit_callbacks):
    report = a_round(la, django_capture_on_commit_callbacks)
    side = halves(report)
    with django_capture_on_commit_callbacks(execute=True):
        transfers.do_decline(dmitri, Handover.objects.get(transfer=side["oakland"]))
    assert {t.state for t in Transfer.objects.filter(round__uid=report["round"])} == {TransferState.DECLINED}
    assert not Handover.objects.filter(transfer__round__uid=report["round"]).exclude(
        state=HandoverState.RELEASED).exists()
    again = halves(a_round(la, django_capture_on_commit_callbacks))
    assert {t.state for t in again.values()} == {TransferState.ACCEPTED}
    assert float(again["la-unidos"].quantity) == 5.0


def test_a_window_that_passes_with_no_confirmation_releases_both_sides_and_is_planned_again(
        crossing, la, oakland, django_capture_on_commit_callbacks):
    report = a_round(la, django_capture_on_commit_callbacks)
    end = halves(report)["oakland"].window_end
    assert transfers.release_expired(end - timedelta(minutes=1)) == 0
    # Housekeeping releases it, one half on each side.
    assert do_housekeeping(end + timedelta(minutes=1))["transfers_released"] == 2
    assert {t.state for t in Transfer.objects.filter(round__uid=report["round"])} == {TransferState.EXPIRED}
    assert "n%d" % crossing["need"].pk in snapshot(la).needs  # open again
    again = halves(a_round(la, django_capture_on_commit_callbacks))
    assert {t.state for t in again.values()} == {TransferState.ACCEPTED}


def test_a_transfer_no_carrier_can_reach_is_not_planned_and_the_plan_page_says_so(
        crossing, client, la, oakland, alice, django_capture_on_commit_callbacks):
    crossing["carrying"].radius_km = Decimal(10)  # Carla reaches nowhere near the pantry
    crossing["carrying"].save()
    report = a_round(la, django_capture_on_commit_callbacks)
    side = halves(report)
    assert {(t.state, t.reason) for t in side.values()} == {(TransferState.DECLINED, transfers.NO_CARRIER)}
    assert not Handover.objects.exclude(state=HandoverState.RELEASED).exists()
    client.force_login(alice)
    page = client.get("/plan/").content.decode()
    assert 'id="not-crossing"' in page and "From Oakland Sin Fronteras" in page
    assert "no carrier can reach the public hand-over place in its opening hours" in page


def test_a_replan_keeps_every_task_of_a_transfer(crossing, la, oakland, django_capture_on_commit_callbacks):
    report = a_round(la, django_capture_on_commit_callbacks)
    before = list(Handover.objects.order_by("pk").values_list("pk", "state", "carrier_id"))
    for collective in (la, oakland):
        execute_run(do_request_run(collective, enqueue=False).pk)
    assert list(Handover.objects.order_by("pk").values_list("pk", "state", "carrier_id")) == before
    assert not Task.objects.filter(need=crossing["need"]).exists()  # never planned twice
    # A round with nothing changed plans nothing new: the transfer in progress stays.
    a_round(la, django_capture_on_commit_callbacks)
    assert list(Handover.objects.order_by("pk").values_list("pk", "state", "carrier_id")) == before
    assert {t.state for t in Transfer.objects.filter(round__uid=report["round"])} == {TransferState.ACCEPTED}


def test_the_transfers_of_one_offer_draw_on_the_carriers_hours_one_after_another(
        crossing, la, oakland, alice, need_of, django_capture_on_commit_callbacks):
    from sinfronteras.plans.carriers import carry_hours, km_between

    # A second need in another area: two transfers from Oakland's pantry, offered together. Carla
    # has the hours of one carry only: the first takes them, the second finds no carrier.
    second = need_of(alice, "food", 3)
    pantry = crossing["pantry"].area
    hours = [carry_hours(km_between(pantry, need.area)) for need in (crossing["need"], second)]
    crossing["carrying"].quantity = max(hours) + min(hours) - Decimal("0.25")
    crossing["carrying"].save()
    side = Transfer.objects.filter(round__uid=a_round(la, django_capture_on_commit_callbacks)["round"],
                                   round__peer__collective=la)
    assert sorted((t.state, t.reason) for t in side) == [(TransferState.ACCEPTED, ""),
                                                         (TransferState.DECLINED, transfers.NO_CARRIER)]
    held = sum(h.hours for h in Handover.objects.filter(carrier_offer=crossing["carrying"]))
    assert 0 < held <= crossing["carrying"].quantity
