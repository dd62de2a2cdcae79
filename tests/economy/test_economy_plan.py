"""Tiered leximin economy plans: closed form with labour only, an independent LP with capacities."""

from __future__ import annotations

import numpy as np
import pytest
from economy_oracle import leximin_by_lp

from sinfronteras import data
from sinfronteras.economy import Demand, Economy, plan_economy, read_table
from sinfronteras.economy.synthetic import random_economy


def germany():
    return Economy.from_table(read_table(data.path("economy", "germany_1995_beutel_table_15_4.csv")))


def random_demands(n, m, seed):
    rng = np.random.default_rng(seed)
    return [Demand(f"d{k}", int(rng.integers(n)), float(rng.uniform(1, 50)), int(rng.integers(1, 5)))
            for k in range(m)]


def closed_form(economy, demands, labour):
    """Each tier in turn gets min(1, labour left / labour its demands take)."""
    values = economy.labour_values()
    out, left = {}, labour
    for tier in sorted({d.tier for d in demands}):
        mine = [d for d in demands if d.tier == tier]
        need = sum(d.quantity * values[d.product] for d in mine)
        level = min(1.0, left / need) if need else 1.0
        left -= level * need
        out.update({d.id: level for d in mine})
    return out


@pytest.mark.parametrize("seed", range(5))
def test_with_labour_only_each_tier_gets_its_closed_form_share(seed):
    economy, _ = random_economy(200, seed=seed)
    demands = random_demands(200, 300, seed)
    total = sum(d.quantity * v for d, v in zip(demands, economy.labour_values()[[d.product for d in demands]]))
    labour = total * [0.2, 0.5, 0.8, 0.95, 1.2][seed]
    plan = plan_economy(economy, demands, labour_available=labour)
    expected = closed_form(economy, demands, labour)
    assert np.allclose(plan.fractions, [expected[d.id] for d in demands], rtol=1e-9, atol=1e-12)
    assert plan.labour_needed <= labour * (1 + 1e-9)


def test_on_germany_1995_labour_only_the_closed_form_holds_on_the_published_demand():
    table = read_table(data.path("economy", "germany_1995_beutel_table_15_4.csv"))
    economy = Economy.from_table(table)
    demands = [Demand(code, k, d, 2 if k % 2 else 1) for k, (code, d) in
               enumerate(zip(table.codes, table.final_demand))]
    plan = plan_economy(economy, demands, labour_available=0.7 * table.labour.sum())
    expected = closed_form(economy, demands, 0.7 * table.labour.sum())
    assert np.allclose(plan.fractions, [expected[d.id] for d in demands], rtol=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_with_capacities_the_plan_is_the_independent_lps_leximin(seed):
    economy, _ = random_economy(40, inputs=(3, 8), seed=seed)
    demands = random_demands(40, 60, seed + 100)
    rng = np.random.default_rng(seed)
    full = economy.gross_output(np.bincount([d.product for d in demands],
                                            weights=[d.quantity for d in demands], minlength=40))
    capped = rng.choice(40, size=4, replace=False)
    capacities = {int(c): float(full[c] * rng.uniform(0.2, 0.9)) for c in capped}
    labour = float(economy.labour @ full) * (0.6 if seed % 2 else 10)
    plan = plan_economy(economy, demands, labour_available=labour, capacities=capacities)
    oracle = leximin_by_lp(economy.sparse, economy.labour, demands, labour=labour, capacities=capacities)
    assert np.allclose(plan.fractions, oracle, atol=1e-6)
    assert np.all(plan.gross_output <= np.array([capacities.get(c, np.inf) for c in range(40)]) * (1 + 1e-9))


@pytest.mark.slow
def test_a_thousand_products_with_five_percent_capped_match_the_independent_lp():
    n = 1000
    economy, final = random_economy(n, seed=7)
    demands = [Demand(f"d{k}", k, float(final[k]), 1 + k % 4) for k in range(n)]
    full = economy.gross_output(final)
    rng = np.random.default_rng(7)
    capacities = {int(c): float(full[c] * rng.uniform(0.5, 0.95))
                  for c in rng.choice(n, size=n // 20, replace=False)}
    labour = float(economy.labour @ full) * 0.9
    plan = plan_economy(economy, demands, labour_available=labour, capacities=capacities)
    oracle = leximin_by_lp(economy.sparse, economy.labour, demands, labour=labour, capacities=capacities)
    assert np.allclose(plan.fractions, oracle, atol=1e-6)


def test_the_tables_negative_coefficients_send_the_tier_through_exact_lps():
    # A negative flow (as in the US table) can make a row's coefficient negative.
    economy = Economy(("a", "b"), np.array([[0.0, -0.05], [0.3, 0.0]]), np.array([1.0, 1.0]))
    demands = [Demand("a", 0, 10.0, 1), Demand("b", 1, 10.0, 1)]
    capacities = {0: 5.0}
    plan = plan_economy(economy, demands, labour_available=100.0, capacities=capacities)
    oracle = leximin_by_lp(economy.sparse, economy.labour, demands, labour=100.0, capacities=capacities)
    assert np.allclose(plan.fractions, oracle, atol=1e-6)


def test_construction_at_capacity_holds_its_tier_and_is_named_with_a_shadow_price():
    economy = germany()
    construction = economy.codes.index("cpa_f")
    demands = [Demand(f"d{k}", k, 1000.0, 2) for k in range(economy.n)]
    cap = 0.5 * economy.gross_output(np.full(economy.n, 1000.0))[construction]
    plan = plan_economy(economy, demands, capacities={construction: cap})
    (held,) = [b for b in plan.bottlenecks if b.kind == "capacity"]
    assert held.product == "cpa_f" and held.tier == 2 and 0 < held.level < 1
    assert held.shadow_price > 0
    assert plan.gross_output[construction] == pytest.approx(cap, rel=1e-9)
    # One more unit of capacity raises the level by the shadow price (linear in the cap).
    more = plan_economy(economy, demands, capacities={construction: cap + 1.0})
    assert min(more.fractions) - min(plan.fractions) == pytest.approx(held.shadow_price, rel=1e-6)


def test_a_capped_basic_tier_leaves_later_demands_that_need_it_even_indirectly_with_nothing():
    economy = germany()
    construction = economy.codes.index("cpa_f")
    demands = [Demand("homes", construction, 1e6, 1)] + [
        Demand(f"other-{k}", k, 100.0, 3) for k in range(economy.n) if k != construction]
    cap = 0.5 * economy.gross_output(np.eye(economy.n)[construction] * 1e6)[construction]
    plan = plan_economy(economy, demands, capacities={construction: cap})
    assert plan.fractions[0] == pytest.approx(0.5, rel=1e-9)
    assert np.all(plan.fractions[1:] == 0)
    (nothing,) = [b for b in plan.bottlenecks if b.used_up_before]
    assert nothing.tier == 3 and nothing.demands == economy.n - 1 and nothing.product == "cpa_f"


def test_demands_of_nothing_count_as_met_and_unlimited_resources_meet_everything():
    economy = germany()
    demands = [Demand("none", 0, 0.0, 1), Demand("some", 1, 5.0, 4)]
    plan = plan_economy(economy, demands)
    assert plan.fractions.tolist() == [1.0, 1.0]
    assert plan.bottlenecks == []
