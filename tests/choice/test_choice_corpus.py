"""A sample of real Pabulib elections, every vote type, each recounted against its published ``selected``.

Data: ``src/sinfronteras/data/voting/pabulib`` (copied byte for byte from
Pabulib, pabulib.org; see the README there). Cite: Stolicki, Szufa, Talmon,
"Pabulib: A Participatory Budgeting Library", 2020. Each file's ``rule`` (in
its META) is the one the city used; the rule here is ours for that name.
"""

from __future__ import annotations

import json
from functools import lru_cache

import pytest

from sinfronteras import data
from sinfronteras.choice.budget import equal_shares_add1, equal_shares_add1_comparison, greedy
from sinfronteras.choice.cli import main
from sinfronteras.choice.pabulib import read_pabulib

PABULIB = data.folder() / "voting" / "pabulib"
RULES = {"greedy": greedy, "greedy-no-skip": greedy, "greedy-threshold": greedy,
         "equalshares/add1": equal_shares_add1, "equalshares/add1-comparison": equal_shares_add1_comparison}
SHIPPED = sorted(p.name for p in PABULIB.glob("*.pb"))


@lru_cache(maxsize=None)
def count(name: str):
    """The file and its count by the rule its META names (counted once per run)."""
    budget = read_pabulib(PABULIB / name)
    return budget, RULES[budget.meta["rule"]](budget)


def test_the_sample_holds_a_few_files_of_every_vote_type_pabulib_publishes():
    kinds = {}
    for name in SHIPPED:
        budget = read_pabulib(PABULIB / name)
        kinds.setdefault(budget.vote_type, []).append(name)
    # Pabulib holds no file of vote type "scoring" (a synthetic one is in test_choice_pabulib_types).
    assert {k: len(v) >= 2 for k, v in kinds.items()} == {
        "approval": True, "choose-1": True, "ordinal": True, "cumulative": True}


@pytest.mark.parametrize("name", SHIPPED)
def test_each_shipped_election_selects_what_the_city_published(name):
    budget, result = count(name)
    published = {p.id for p in budget.projects if p.selected}
    assert published, "every shipped file has a 'selected' column"
    assert set(result.winners) == published


def test_greedy_ranks_ordinal_and_cumulative_projects_by_the_points_the_city_published():
    for name in ("Poland_Krakow_2019_Bienczyce.pb", "Poland_Krakow_2021_Bienczyce.pb",
                 "Poland_Czestochowa_2024_Podjasnogorska.pb"):
        budget = read_pabulib(PABULIB / name)
        result = greedy(budget)
        assert result.details["ranked_by"] == "points"
        score = {p.id: int(p.extra["score"]) for p in budget.projects}
        by_id = {p.id: p for p in budget.projects}
        shown = [(r.tallies["points"], r.elected) for r in result.rounds]
        assert [pts for pts, _ in shown] == sorted((pts for pts, _ in shown), reverse=True)
        for r in result.rounds:
            if r.elected:
                assert r.tallies["points"] == score[r.elected[0]] and by_id[r.elected[0]].selected


def test_a_ballot_naming_a_project_twice_counts_it_once_and_says_so_with_the_voter_id(capsys):
    path = PABULIB / "Poland_Warszawa_2026_Srodmiescie_Poludniowe.pb"
    budget = read_pabulib(path)
    assert budget.warnings == ("line 656 (voter 317731): project 174 named twice in one ballot; counted once",)
    assert main([str(path), "--rule", "greedy", "--json"]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [f"sinfronteras tally: warning: {path}: {budget.warnings[0]}"]
    assert json.loads(out)["warnings"] == list(budget.warnings)


def test_equal_shares_refuses_points_and_names_greedy_in_one_line(capsys):
    path = PABULIB / "Poland_Krakow_2021_Bienczyce.pb"
    assert main([str(path), "--rule", "mes-add1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.splitlines() == [err] and "votes are ordinal" in err and "use greedy" in err


def test_add1_comparison_keeps_raising_the_budget_when_more_voters_prefer_it_in_wieliczka_2023():
    budget, result = count("Poland_Wieliczka_2023_Green_Budget.pb")
    comparison = result.details["comparison"]
    assert result.rule == "mes-add1-comparison" and comparison["chosen"] == "raised"
    assert comparison["raised_supporters"] > comparison["add1_supporters"]
    assert set(comparison["add1"]) != set(comparison["raised"]) == set(result.winners)
