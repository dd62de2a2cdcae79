"""Every Pabulib vote type, faults said in one line, and every rule on 1,000 candidates."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest

from sinfronteras.choice import BallotFileError
from sinfronteras.choice.budget import equal_shares_add1, greedy
from sinfronteras.choice.cli import RULES, main
from sinfronteras.choice.pabulib import parse_pabulib


def pb(vote_type: str, votes: list[str], *, points: bool = False, meta: str = "", budget: int = 10) -> str:
    head = f"META\nkey;value\nbudget;{budget}\nvote_type;{vote_type}\n{meta}"
    projects = "PROJECTS\nproject_id;cost\n1;6\n2;5\n3;4\n"
    rows = "VOTES\nvoter_id;vote" + (";points" if points else "") + "\n" + "".join(v + "\n" for v in votes)
    return head + projects + rows


def test_a_choose_1_file_is_read_and_counted_by_voters():
    budget = parse_pabulib(pb("choose-1", ["v1;2", "v2;2", "v3;1"]))
    assert budget.vote_type == "choose-1" and budget.points == ()
    result = greedy(budget)
    assert result.winners == ("2", "3") or result.winners == ("2",)
    assert result.details["ranked_by"] == "voters" and result.rounds[0].tallies["votes"] == 2


def test_greedy_ranks_scoring_and_cumulative_ballots_by_points_not_voters():
    # Project 1: two voters, 2 points in all; project 2: one voter, 9 points.
    for kind in ("scoring", "cumulative"):
        budget = parse_pabulib(pb(kind, ["v1;1;1", "v2;1,2;1,9"], points=True))
        result = greedy(budget)
        assert result.details["ranked_by"] == "points"
        assert [r.tallies["points"] for r in result.rounds] == [9, 2] and result.winners[0] == "2"


def test_ordinal_ballots_without_points_give_the_first_place_the_most():
    budget = parse_pabulib(pb("ordinal", ["v1;3,1", "v2;3,2", "v3;1,3"], meta="max_length;2\n"))
    assert budget.points[0] == ((2, Fraction(2)), (0, Fraction(1)))
    assert [r.tallies["points"] for r in greedy(budget).rounds] == [5, 3, 1]


def test_each_fault_a_count_survives_is_said_in_one_line_naming_the_voter():
    text = pb("cumulative", ["a;1,1,2;3,4,2", "b;1,2,3;5,5,5", "b;3;1"], points=True,
              meta="max_sum_points;10\nmax_length;2\nnum_votes;4\n")
    budget = parse_pabulib(text)
    assert budget.warnings == (
        "line 15 (voter a): project 1 named twice in one ballot; counted once, with its first points",
        "line 16 (voter b): 3 projects where max_length is 2; counted as cast",
        "line 16 (voter b): 15 points where max_sum_points is 10; counted as cast",
        "line 17: voter id b appears twice; both ballots counted",
        "line 7: META num_votes is 4 but the file holds 3; counted what it holds",
    )
    assert budget.points[0] == ((0, Fraction(3)), (1, Fraction(2)))


def test_a_choose_1_ballot_naming_two_projects_counts_the_first_and_says_so():
    budget = parse_pabulib(pb("choose-1", ["v1;2,3"]))
    assert budget.approvals == (frozenset({1}),)
    assert budget.warnings == ("line 12 (voter v1): a choose-1 ballot names 2 projects; counted for the first, 2",)


def test_many_faults_of_one_kind_end_in_one_line_that_counts_the_rest():
    budget = parse_pabulib(pb("approval", [f"v{k};1,1" for k in range(14)]))
    assert len(budget.warnings) == 11 and budget.warnings[-1].startswith("... and 4 more ballots")


def test_an_unknown_vote_type_is_refused_naming_the_five_kinds():
    with pytest.raises(BallotFileError, match="expected one of approval, choose-1, ordinal, cumulative, scoring"):
        parse_pabulib(pb("borda", ["v1;1"]))


def test_greedy_no_skip_and_threshold_follow_the_file_rule():
    # Project 1 (cost 6) has 3 votes, project 2 (cost 5) 2 votes, project 3 (cost 4) 1 vote.
    votes = ["v1;1", "v2;1", "v3;1", "v4;2", "v5;2", "v6;3"]
    budget = parse_pabulib(pb("approval", votes, meta="rule;greedy-no-skip\n"))
    assert greedy(budget).winners == ("1",) and greedy(budget, skip=True).winners == ("1", "3")
    assert greedy(budget).rounds[2].note == "not reached: the count stopped at a project that did not fit"
    budget = parse_pabulib(pb("approval", votes, meta="rule;greedy-threshold\nmin_project_score_threshold;2\n"))
    assert greedy(budget).winners == ("1",) and greedy(budget).rounds[2].note == "below the threshold of 2"
    assert greedy(budget, threshold=0).winners == ("1", "3")


def test_equal_shares_refuses_points_and_names_the_rule_to_use():
    budget = parse_pabulib(pb("cumulative", ["v1;1;3"], points=True))
    with pytest.raises(ValueError, match="use greedy"):
        equal_shares_add1(budget)


def thousand_candidates(tmp_path):
    m = 1000
    head = "# DATA TYPE: soi\n" + "".join(f"# ALTERNATIVE NAME {k + 1}: c{k + 1}\n" for k in range(m))
    rows = [",".join(str(1 + (k * 7 + s) % m) for k in range(m)) for s in (0, 3, 11)]
    toi = tmp_path / "big.soi"
    toi.write_text(head + "".join(f"{n}: {row}\n" for n, row in zip((3, 2, 2), rows)))
    projects = "".join(f"{k};{1 + k % 50}\n" for k in range(1, m + 1))
    votes = "".join(f"v{v};{','.join(str(1 + (v * 13 + k) % m) for k in range(m))}\n" for v in range(3))
    budget = tmp_path / "big.pb"
    budget.write_text(f"META\nkey;value\nbudget;2000\nvote_type;approval\nPROJECTS\nproject_id;cost\n{projects}"
                      f"VOTES\nvoter_id;vote\n{votes}")
    return toi, budget


@pytest.mark.slow
def test_every_rule_answers_ballots_of_1000_candidates_with_a_count_or_one_line(tmp_path, capsys):
    toi, budget = thousand_candidates(tmp_path)
    for path in (toi, budget):
        for rule in RULES:
            code = main([str(path), "--rule", rule])
            out, err = capsys.readouterr()
            if code == 0:
                assert out.splitlines()[1] not in ("winners: ", "") and not err, (rule, path.name)
            else:
                assert code == 2 and len(err.strip().splitlines()) == 1 and " use " in err, (rule, path.name)
    # The same through the command line: a one-line refusal, never a traceback.
    run = subprocess.run([sys.executable, "-m", "sinfronteras.cli", "tally", str(budget), "--rule", "ranked-pairs"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr


def test_the_command_counts_a_choose_1_file(tmp_path, capsys):
    path = tmp_path / "c1.pb"
    path.write_text(pb("choose-1", ["v1;2", "v2;2"]))
    assert main([str(path), "--rule", "greedy", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ids"][0] == "2"
