"""Published results of real elections, recounted from the public ballot files.

Data: ``src/sinfronteras/data/voting``, see the README there. PrefLib files: Jeffrey O'Neill, Open STV, www.OpenSTV.org, 2013, via
PrefLib (Mattei and Walsh, preflib.org). Pabulib files: Stolicki, Szufa, Talmon,
"Pabulib: A Participatory Budgeting Library", 2020, pabulib.org.
"""

from __future__ import annotations

import pytest

from sinfronteras import data
from sinfronteras.choice.budget import equal_shares_add1, greedy
from sinfronteras.choice.pabulib import read_pabulib
from sinfronteras.choice.preflib import read_preflib
from sinfronteras.choice.ranked import instant_runoff, ranked_pairs, schulze

VOTING = data.folder() / "voting"


def test_irv_elects_bob_kiss_in_burlington_2009_with_the_published_first_round():
    """Burlington, Vermont, mayor 2009 (PrefLib 00005-00000002): Kiss wins the runoff."""
    result = instant_runoff(read_preflib(VOTING / "preflib" / "burlington_2009_mayor.toi"))
    assert result.winners == ("Bob Kiss",)
    assert dict(result.rounds[0].tallies) == {
        "Kurt Wright": 2951, "Bob Kiss": 2585, "Andy Montroll": 2063,
        "Dan Smith": 1306, "Write-In": 36, "James Simpson": 35,
    }
    assert result.tied == ()


def test_schulze_and_ranked_pairs_elect_andy_montroll_in_burlington_2009():
    """Montroll is the Condorcet winner of Burlington 2009: he beats every rival head to head."""
    profile = read_preflib(VOTING / "preflib" / "burlington_2009_mayor.toi")
    assert schulze(profile).winners == ("Andy Montroll",)
    assert ranked_pairs(profile).winners == ("Andy Montroll",)
    table = schulze(profile).details["pairwise"]
    assert all(table["Andy Montroll"][x] > table[x]["Andy Montroll"] for x in table if x != "Andy Montroll")


def test_irv_elects_mick_ireland_in_aspen_2009():
    """Aspen, Colorado, mayor 2009 (PrefLib 00016-00000002): Ireland elected by instant runoff."""
    assert instant_runoff(read_preflib(VOTING / "preflib" / "aspen_2009_mayor.toi")).winners == ("Mick Ireland",)


def selected(budget) -> set[str]:
    return {p.id for p in budget.projects if p.selected}


def test_equal_shares_add1_selects_the_funded_projects_of_assen_2024():
    """Assen (NL) youth budget 2024, Pabulib, rule equalshares/add1: projects 2,3,5,6,9,11,12,13,14."""
    budget = read_pabulib(VOTING / "pabulib" / "Netherlands_Assen_2024.pb")
    result = equal_shares_add1(budget)
    assert set(result.winners) == selected(budget) == {"2", "3", "5", "6", "9", "11", "12", "13", "14"}


def test_greedy_selects_the_funded_projects_of_warsaw_2017_grzybowska_groszowka():
    """Warsaw 2017, Wesoła: Centrum, Wola Grzybowska, Groszówka (Pabulib), rule greedy."""
    budget = read_pabulib(VOTING / "pabulib" / "Poland_Warszawa_2017_CentrumWola_GrzybowskaGroszowka.pb")
    result = greedy(budget)
    assert set(result.winners) == selected(budget) == {"532", "450", "436", "395", "1629"}
