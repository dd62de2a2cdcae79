"""Decisions that reach the plan: a budget's projects are the collective's needs, only
people vote and count in the quorum, a vote stays open the time the members decided,
and results while voting is open are said as what they are: so far."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assembly_helpers import end_window, proposal_data, propose, propose_url, vote_all
from conftest import make_member
from sinfronteras.assembly.models import Proposal
from sinfronteras.assembly.services import VoteRefused, active_members, do_close, do_vote
from sinfronteras.plans.models import SealedAddress, Task
from sinfronteras.plans.runs import do_request_run, execute_run
from sinfronteras.sharing.models import Need, NeedStatus


def passed_budget(author, voters, la):
    childcare = la.resources.get(key="childcare")
    proposal = propose(author, kind="budget", title="Childcare hours for projects", resource=str(childcare.pk),
                       budget="10", options="Homework club; 6; Boyle Heights; Boyle Heights library, "
                                            "room 2\nPlaygroup; 5; Echo Park")
    vote_all(proposal, [(v, {"approved": [0]}) for v in voters])
    decision = do_close(end_window(proposal))
    assert decision.passed and decision.applied_at
    return decision


def test_a_passed_budget_project_is_the_collectives_need_that_its_proposer_cannot_edit_or_withdraw(
        client, alice, bob, carla, la):
    decision = passed_budget(carla, [alice, bob, carla], la)
    need = Need.objects.get()
    assert need.posted_by == alice and need.posted_by != carla  # in the collective's name
    assert need.project_link.decision == decision and need.project_link.place == "Boyle Heights library, room 2"
    client.force_login(carla)
    assert f"/needs/{need.pk}/" not in client.get(reverse("needs")).content.decode()
    assert client.get(reverse("need_edit", args=[need.pk])).status_code == 404
    assert client.post(reverse("need_withdraw", args=[need.pk]), {"confirm": "yes"}).status_code == 404
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN and need.quantity == Decimal("6")


def test_a_project_with_a_public_place_takes_no_address_and_its_task_says_where_it_goes(
        client, alice, bob, carla, la, offer_of):
    passed_budget(carla, [alice, bob, carla], la)
    need = Need.objects.get()
    client.force_login(alice)
    response = client.post(reverse("plans:need_address", args=[need.pk]), {"address": "12 Elm St"})
    assert response.status_code == 403 and not SealedAddress.objects.exists()
    offer_of(bob, ["childcare"], 6, radius_km=Decimal("30"))
    execute_run(do_request_run(la, enqueue=False).pk)
    task = Task.objects.get(need=need)
    client.force_login(bob)
    page = client.get(reverse("plans:task", args=[task.pk])).content.decode()
    assert 'id="task-dropoff"' in page and "Boyle Heights library, room 2" in page
    assert "sealed address" not in page.split('id="task-dropoff"')[1].split("</dd>")[0]


def test_the_results_of_a_budget_list_each_project_need_and_where_it_is_brought(client, alice, bob, carla, la):
    decision = passed_budget(carla, [alice, bob, carla], la)
    for language, words in (("en", "brought to Boyle Heights library, room 2"),
                            ("es", "se lleva a Boyle Heights library, room 2")):
        client.force_login(bob)
        client.post(reverse("set_language"), {"language": language})
        page = client.get(reverse("assembly:results", args=[decision.proposal_id])).content.decode()
        assert 'id="project-needs"' in page and words in page, language


@pytest.fixture
def pantry(la, password_hash):
    member = make_member(la, "pantry", "Echo Park", password_hash=password_hash)
    member.is_organisation = True
    member.save(update_fields=["is_organisation"])
    return member


def test_the_quorum_counts_people_and_never_an_organisations_account(alice, bob, carla, pantry, la):
    assert active_members(la.pk) == 3
    proposal = propose(alice, kind="majority", quorum="60")
    with pytest.raises(VoteRefused) as refused:
        do_vote(pantry, proposal, {"answer": "yes"})
    assert refused.value.reason == "organisation" and not proposal.participations.exists()
    vote_all(proposal, [(alice, {"answer": "yes"}), (bob, {"answer": "yes"})])
    decision = do_close(end_window(proposal))
    assert decision.members == 3 and decision.voters == 2 and decision.passed  # 2 of 3 people


def test_an_organisation_reads_on_its_page_and_on_a_ballot_that_it_does_not_vote(client, alice, pantry, la):
    proposal = propose(alice, kind="majority")
    client.force_login(pantry)
    for language, words in (("en", "does not vote"), ("es", "no vota")):
        client.post(reverse("set_language"), {"language": language})
        account = client.get(reverse("account")).content.decode()
        assert 'id="organisation"' in account and words in account, language
        page = client.get(reverse("assembly:proposal", args=[proposal.pk])).content.decode()
        assert 'id="organisation-no-vote"' in page and 'class="ballot"' not in page
    response = client.post(reverse("assembly:proposal", args=[proposal.pk]), {"answer": "yes"}, follow=True)
    assert "no vota" in response.content.decode() and not proposal.participations.exists()
    listing = client.get(reverse("assembly:proposals")).content.decode()
    assert 'id="organisation-no-vote"' in listing and reverse("assembly:propose") not in listing
    refused = client.get(reverse("assembly:propose_kind", args=["consent"]), follow=True).content.decode()
    assert "no vota" in refused and 'id="id_title"' not in refused


def test_the_demo_pantries_are_organisations_and_need_no_votes(db):
    from sinfronteras.demo.load import do_load_demo

    collective = do_load_demo(households=20, volunteers=10).collective
    pantries = collective.members.filter(is_organisation=True)
    assert pantries.count() > 100
    assert all(offer.public_place for m in pantries[:20] for offer in m.offers.all())
    assert active_members(collective.pk) == collective.members.filter(is_active=True).count() - pantries.count()


def test_a_proposal_closing_before_the_decided_minimum_is_refused_with_the_earliest_time(client, bob, la):
    client.force_login(bob)
    soon = timezone.localtime() + timedelta(hours=1)
    data = proposal_data(kind="consent", closes_at=soon.strftime("%Y-%m-%dT%H:%M"))
    for language, words in (("en", "stays open at least 48 hours"), ("es", "al menos 48 horas")):
        client.post(reverse("set_language"), {"language": language})
        page = client.post(propose_url(data), data).content.decode()
        assert 'id="error-closes_at"' in page and words in page, language
    later = timezone.localtime() + timedelta(hours=49)
    data = proposal_data(kind="consent", closes_at=later.strftime("%Y-%m-%dT%H:%M"))
    assert client.post(propose_url(data), data).status_code == 302


def test_the_members_change_the_minimum_by_a_decision_and_it_binds_the_next_proposal(alice, bob, carla, la):
    proposal = propose(alice, kind="majority", change="min_voting_hours", change_value="24")
    vote_all(proposal, [(alice, {"answer": "yes"}), (bob, {"answer": "yes"})])
    assert do_close(end_window(proposal)).applied_at
    la.refresh_from_db()
    assert la.min_voting_hours == 24
    bob.collective.refresh_from_db()
    quick = (timezone.localtime() + timedelta(hours=25)).strftime("%Y-%m-%dT%H:%M")
    assert propose(bob, kind="consent", closes_at=quick).is_open
    with pytest.raises(AssertionError):
        propose(bob, kind="consent", closes_at=(timezone.localtime() + timedelta(hours=23))
                .strftime("%Y-%m-%dT%H:%M"))


@pytest.mark.parametrize("language, so_far, past", [
    ("en", "Quorum not reached so far: 1 of 3 members have voted", "Quorum not met"),
    ("es", "Todavía no hay quórum: han votado 1 de 3 miembros", "No se alcanzó el quórum")])
def test_open_results_speak_in_the_present_and_closed_ones_in_the_past(client, alice, bob, carla, la,
                                                                       language, so_far, past):
    proposal = propose(alice, kind="majority", ballot_mode="open", hide_results=None)
    vote_all(proposal, [(bob, {"answer": "yes"})])
    client.force_login(carla)
    client.post(reverse("set_language"), {"language": language})
    page = client.get(reverse("assembly:results", args=[proposal.pk])).content.decode()
    assert so_far in page and past not in page
    end_window(proposal)
    page = client.get(reverse("assembly:results", args=[proposal.pk])).content.decode()
    assert past in page and so_far not in page


def test_open_ballots_tell_namesakes_apart_and_the_author_line_has_one_full_stop(
        client, alice, bob, la, password_hash):
    from sinfronteras.members.models import Member

    twins = [make_member(la, f"jordan{k}", area, password_hash=password_hash)
             for k, area in enumerate(["Echo Park", "Koreatown"])]
    Member.objects.filter(pk__in=[t.pk for t in twins]).update(display_name="Jordan O.")
    Member.objects.filter(pk=alice.pk).update(display_name="Nadia C.")
    proposal = propose(alice, kind="majority", ballot_mode="open")
    vote_all(proposal, [(Member.objects.get(pk=t.pk), {"answer": "yes"}) for t in twins])
    client.force_login(bob)
    page = client.get(reverse("assembly:results", args=[end_window(proposal).pk])).content.decode()
    voters = page.split("<h2>Open ballots</h2>")[1].split("</ul>")[0]
    assert voters.count("Jordan O. · ") == 2 and "Echo Park: yes" in voters and "Koreatown: yes" in voters
    assert "Proposed by Nadia C. ·" in page and "C.." not in page


def test_the_members_mark_an_account_as_an_organisation_by_a_decision(client, alice, bob, carla, la):
    data = proposal_data(kind="majority", title="The pantry's account is an organisation's",
                         change="organisation", subject=str(carla.pk), quorum="25")
    client.force_login(bob)
    assert client.post(reverse("assembly:propose_kind", args=["role"]), data).status_code == 302
    proposal = Proposal.objects.get(change="organisation")
    vote_all(proposal, [(alice, {"answer": "yes"}), (bob, {"answer": "yes"})])
    assert do_close(end_window(proposal)).applied_at
    carla.refresh_from_db()
    assert carla.is_organisation and active_members(la.pk) == 2
    again = proposal_data(kind="majority", change="organisation", subject=str(carla.pk))
    page = client.post(reverse("assembly:propose_kind", args=["role"]), again).content.decode()
    assert "is an organisation already" in page


def test_a_projects_need_stays_the_collectives_when_the_coordinator_who_posted_it_leaves(
        alice, bob, carla, la, password_hash):
    from sinfronteras.members.services import do_leave

    second = make_member(la, "second", "Koreatown", password_hash=password_hash, role="coordinator")
    passed_budget(carla, [alice, bob, carla], la)
    need = Need.objects.get()
    assert need.posted_by == alice
    do_leave(alice)
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN and need.posted_by == second and need.project_link.label
