"""The world food problem from FAO food supply (2017) and GeoNames cities, and its report.

Figures checked: FAO food supply per person (United States 2017 = 3,766 kcal,
India 2017 = 2,517; data/README.md), the eight countries below 2,100 kcal with
their GeoNames populations (155 M people), world supply 21,647 Gkcal/day against
a need of 15,987 (2,100 kcal for 7.61 bn people).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from sinfronteras.planning import Problem, plan
from sinfronteras.world.build import fao_supply, world_problem
from sinfronteras.world.report import report_html, summarise

BELOW_2017 = {"Central African Republic": 4_666_377, "Madagascar": 26_262_368,
              "Afghanistan": 37_172_386, "Zambia": 17_351_822, "North Korea": 25_549_819,
              "Bahamas": 385_640, "Yemen": 28_498_687, "Chad": 15_477_751}


@pytest.fixture(scope="module")
def world():
    return world_problem(2017, min_pop=1_000_000)


def test_fao_supply_reads_the_published_figures():
    supply = fao_supply(2017)
    assert supply["US"] == 3766 and supply["IN"] == 2517
    assert len(supply) == 172


def test_eight_countries_are_below_2100_kcal_with_their_populations(world):
    assert {c.name: c.population for c in world.below} == BELOW_2017
    assert round(sum(BELOW_2017.values()) / 1e6) == 155


def test_world_supply_and_need_are_the_measured_totals(world):
    assert round(world.supply()) == 21_647
    assert round(world.need()) == 15_987
    assert round(sum(c.population for c in world.without_figure) / 1e6) == 184


def test_every_person_is_counted_once_across_the_places(world):
    unplaced = {c.name: c.population for c in world.unplaced}
    assert unplaced == {"Cocos Islands": 628, "South Georgia and the South Sandwich Islands": 30,
                        "Pitcairn": 46, "French Southern Territories": 140}
    assert sum(p.people for p in world.places) == pytest.approx(
        sum(c.population for c in world.countries.values()) - sum(unplaced.values()), rel=1e-12)


def test_needs_are_basic_and_urgent_where_the_country_is_short(world):
    problem = Problem.from_json(world.doc)
    urgent = {n.place.split("-")[0] for n in problem.needs if n.urgent}
    assert {"AF", "MG", "YE", "TD"} <= urgent and "US" not in urgent
    assert all(r.basic for r in problem.resources)


def test_with_unlimited_reach_nobody_goes_hungry(world):
    facts = summarise(world, plan(Problem.from_json(world.doc)))
    assert facts.shortfall_before > 100
    assert facts.shortfall_after == pytest.approx(0.0, abs=1e-3)
    assert facts.flows and all(g != r for g, r, _ in facts.flows)


def test_at_1500_km_most_but_not_all_of_the_shortfall_is_met():
    world = world_problem(2017, min_pop=1_000_000, radius_km=1500)
    facts = summarise(world, plan(Problem.from_json(world.doc)))
    assert 0 < facts.shortfall_after < 0.2 * facts.shortfall_before


def test_within_a_continent_no_food_crosses_to_another_continent():
    world = world_problem(2017, min_pop=2_000_000, within="continent")
    result = plan(Problem.from_json(world.doc))
    continent = {p.id: world.countries[p.country].continent for p in world.places}
    problem = result.problem
    for j, i in zip(result.alloc_offer.tolist(), result.alloc_need.tolist()):
        assert continent[problem.offers[j].place] == continent[problem.needs[i].place]
    assert len(problem.resources) >= 5


def test_the_grid_merges_places_and_keeps_the_people(world):
    coarse = world_problem(2017, min_pop=1_000_000, grid_deg=20)
    assert len(coarse.places) < len(world.places)
    assert sum(p.people for p in coarse.places) == pytest.approx(sum(p.people for p in world.places))


def test_the_report_draws_its_maps_here_and_names_the_countries(world):
    facts = summarise(world, plan(Problem.from_json(world.doc)))
    page = report_html(world, facts, reach="any distance")
    assert page.count("<svg") == 2
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    for name in BELOW_2017:
        assert name in page
    assert "without an FAO figure" in page


@pytest.mark.parametrize("argv, expected", [
    (["--year", "2020", "-o", "x.json"], "--year 2020: the FAO food supply covers 1961 to 2017"),
    (["--year", "2017", "--radius-km", "-5", "-o", "x.json"], "a reach is 0 km or more"),
    (["--year", "2017", "--radius-km", "5", "--within", "continent", "-o", "x.json"], "not allowed with"),
])
def test_bad_options_stop_with_one_line(tmp_path, argv, expected):
    done = subprocess.run([sys.executable, "-m", "sinfronteras.cli", "world", *argv], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0]


def test_the_command_writes_a_problem_the_planner_reads_and_a_report(tmp_path):
    done = subprocess.run([sys.executable, "-m", "sinfronteras.cli", "world", "--year", "2017",
                           "--min-pop", "3000000", "--radius-km", "2000", "-o", "world.json",
                           "--report", "world.html"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    problem = Problem.from_json(json.loads((tmp_path / "world.json").read_text()))
    assert problem.resources[0].unit == "Gkcal/day"
    assert "8 countries below 2,100 kcal (155 M people)" in done.stdout
    assert "<svg" in (tmp_path / "world.html").read_text()
    planned = subprocess.run([sys.executable, "-m", "sinfronteras.cli", "plan", "world.json", "-o", "plan.json"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert planned.returncode == 0, planned.stderr
