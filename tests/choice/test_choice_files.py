"""PrefLib and Pabulib files: round trips, and bad files named by line."""

from __future__ import annotations

import random
from collections import Counter
from fractions import Fraction

import pytest

from sinfronteras.choice import BallotFileError, Budget, Project, RankedProfile
from sinfronteras.choice.pabulib import parse_pabulib, write_pabulib
from sinfronteras.choice.preflib import parse_preflib, write_preflib

HEAD = "# DATA TYPE: toi\n# ALTERNATIVE NAME 1: Ana\n# ALTERNATIVE NAME 2: Bo\n"
PB = "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;6\n2;5\nVOTES\nvoter_id;vote\nv1;1,2\n"


def test_a_random_ranked_profile_survives_writing_and_reading():
    rng = random.Random(1)
    ballots = []
    for _ in range(12):
        order = rng.sample(range(4), rng.randint(1, 4))
        ballots.append(tuple((c,) for c in order[:-2]) + ((tuple(order[-2:]),) if len(order) > 2 else ()))
    profile = RankedProfile(("a", "b", "c", "d"), tuple(ballots), tuple(range(1, 13)))
    back = parse_preflib(write_preflib(profile))

    def merged(p):
        out = Counter()
        for ballot, count in zip(p.ballots, p.counts):
            out[ballot] += count
        return out

    assert merged(back) == merged(profile) and back.meta["DATA TYPE"] == "toi"
    assert back.candidates == profile.candidates


def test_a_budget_with_selected_flags_and_names_survives_writing_and_reading():
    budget = Budget((Project("1", Fraction(6), "Garden; east", True), Project("2", Fraction(5), "Library", False)),
                    Fraction(10), (frozenset({0}), frozenset({0, 1}), frozenset()), ("a", "b", "c"))
    assert parse_pabulib(write_pabulib(budget)) == budget


@pytest.mark.parametrize(
    "text, line, words",
    [
        (HEAD + "3: 1,3\n", 4, "unknown candidate 3"),
        (HEAD + "-2: 1,2\n", 4, "negative count -2"),
        (HEAD + "x: 1,2\n", 4, "bad count"),
        (HEAD + "2: 1,{2\n", 4, "unbalanced"),
        (HEAD + "2: 1,1\n", 4, "ranked twice"),
        (HEAD + "2 1,2\n", 4, "expected 'count: order'"),
        (HEAD.replace("toi", "soi") + "1: {1,2}\n", 4, "tie in a strict-order file"),
        (HEAD + "# NUMBER VOTERS: 9\n1: 1\n", 5, "NUMBER VOTERS is 9"),
        ("1: 1\n", 1, "ALTERNATIVE NAME"),
    ],
)
def test_a_bad_preflib_file_names_the_line_and_the_problem(text, line, words):
    with pytest.raises(BallotFileError) as err:
        parse_preflib(text)
    assert err.value.line == line and words in str(err.value)


@pytest.mark.parametrize(
    "text, line, words",
    [
        (PB.replace("budget;10\n", ""), 1, "budget missing"),
        (PB.replace("v1;1,2", "v1;1,7"), 10, "unknown project 7"),
        (PB.replace("PROJECTS", "PROJECT"), 4, "unknown section 'PROJECT'"),
        (PB.replace("META\n", "VOTES\n", 1), 1, "out of place"),
        (PB.replace("1;6", "1;-6"), 6, "negative cost"),
        (PB.replace("1;6", "1;six"), 6, "bad cost"),
        (PB.replace("2;5", "1;5"), 7, "listed twice"),
        (PB.replace("VOTES\nvoter_id;vote\nv1;1,2\n", ""), 7, "section VOTES missing"),
        (PB.replace("v1;1,2", "v1;1;2"), 10, "3 fields"),
        (PB.replace("project_id;cost", "project_id;price"), 5, "lacks 'cost'"),
    ],
)
def test_a_bad_pabulib_file_names_the_line_and_the_problem(text, line, words):
    with pytest.raises(BallotFileError) as err:
        parse_pabulib(text)
    assert err.value.line == line and words in str(err.value)
