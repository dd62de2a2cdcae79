"""Plan an economy: which final demands to meet, tier by tier, worst-off first.

Each demand asks for a quantity of one product in a tier (1 basic and urgent,
2 basic, 3 other and urgent, 4 other, as in the neighbourhood planner). Meeting
fractions ``f`` of the demands takes the gross output ``x = (I - A)^-1 d(f)``,
which must stay within each capped product's capacity, and labour ``l . x``
within the labour offered. Tier by tier, given the earlier tiers, the fractions
are leximin-optimal: the lowest as high as possible, then the next, and so on.

Reduced form: since ``(I - A)^-1 >= 0``, the least ``x`` is ``L d(f)``, so every
scarce resource is one row over the fractions: labour ``sum_k f_k q_k v_{p_k}``
(``v`` the labour values), capacity ``c`` ``sum_k f_k q_k L[c, p_k]``. Rows with
non-negative coefficients make a packing polytope, where leximin is progressive
filling: raise every free fraction together until a row binds, fix the demands
that row holds, repeat. Capacity rows are added only when the gross output
violates them, and the tier is filled again. The reduced form needs ``A >= 0``;
a table with negative coefficients (by-products, in tables built from make and
use tables) is planned by :mod:`.plan_lp` over the gross outputs instead.

Examples
--------
>>> import numpy as np
>>> from sinfronteras.economy.leontief import Economy
>>> econ = Economy(("bread", "housing"), np.array([[0.1, 0.0], [0.0, 0.2]]), np.array([1.0, 2.0]))
>>> demands = [Demand("d1", 0, 9.0, 1), Demand("d2", 1, 8.0, 2)]
>>> plan = plan_economy(econ, demands, labour_available=15.0)
>>> np.round(plan.fractions, 4).tolist()
[1.0, 0.25]
>>> [(b.kind, b.tier, round(b.level, 4)) for b in plan.bottlenecks]
[('labour', 2, 0.25)]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .errors import TableError
from .plan_lp import plan_by_lp

#: How many violated capacity rows are added at once before a tier is filled again.
ROWS_PER_ROUND = 8
_TOL = 1e-12


@dataclass(frozen=True)
class Demand:
    """A final demand: ``quantity`` of product index ``product``, in ``tier`` (1 to 4)."""

    id: str
    product: int
    quantity: float
    tier: int = 1


@dataclass(frozen=True)
class Bottleneck:
    """A scarce resource that holds demands of a tier at a level.

    ``shadow_price`` is how much the level rises per unit more of the resource
    (labour in its unit, capacity in the product's unit). ``used_up_before`` says
    that earlier tiers had already used all of it, so these demands got nothing.
    """

    tier: int
    level: float
    kind: str  # "labour" or "capacity"
    product: str | None
    shadow_price: float
    demands: int
    used_up_before: bool = False


@dataclass
class EconomyPlan:
    """What :func:`plan_economy` returns."""

    fractions: np.ndarray
    tier_levels: dict[int, list[float]]
    gross_output: np.ndarray
    labour_needed: float
    labour_available: float | None
    bottlenecks: list[Bottleneck] = field(default_factory=list)
    capacity_rows: int = 0


@dataclass
class _Row:
    kind: str
    product: int | None
    coefficients: np.ndarray
    bound: float


def plan_economy(economy, demands: list[Demand], *, labour_available: float | None = None,
                 capacities: dict[int, float] | None = None) -> EconomyPlan:
    """Tiered leximin fractions of ``demands`` within labour and capacities.

    Parameters
    ----------
    economy : Economy
    demands : list of Demand
    labour_available : float, optional
        Labour offered, in the unit of the labour coefficients. None: unlimited.
    capacities : dict of int to float, optional
        Product index to the most gross output it can have.
    """
    capacities = dict(capacities or {})
    _check(economy, demands, labour_available, capacities)
    m = len(demands)
    q = np.array([d.quantity for d in demands], dtype=float)
    p = np.array([d.product for d in demands], dtype=np.int64)
    tiers = np.array([d.tier for d in demands], dtype=np.int64)
    cap = np.full(economy.n, np.inf)
    for product, value in capacities.items():
        cap[product] = value
    if economy.sparse.nnz and economy.sparse.data.min() < 0:
        f, levels, held, x = plan_by_lp(economy, q, p, tiers, labour_available, cap)
        held = [(_Row(kind, product, None, 0.0), *rest) for (kind, product), *rest in held]
        return EconomyPlan(f, levels, x, float(economy.labour @ x), labour_available,
                           _named(held, economy), int(np.isfinite(cap).sum()))
    rows: list[_Row] = []
    if labour_available is not None:
        rows.append(_Row("labour", None, q * economy.labour_values()[p], float(labour_available)))
    f = np.where(q > 0, 0.0, 1.0)
    levels: dict[int, list[float]] = {}
    bottlenecks: list[Bottleneck] = []
    first = int(tiers.min()) if m else 1
    for tier in sorted(set(tiers.tolist())):
        members = np.flatnonzero((tiers == tier) & (q > 0))
        while True:
            f[members] = 0.0
            tier_levels, held = _fill(rows, f, members, tier, tier > first)
            x = economy.gross_output(np.bincount(p, weights=f * q, minlength=economy.n))
            if not _add_violated(economy, rows, x, cap, q, p):
                break
        levels[tier] = tier_levels
        bottlenecks.extend(_named(held, economy))
    x = economy.gross_output(np.bincount(p, weights=f * q, minlength=economy.n)) if m else np.zeros(economy.n)
    return EconomyPlan(f, levels, x, float(economy.labour @ x), labour_available, bottlenecks,
                       sum(r.kind == "capacity" for r in rows))


def _check(economy, demands, labour_available, capacities):
    for k, d in enumerate(demands):
        if not 0 <= d.product < economy.n:
            raise TableError(f"demands[{k}] (id {d.id!r})", f"unknown product index {d.product}")
        if not np.isfinite(d.quantity) or d.quantity < 0:
            raise TableError(f"demands[{k}] (id {d.id!r})", f"quantity {d.quantity} must be 0 or more")
        if d.tier not in (1, 2, 3, 4):
            raise TableError(f"demands[{k}] (id {d.id!r})", f"tier {d.tier} must be 1, 2, 3 or 4")
    if labour_available is not None and not (np.isfinite(labour_available) and labour_available >= 0):
        raise TableError("--labour-available", f"{labour_available} must be a number, 0 or more")
    for product, value in capacities.items():
        if not (np.isfinite(value) and value >= 0):
            raise TableError(f"capacity of {economy.codes[product]}", f"{value} must be 0 or more")


def _add_violated(economy, rows, x, cap, q, p) -> bool:
    """Add the rows of the capacities ``x`` exceeds most; False when none is exceeded."""
    have = {r.product for r in rows if r.kind == "capacity"}
    finite = np.isfinite(cap)
    excess = np.full(len(cap), -np.inf)
    excess[finite] = (x[finite] - cap[finite]) / np.maximum(cap[finite], 1.0)
    over = [int(c) for c in np.argsort(-excess) if excess[c] > 1e-9 and int(c) not in have]
    for c in over[:ROWS_PER_ROUND]:
        rows.append(_Row("capacity", c, q * economy.inverse_row(c)[p], float(cap[c])))
    return bool(over)


def _fill(rows, f, members, tier, later):
    """Leximin fractions of ``members`` given every other fraction in ``f`` (changed in place).

    Returns the tier's levels and, per binding row, (row, level, shadow price, demands held,
    tier, used up before).
    """
    if not len(members):
        return [], []
    if not rows:
        f[members] = 1.0
        return [1.0], []
    A = np.vstack([r.coefficients for r in rows])
    bound = np.array([r.bound for r in rows])
    free = np.zeros(len(f), dtype=bool)
    free[members] = True
    levels, held = [], []
    tiny = _TOL * np.abs(A).max(axis=1, keepdims=True)
    while free.any():
        used = A @ np.where(free, 0.0, f)
        total = A[:, free].sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            level = np.where(total > tiny[:, 0], (bound - used) / total, np.inf)
        t = float(min(1.0, max(0.0, level.min())))
        if t >= 1.0:
            f[free] = 1.0
            levels.append(1.0)
            break
        binding = level <= t + _TOL * max(1.0, t)
        hit = free & (A[binding] > tiny[binding]).any(axis=0)
        f[hit] = t
        free &= ~hit
        levels.append(t)
        for r in np.flatnonzero(binding):
            held.append((rows[r], t, 1.0 / total[r] if total[r] > 0 else 0.0, int(hit.sum()), tier,
                         later and t == 0.0))
    return levels, held


def _named(held, economy) -> list[Bottleneck]:
    return [Bottleneck(tier, level, row.kind,
                       None if row.product is None else economy.codes[row.product],
                       price, count, used_up)
            for row, level, price, count, tier, used_up in held]
