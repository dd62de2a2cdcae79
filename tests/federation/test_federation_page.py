"""The federation page every member reads, and the members' decisions that change the federation.

Two collectives of one server (LA and Oakland) federate and plan a round; the page then shows
both collectives, the round, what crossed by resource and tier both ways, and each side's
part; coordinators also see the transfers in progress. Joining, suspending and leaving are
proposals that the system applies when they pass, with the decision in the audit log.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sinfronteras.assembly.models import Change, Kind, Proposal
from sinfronteras.assembly.services import do_close, do_vote
from sinfronteras.audit.models import Event
from sinfronteras.federation import rounds, services
from sinfronteras.federation.models import Peer, PeerState, ReceivedDigest, Round, Transfer, TransferState

RICE = "http://www.wikidata.org/entity/Q5090"


@pytest.fixture(autouse=True)
def key_folder(settings, tmp_path):
    settings.FEDERATION_KEY_DIR = str(tmp_path / "federation-keys")
    settings.FEDERATION_URL = "http://127.0.0.1:8000"


def la_carrier(la, carla, offer_of):
    """Carla carries for LA, as far as Oakland (a transfer needs a carrier on the taking side)."""
    from decimal import Decimal

    from sinfronteras.sharing.models import Resource

    la.carrier_reach_km = 1000
    la.save(update_fields=["carrier_reach_km"])
    Resource.objects.create(collective=la, key="carrying", name_en="Carrying", name_es="Transporte",
                            unit="hours", carries=True)
    return offer_of(carla, ["carrying"], 40, radius_km=Decimal(1000))


@pytest.fixture
def federated_round(la, oakland, bob, carla, dmitri, need_of, offer_of):
    """Oakland gives LA 5 kg of food (basic: tier 2) in one round; Carla carries it for LA."""
    for collective in (la, oakland):
        collective.resources.filter(key="food").update(uri=RICE)
    la_carrier(la, carla, offer_of)
    offer_of(dmitri, ["food"], 8, public_place="Fruitvale community pantry")
    need_of(bob, "food", 5)
    _federation, code = services.do_create_federation("Sin Fronteras", la)
    services.do_join(code, oakland)
    report = rounds.do_round(la, timeout=10)
    assert [m["state"] for m in report["members"]] == ["planned", "planned"]
    return report


def page(client, member, language="en") -> str:
    member.language = language
    member.save()
    client.force_login(member)
    response = client.get(reverse("federation:page"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_of_a_collective_in_no_federation_reads_how_to_join(client, bob):
    text = page(client, bob)
    assert 'id="no-federation"' in text and reverse("assembly:propose_kind", args=["federation"]) in text


def test_every_member_sees_the_collectives_the_round_and_what_crossed_both_ways(client, bob, dmitri,
                                                                                 federated_round):
    mine = page(client, bob)
    assert "Sin Fronteras" in mine and "LA Unidos" in mine and "Oakland Sin Fronteras" in mine
    assert "127.0.0.1:8000" in mine and "last answered" in mine
    assert 'id="rounds"' in mine and "applied" in mine and "started here" in mine
    assert 'class="crossed-in"' in mine and "Came in: <strong>5 kg · Food</strong>" in mine
    assert "tier 2: Basic" in mine and 'class="crossed-out"' not in mine
    assert "Gave 100% of what came in" in mine
    assert "Transfers in the federation's last rounds: given 1, taken 0." in mine
    assert 'id="transfers"' not in mine, "only coordinators see the transfers in progress"
    theirs = page(client, dmitri)
    assert "Went out: <strong>5 kg · Food</strong>" in theirs and "took 100% of what went out" in theirs
    assert "last rounds: given 0, taken 1." in theirs


def test_the_page_reads_in_spanish(client, bob, federated_round):
    text = page(client, bob, "es")
    assert "Federación" in text and "Entró: <strong>5 kg · Comida</strong>" in text
    assert "nivel 2: Básic" in text and "Dio el 100" in text and "Últimas rondas" in text


def test_coordinators_also_see_the_transfers_in_progress(client, alice, federated_round):
    text = page(client, alice)
    transfer = Transfer.objects.get(round__peer__collective=alice.collective)
    assert f'id="transfer-{transfer.pk}"' in text and "From Oakland Sin Fronteras" in text
    # Offered at the end of the round, accepted by LA with its carrier's window at the pantry.
    row = text.split(f'id="transfer-{transfer.pk}"', 1)[1].split("</li>", 1)[0]
    assert "Hand-over at Fruitvale community pantry" in row and "accepted" in row and 'class="when"' in row


def test_the_page_names_no_member_of_either_collective(client, bob, dmitri, federated_round):
    mine, theirs = page(client, bob), page(client, dmitri)
    assert "Dmitri" not in mine and "Fruitvale" not in mine and "Echo Park" not in mine
    assert "Bob" not in theirs and "Echo Park" not in theirs and "Boyle Heights" not in theirs


# Decisions ------------------------------------------------------------------------------------


def passed(collective, author, change, voters, **fields) -> Proposal:
    proposal = Proposal.objects.create(collective=collective, author=author, title="Federation",
                                       kind=Kind.MAJORITY, change=change, quorum=0,
                                       closes_at=timezone.now() + timedelta(days=1), **fields)
    for member in voters:
        do_vote(member, proposal, {"answer": "yes"})
    do_close(proposal)
    return proposal


def test_a_passed_proposal_suspends_a_member_collective_and_ends_its_open_transfers(la, alice, bob, oakland,
                                                                                    federated_round):
    them = Peer.objects.get(federation=Peer.objects.get(collective=la).federation, collective=oakland)
    # As if LA had not answered Oakland's offer yet (it accepted it at the end of the round).
    Transfer.objects.filter(round__peer__collective=la).update(state=TransferState.OFFERED)
    assert Transfer.objects.filter(round__peer__collective=la, state=TransferState.OFFERED).count() == 1
    proposal = passed(la, alice, Change.FED_SUSPEND, [alice, bob], peer=them)
    them.refresh_from_db()
    assert them.state == PeerState.SUSPENDED
    assert not Transfer.objects.filter(round__peer__collective=la, state=TransferState.OFFERED).exists()
    event = Event.objects.get(collective=la, action="federation.peer_suspended")
    assert event.decision_ref == proposal.decision.pk and event.data["transfers_ended"] == 1
    assert proposal.decision.applied_at is not None
    resumed = passed(la, alice, Change.FED_RESUME, [alice, bob], peer=them)
    them.refresh_from_db()
    assert them.state == PeerState.ACTIVE and resumed.decision.applied_at is not None


def test_a_rejected_proposal_changes_nothing(la, alice, bob, oakland, federated_round):
    them = Peer.objects.get(federation=Peer.objects.get(collective=la).federation, collective=oakland)
    proposal = Proposal.objects.create(collective=la, author=alice, title="Suspend", kind=Kind.MAJORITY,
                                       change=Change.FED_SUSPEND, peer=them, quorum=0,
                                       closes_at=timezone.now() + timedelta(days=1))
    do_vote(alice, proposal, {"answer": "no"})
    do_vote(bob, proposal, {"answer": "no"})
    do_close(proposal)
    them.refresh_from_db()
    assert them.state == PeerState.ACTIVE and not Event.objects.filter(action="federation.peer_suspended").exists()


def test_leaving_by_decision_deletes_the_federations_digests_held_here(la, alice, bob, federated_round):
    me = Peer.objects.get(collective=la)
    assert ReceivedDigest.objects.filter(round__peer=me).exists()
    passed(la, alice, Change.FED_LEAVE, [alice, bob])
    me.refresh_from_db()
    assert me.state == PeerState.LEFT
    assert not ReceivedDigest.objects.filter(round__peer=me).exists()
    assert not Round.objects.filter(peer=me, union_plan__isnull=False).exists()
    assert Event.objects.filter(collective=la, action="federation.left").exists()


def test_joining_by_decision_uses_the_invitation_code(la, alice, bob, oakland, dmitri):
    _federation, code = services.do_create_federation("Sin Fronteras", oakland)
    proposal = passed(la, alice, Change.FED_JOIN, [alice, bob], federation_code=code)
    assert proposal.decision.applied_at is not None
    assert Peer.objects.get(collective=la).federation.name == "Sin Fronteras"
    assert Event.objects.get(collective=la, action="federation.join_decided").decision_ref == proposal.decision.pk
    assert code not in str(list(Event.objects.values_list("data", flat=True)))
    assert proposal.invitation == "Sin Fronteras (127.0.0.1:8000)"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_propose_form_for_a_federation_says_what_to_fix(client, la, alice, bob, oakland, language):
    bob.language = language
    bob.save()
    client.force_login(bob)
    url = reverse("assembly:propose_kind", args=["federation"])
    closes = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    form = {"title": "Join Sin Fronteras", "body": "", "kind": "majority", "change": "federation_join",
            "federation_code": "not-a-code", "quorum": "50", "ballot_mode": "secret", "closes_at": closes}
    response = client.post(url, form, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    words = {"en": "This is not an invitation code", "es": "Esto no es un código de invitación"}[language]
    assert words in response.content.decode()
    _federation, code = services.do_create_federation("Sin Fronteras", oakland)
    response = client.post(url, {**form, "federation_code": code}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302
    proposal = Proposal.objects.get(collective=la, change=Change.FED_JOIN)
    assert proposal.federation_code == code
    text = client.get(reverse("assembly:proposal", args=[proposal.pk])).content.decode()
    assert "Sin Fronteras (127.0.0.1:8000)" in text and code not in text
    before = Proposal.objects.values().get(pk=proposal.pk)
    edit = reverse("assembly:edit", args=[proposal.pk])
    assert code in client.get(edit).content.decode()  # only its author edits it, and sees the code
    assert client.post(edit, {**form, "federation_code": code}).status_code == 302
    assert Proposal.objects.values().get(pk=proposal.pk) == before, "saved unchanged, nothing changed"


def test_plan_export_of_a_federated_run_gives_each_need_what_came_from_the_other_collective(
        tmp_path, la, bob, federated_round):
    import json

    from django.core.management import call_command

    call_command("plan-export", "--collective", la.slug, "-o", str(tmp_path))
    problem = json.loads((tmp_path / "problem.json").read_text())
    plan = json.loads((tmp_path / "plan.json").read_text())
    need = la.needs.get()
    assert [n["id"] for n in problem["needs"]] == [str(need.pk)] and problem["offers"] == []
    assert [(n["id"], n["met"]) for n in plan["needs"]] == [(str(need.pk), 5.0)]
    assert plan["allocations"] == []  # it all came from Oakland: a transfer, not an own offer


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_plan_page_says_the_collective_plans_with_its_federation(client, bob, federated_round, language):
    bob.language = language
    bob.save()
    client.force_login(bob)
    text = client.get(reverse("plans:plan"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    words = {"en": "plans together with the federation Sin Fronteras", "es": "planea junto con la federación Sin Fronteras"}
    assert words[language] in text and reverse("federation:page") in text
