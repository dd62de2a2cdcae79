"""Yes/no rules, ties, STV and the runnable examples in the docstrings."""

from __future__ import annotations

import doctest
from fractions import Fraction

import pytest

from sinfronteras.choice import RankedProfile, budget, cli, generate, model, pabulib, preflib, ranked, runoff, simple
from sinfronteras.choice.simple import ConsentTally, consent, majority


@pytest.mark.parametrize("module", [model, ranked, runoff, generate, simple, budget, preflib, pabulib, cli])
def test_the_docstring_examples_run(module):
    assert doctest.testmod(module).failed == 0


def test_consent_passes_with_no_block_quorum_met_and_more_agree_than_disagree():
    assert consent(ConsentTally(agree=4, abstain=2, disagree=3), members=10).passed


def test_one_block_stops_consent_whatever_the_other_votes():
    result = consent(ConsentTally(agree=50, block=1), members=60)
    assert not result.passed and result.details["reasons"] == ["1 block"]


def test_consent_fails_below_quorum_counting_abstentions_towards_it():
    assert not consent(ConsentTally(agree=3), members=10).passed
    assert consent(ConsentTally(agree=3, abstain=2), members=10).passed


def test_a_tied_majority_vote_fails_and_quorum_is_exact():
    assert not majority(5, 5, members=10).passed
    assert majority(2, 1, members=9, quorum=Fraction(1, 3)).passed
    assert not majority(2, 0, members=9, quorum=Fraction(1, 3)).passed


def test_a_two_way_tie_is_explicit_and_broken_by_the_given_order():
    profile = RankedProfile(("a", "b"), (((0,), (1,)), ((1,), (0,))), (1, 1))
    for rule in (ranked.schulze, ranked.ranked_pairs, ranked.instant_runoff):
        assert rule(profile).winners == ("a",)
        assert rule(profile, tie_break=["b"]).winners == ("b",)
        assert set(rule(profile).tied) == {("a",), ("b",)}


def test_stv_elects_two_of_three_and_transfers_the_exact_surplus():
    profile = RankedProfile(("a", "b", "c"), (((0,), (1,)), ((2,),), ((1,),)), (7, 3, 2))
    result = ranked.single_transferable_vote(profile, seats=2)
    assert result.details["quota"] == 5
    assert result.winners == ("a", "b")
    assert result.rounds[1].tallies == {"b": 4, "c": 3} or "b" in result.rounds[-1].elected


def test_approval_reports_every_tied_outcome_at_the_cut():
    profile = model.ApprovalProfile(("a", "b", "c"), (frozenset({0, 1, 2}),), (1,))
    result = simple.approval(profile, seats=2)
    assert result.winners == ("a", "b") and len(result.tied) == 3


def test_single_winner_rules_refuse_several_seats():
    with pytest.raises(ValueError):
        ranked.schulze(RankedProfile(("a",), (), ()), seats=2)
