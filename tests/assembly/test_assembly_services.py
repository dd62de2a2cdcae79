"""Proposing, voting, closing and applying decisions (services and the closeproposals command)."""

from __future__ import annotations

import itertools
import json
import uuid
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from assembly_helpers import end_window, propose, rank, sealed_choices, vote_all
from conftest import make_member
from sinfronteras.assembly.models import Ballot, Decision, Participation, Proposal
from sinfronteras.assembly.services import (
    VoteRefused,
    close_due,
    do_apply_decision,
    do_close,
    do_vote,
)
from sinfronteras.audit.models import Event
from sinfronteras.members.services import decisions_in_force
from sinfronteras.sharing.models import Need


@pytest.fixture
def cast(alice, bob, carla):
    return alice, bob, carla


def test_a_member_proposes_a_ranked_choice_with_its_options_in_order(bob, la):
    proposal = propose(bob, options="Saturday\nSunday\nMonday")
    assert (proposal.collective, proposal.author, proposal.rule, proposal.quorum) == (
        la, bob, "schulze", Decimal("0.50"))
    assert [(o.position, o.label) for o in proposal.options.all()] == [
        (0, "Saturday"), (1, "Sunday"), (2, "Monday")]
    assert Event.objects.get(action="proposal.created").actor == bob


def test_a_secret_ballot_keeps_no_link_to_the_voter(cast):
    alice, bob, carla = cast
    proposal = propose(alice, options="A\nB\nC")
    vote_all(proposal, [(bob, rank(1, 0)), (carla, rank(2, 0, 1))])
    assert not Ballot.objects.exists()  # sealed until the close
    assert sorted(map(repr, sealed_choices(proposal))) == sorted(map(repr, [rank(1, 0), rank(2, 0, 1)]))
    do_close(end_window(proposal))
    ballots = list(Ballot.objects.filter(proposal=proposal))
    assert all(b.voter_id is None for b in ballots) and len(ballots) == 2
    assert all(isinstance(b.pk, uuid.UUID) for b in ballots)  # random keys: no order of voting
    kinds = {f.name: f.get_internal_type() for f in Ballot._meta.concrete_fields}
    assert "DateTimeField" not in kinds.values() and kinds["cast_on"] == "DateField"
    assert [f.name for f in Ballot._meta.concrete_fields if f.is_relation] == ["proposal", "voter"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Ballot._meta.db_table}")
        rows = repr(cursor.fetchall())
    assert "bob" not in rows and "carla" not in rows
    # Who voted is known (so nobody votes twice), what they voted is not.
    assert set(Participation.objects.values_list("member__username", flat=True)) == {"bob", "carla"}


def test_an_open_ballot_keeps_the_voter(cast):
    alice, bob, _ = cast
    proposal = propose(alice, options="A\nB", ballot_mode="open")
    ballot = do_vote(bob, proposal, rank(1))
    assert ballot.voter == bob


def test_a_second_vote_is_refused_and_the_database_itself_forbids_it(cast):
    alice, bob, _ = cast
    proposal = propose(alice, options="A\nB")
    do_vote(bob, proposal, rank(0))
    with pytest.raises(VoteRefused) as refused:
        do_vote(bob, proposal, rank(1))
    assert refused.value.reason == "already_voted"
    assert sealed_choices(proposal) == [rank(0)]
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(proposal=proposal, member=bob)


def test_an_open_ballot_cannot_be_cast_twice_for_one_member_either(cast):
    alice, bob, _ = cast
    proposal = propose(alice, options="A\nB", ballot_mode="open")
    do_vote(bob, proposal, rank(0))
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(proposal=proposal, voter=bob, choice=rank(1))


def test_a_vote_after_the_window_is_refused(cast):
    alice, bob, _ = cast
    proposal = end_window(propose(alice, options="A\nB"))
    with pytest.raises(VoteRefused) as refused:
        do_vote(bob, proposal, rank(0))
    assert refused.value.reason == "closed" and not Participation.objects.exists()


def test_a_consent_proposal_fails_without_its_quorum(cast):
    alice, bob, carla = cast
    proposal = propose(alice, kind="consent", title="Open a second pantry?", quorum="100")
    vote_all(proposal, [(alice, {"answer": "agree"}), (bob, {"answer": "agree"})])
    decision = do_close(end_window(proposal))
    assert not decision.passed and (decision.voters, decision.members) == (2, 3)
    assert decision.tally["reasons"] == [{"code": "quorum", "voted": 2, "members": 3, "needed": 3}]


def test_one_block_stops_a_consent_proposal(cast):
    alice, bob, carla = cast
    proposal = propose(alice, kind="consent", title="Open a second pantry?")
    vote_all(proposal, [(alice, {"answer": "agree"}), (bob, {"answer": "agree"}),
                        (carla, {"answer": "block"})])
    decision = do_close(end_window(proposal))
    assert not decision.passed and {"code": "block", "n": 1} in decision.tally["reasons"]


def test_an_inactive_member_does_not_count_towards_the_quorum(cast):
    alice, bob, carla = cast
    carla.is_active = False
    carla.save()
    proposal = propose(alice, kind="majority", quorum="100")
    vote_all(proposal, [(alice, {"answer": "yes"}), (bob, {"answer": "no"})])
    decision = do_close(end_window(proposal))
    assert decision.members == 2 and decision.tally["reasons"] == [{"code": "not_more", "yes": 1, "no": 1}]


def test_a_passed_decision_changes_how_long_needs_are_kept_and_is_in_force(cast, la):
    alice, bob, carla = cast
    proposal = propose(bob, kind="majority", title="Keep fulfilled needs 14 days",
                       change="retention_days", change_value="14")
    vote_all(proposal, [(alice, {"answer": "yes"}), (bob, {"answer": "yes"}), (carla, {"answer": "no"})])
    end_window(proposal)
    [decision] = close_due()
    la.refresh_from_db()
    assert decision.passed and decision.applied_at and la.retention_days == 14
    assert decisions_in_force(la) == [decision.pk]
    changed = Event.objects.get(action="settings.changed")
    assert changed.decision_ref == decision.pk and changed.actor is None
    assert changed.data == {"setting": "retention_days", "old": 7, "new": 14}
    assert Event.objects.get(action="proposal.closed").decision_ref == decision.pk


def test_a_passed_decision_makes_childcare_a_basic_need(cast, la):
    alice, bob, carla = cast
    childcare = la.resources.get(key="childcare")
    proposal = propose(carla, kind="consent", title="Childcare is basic", change="basic",
                       resource=str(childcare.pk))
    vote_all(proposal, [(alice, {"answer": "agree"}), (bob, {"answer": "abstain"})])
    decision = do_close(end_window(proposal))
    childcare.refresh_from_db()
    assert decision.passed and childcare.basic
    assert decisions_in_force(la) == [decision.pk]


def test_a_passed_decision_sets_the_default_reach(cast, la):
    alice, bob, _ = cast
    proposal = propose(alice, kind="majority", change="default_radius_km", change_value="7.5")
    vote_all(proposal, [(alice, {"answer": "yes"}), (bob, {"answer": "yes"})])
    do_close(end_window(proposal))
    la.refresh_from_db()
    assert la.default_radius_km == Decimal("7.5")


def test_a_failed_setting_decision_changes_nothing(cast, la):
    alice, bob, carla = cast
    proposal = propose(bob, kind="majority", change="retention_days", change_value="30")
    vote_all(proposal, [(alice, {"answer": "no"}), (bob, {"answer": "yes"}), (carla, {"answer": "no"})])
    decision = do_close(end_window(proposal))
    la.refresh_from_db()
    assert not decision.passed and decision.applied_at is None and la.retention_days == 7
    assert decisions_in_force(la) == [] and not Event.objects.filter(action="settings.changed").exists()


def budget_proposal(author, la, rule=""):
    childcare = la.resources.get(key="childcare")
    return propose(author, kind="budget", title="Childcare hours for projects", rule=rule,
                   resource=str(childcare.pk), budget="10",
                   options="Homework club; 6; Boyle Heights\nPlaygroup; 5; Echo Park\n"
                           "Court-day care; 3.5; Koreatown")


def test_a_passed_budget_turns_each_chosen_project_into_a_need(cast, la):
    alice, bob, carla = cast
    proposal = budget_proposal(carla, la)
    vote_all(proposal, [(alice, {"approved": [0, 2]}), (bob, {"approved": [0]}),
                        (carla, {"approved": [1, 2]})])
    decision = do_close(end_window(proposal))
    assert decision.passed and decision.winners == ["Homework club", "Court-day care"]
    needs = Need.objects.order_by("quantity")
    # The collective's needs, posted in its name by a coordinator: never the proposer's own.
    assert [(n.resource.key, n.quantity, n.area.name, n.posted_by) for n in needs] == [
        ("childcare", Decimal("3.5"), "Koreatown", alice), ("childcare", Decimal("6"), "Boyle Heights", alice)]
    assert [n.project_link.label for n in needs] == ["Court-day care", "Homework club"]
    assert not Need.objects.personal(carla).exists() and not Need.objects.personal(alice).exists()
    applied = Event.objects.get(action="budget.applied")
    assert applied.decision_ref == decision.pk and sorted(applied.data["needs"]) == sorted(n.pk for n in needs)
    # Applying or closing again changes nothing.
    do_apply_decision(Decision.objects.get(pk=decision.pk))
    Decision.objects.filter(pk=decision.pk).update(applied_at=None)
    do_apply_decision(Decision.objects.get(pk=decision.pk))
    assert do_close(proposal) == decision and Need.objects.count() == 2


def test_greedy_buys_by_votes_while_the_budget_lasts(cast, la):
    alice, bob, carla = cast
    proposal = budget_proposal(alice, la, rule="greedy")
    vote_all(proposal, [(alice, {"approved": [0, 1]}), (bob, {"approved": [1]}),
                        (carla, {"approved": [1, 2]})])
    decision = do_close(end_window(proposal))
    assert decision.winners == ["Playgroup", "Court-day care"]  # 3 votes, then 1 (6 no longer fits)


def test_instant_runoff_keeps_its_rounds(cast, la, password_hash):
    alice, bob, carla = cast
    more = [make_member(la, f"m{k}", password_hash=password_hash) for k in range(2)]
    proposal = propose(alice, rule="irv", options="Ana\nBeto\nCruz", quorum="25")
    vote_all(proposal, [(alice, rank(0)), (bob, rank(0)), (carla, rank(1, 2)),
                        (more[0], rank(2, 1)), (more[1], rank(2, 1))])
    decision = do_close(end_window(proposal))
    rounds = decision.tally["rounds"]
    assert rounds[0]["eliminated"] == ["Beto"] and rounds[-1]["elected"] == ["Cruz"]
    assert decision.winners == ["Cruz"]


def test_stv_approval_and_score_choose_several(cast):
    alice, bob, carla = cast
    stv = propose(alice, rule="stv", seats="2", options="Ana\nBeto\nCruz")
    approval = propose(alice, kind="approval", seats="2", options="Ana\nBeto\nCruz")
    score = propose(alice, kind="score", options="Ana\nBeto\nCruz")
    vote_all(stv, [(alice, rank(0, 1)), (bob, rank(0, 2)), (carla, rank(2, 0))])
    vote_all(approval, [(alice, {"approved": [0, 1]}), (bob, {"approved": [1]}), (carla, {"approved": [1, 2]})])
    vote_all(score, [(alice, {"scores": [[0, 5], [1, 0], [2, 1]]}), (bob, {"scores": [[0, 2], [1, 4], [2, 3]]})])
    assert sorted(do_close(end_window(stv)).winners) == ["Ana", "Cruz"]
    assert do_close(end_window(approval)).winners == ["Beto", "Ana"]
    assert do_close(end_window(score)).winners == ["Ana"]


def test_closeproposals_closes_what_is_due_and_a_second_run_changes_nothing(cast):
    alice, bob, _ = cast
    due = propose(alice, options="A\nB")
    later = propose(alice, options="C\nD")
    do_vote(bob, due, rank(1))
    end_window(due)
    out = StringIO()
    call_command("closeproposals", stdout=out)
    assert "Closed 1 proposal." in out.getvalue()
    call_command("closeproposals", stdout=out)
    assert "Closed 0 proposals." in out.getvalue()
    assert Decision.objects.get().proposal == due and Proposal.objects.get(pk=later.pk).is_open
    assert Event.objects.filter(action="proposal.closed").count() == 1


VOTERS = 60


def spearman(order: list[int]) -> float:
    """Rank correlation of a sequence of voting positions with its own position."""
    n = len(order)
    ranks = {v: r for r, v in enumerate(sorted(order))}
    d2 = sum((i - ranks[v]) ** 2 for i, v in enumerate(order))
    return 1 - 6 * d2 / (n * (n * n - 1))


def test_no_column_and_no_row_order_of_secret_ballots_follows_the_order_of_voting(alice, la, password_hash):
    from sinfronteras.assembly import counting
    from sinfronteras.assembly.services import active_members, options_of, tally

    proposal = propose(alice, options="A\nB\nC\nD\nE")
    rankings = list(itertools.permutations(range(5)))[:VOTERS]
    cast = [[[p] for p in ranking] for ranking in rankings]  # each voter's ballot is unique
    for k, ranking in enumerate(cast):
        do_vote(make_member(la, f"voter{k:02d}", password_hash=password_hash), proposal,
                {"ranking": ranking})
    do_close(end_window(proposal))
    position = {repr(ranking): k for k, ranking in enumerate(cast)}
    table = Ballot._meta.db_table
    physical = "rowid" if connection.vendor == "sqlite" else "ctid"
    columns = [f.column for f in Ballot._meta.concrete_fields]
    with connection.cursor() as cursor:  # the rows as the file holds them: no ORDER BY
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE proposal_id = %s",
                       [proposal.pk])
        stored = cursor.fetchall()
        cursor.execute(f"SELECT choice FROM {table} WHERE proposal_id = %s ORDER BY {physical}",
                       [proposal.pk])
        by_place = [row[0] for row in cursor.fetchall()]
    choice_at = columns.index("choice")

    def voting_order(choices):
        return [position[repr((c if isinstance(c, dict) else json.loads(c))["ranking"])]
                for c in choices]

    orders = {"as stored": voting_order([row[choice_at] for row in stored]),
              physical: voting_order(by_place)}
    for i, column in enumerate(columns):
        if column != "choice":
            ordered = sorted(stored, key=lambda row: (row[i] is None, str(row[i])))
            orders[f"by {column}"] = voting_order([row[choice_at] for row in ordered])
    for name, order in orders.items():
        assert sorted(order) == list(range(VOTERS))
        assert abs(spearman(order)) < 0.6, f"ballots {name} follow the order of voting"
    assert all(row[columns.index("cast_on")] is None for row in stored)
    # The tally is the same as counting the ballots as they were cast.
    expected = counting.count(proposal, options_of(proposal), [{"ranking": r} for r in cast],
                              active_members(la.pk))
    assert tally(proposal) == expected == Decision.objects.get(proposal=proposal).tally
