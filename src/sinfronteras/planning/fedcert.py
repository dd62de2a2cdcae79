"""A certificate that a plan is feasible, leximin tier by tier, and of least distance.

In a federation nobody has to be trusted: the server that plans a round sends
the plan with a :func:`certificate`, and every other server checks it with
:func:`verify` against the same problem (the union of the signed digests)
before it applies anything. Checking is linear in the arcs; no solver runs.

What the certificate holds, and what :func:`verify` checks with it:

**Feasibility** (no certificate needed). Every allocation is on an arc of the
problem (the offer lists the need's resource and reaches its place), no offer
gives more than it has, no need gets more than it asks, every need of the
problem is in the plan once with the ``met`` its allocations add up to, no need
or offer is invented, and resources with a step move in whole steps.

**Leximin, tier by tier: a cut per level.** For tier ``t`` the certificate
gives every node (offer or need) a level ``r(v)`` in ``[0, 1]`` or none (+inf).
For each level ``lam`` the nodes with ``r(v) <= lam`` form a cut: no residual
arc enters it from outside. :func:`verify` checks, on every arc ``(o, n)`` of
the problem, ``r(o) <= r(n)`` (more could go from ``o`` to ``n``) and, where
the plan moves something from ``o`` to ``n``, ``r(n) <= r(o)`` (``n`` could
give it back); that an offer with something left and a need of a later tier
that got something have no level (they lie outside every cut); that a need of
tier ``t`` has a level of at least its fulfilled fraction ``f``, and an unmet
one a level of at most ``f``. Then a need at fraction ``f`` could get more
only by a path from an offer with something left, from a need of a later tier,
or from a need of tier ``t`` at a higher fraction, and each would cross the
cut of level ``f``: none exists, so no need could get more without taking from
an equal or stronger claim (Fujishige's condition for the lexicographically
optimal base of a polymatroid). The cuts of one tier are nested, so one label
per node encodes them all.

**Least distance: potentials.** Prices ``u(o) >= 0`` of the offers and
``v(n)`` of the needs, in km, with no arc of negative reduced cost
``km(o, n) + u(o) - v(n)`` (a tolerance of one cost unit, a metre). By weak
duality ``sum v(n) met(n) - sum u(o) s(o)`` is a lower bound of the distance of
any plan that gives every need its ``met``; :func:`verify` checks that the
plan's distance is within the tolerance of that bound.

Tolerances, all explicit (:class:`Tolerances`): plan documents round
quantities to six decimals (``ROUND`` per allocation); the planner counts a
quantity without a step in units of ``resolution`` (one unit below exact at
most) and a quantity with one in whole steps: each need at the floor or the ceiling
of its exact share, strictly less than a step from it (a plan that gives a need a
whole step less than it could get is refused); distances are costed in units of ``10**-k`` km (metres).

Examples
--------
>>> from sinfronteras.planning import Problem, plan
>>> p = Problem.from_json({"version": 1,
...     "resources": [{"id": "rice", "unit": "kg", "basic": True}],
...     "places": [{"id": "a", "lat": 34.03, "lon": -118.20}, {"id": "b", "lat": 34.05, "lon": -118.25}],
...     "needs": [{"id": "n1", "resource": "rice", "quantity": 5, "place": "a"},
...               {"id": "n2", "resource": "rice", "quantity": 10, "place": "b"}],
...     "offers": [{"id": "o1", "resources": ["rice"], "quantity": 9, "place": "a", "radius_km": 10}]})
>>> good = plan(p)
>>> cert = certificate(p, good)
>>> verify(p, good, cert)
[]
>>> bad = good.to_json()
>>> bad["allocations"] = [{"offer": "o1", "need": "n1", "quantity": 5.0}, {"offer": "o1", "need": "n2", "quantity": 4.0}]
>>> bad["needs"][0]["met"], bad["needs"][1]["met"] = 5.0, 4.0
>>> verify(p, bad, certificate(p, bad))[0]
'tier 2: need n2 (fraction 0.4) could get more from need n1 (fraction 1): no cut separates them'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .arcs import _expand, build_arcs
from .certify import bellman_ford, cost_decimals
from .distance import COST_DECIMALS
from .errors import PlanningError
from .model import Problem
from .solve import in_steps, scale_quantities

CERT_FORMAT = "sinfronteras-certificate"
CERT_VERSION = 1
#: Plan documents round every quantity to six decimals: this much per allocation.
ROUND = 1e-6
#: Slack of float comparisons between labels.
EPS = 1e-12
#: At most this many reasons of one kind are listed (then how many more).
MAX_REASONS = 5


class CertificateError(PlanningError, ValueError):
    """No certificate can be made: the plan is not feasible for the problem (the reason says why)."""


@dataclass(frozen=True)
class Tolerances:
    """The tolerances of :func:`verify`, computed from the problem alone (never from the plan's word).

    Attributes
    ----------
    resolution : float
        The planner's quantity unit for resources without a step (its
        ``quantity_resolution``, ``1 / scale``).
    cost_decimals : int
        Distances are costed in units of ``10**-cost_decimals`` km.
    need_abs, offer_spare : ndarray
        Per need: what counts as nothing (a later tier's need that got less took
        nothing; a need that lacks less lacks nothing); per offer: what counts as
        nothing left.
    need_frac : ndarray
        Per need: how far its fraction may be from its exact leximin share:
        strictly less than one step for a resource with a step (floor or
        ceiling of the share, less the plan document's rounding), one unit
        and the rounding otherwise.
    """

    resolution: float
    cost_decimals: int
    need_abs: np.ndarray
    offer_spare: np.ndarray
    need_frac: np.ndarray


@dataclass
class _Read:
    """A plan read against its problem."""

    a: Any
    arcs: Any
    flow: np.ndarray  # quantity on each arc of ``arcs``
    got: np.ndarray  # per need
    used: np.ndarray  # per offer
    frac: np.ndarray
    tol: Tolerances
    doc_met: np.ndarray


def _doc(plan) -> dict:
    return plan.to_json() if hasattr(plan, "to_json") else plan


def _capped(kind: str, items: list[str]) -> list[str]:
    if len(items) <= MAX_REASONS:
        return items
    return items[:MAX_REASONS] + [f"and {len(items) - MAX_REASONS} more {kind}"]


def _read(problem: Problem, plan) -> tuple[_Read | None, list[str]]:  # noqa: C901 - one check after another
    """Check that ``plan`` is a feasible plan of ``problem``; read its flows."""
    doc = _doc(plan)
    if not isinstance(doc, dict) or not isinstance(doc.get("allocations"), list) or not isinstance(doc.get("needs"), list):
        return None, ["plan: must be a plan document with 'allocations' and 'needs' lists"]
    a = problem.arrays
    n_o, n_n = len(problem.offers), len(problem.needs)
    oi = {o.id: j for j, o in enumerate(problem.offers)}
    ni = {n.id: i for i, n in enumerate(problem.needs)}
    arcs = build_arcs(a)
    keys = arcs.offer * max(n_n, 1) + arcs.need
    reasons: list[str] = []
    bad_ids, off_arc, bad_qty = [], [], []
    rows_k, rows_j, rows_i, rows_x = [], [], [], []
    for k, row in enumerate(doc["allocations"]):
        if not isinstance(row, dict):
            bad_ids.append(f"allocations[{k}]: must be an object")
            continue
        j, i, x = oi.get(row.get("offer")), ni.get(row.get("need")), row.get("quantity")
        if j is None or i is None:
            what = f"offer {row.get('offer')!r}" if j is None else f"need {row.get('need')!r}"
            bad_ids.append(f"allocations[{k}]: {what} is not in the problem")
        elif isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x) or x <= 0:
            bad_qty.append(f"allocations[{k}]: quantity must be a positive number, got {x!r}")
        else:
            rows_k.append(k)
            rows_j.append(j)
            rows_i.append(i)
            rows_x.append(float(x))
    rj, ri = np.array(rows_j, np.int64), np.array(rows_i, np.int64)
    want = rj * max(n_n, 1) + ri
    pos = np.minimum(np.searchsorted(keys, want), max(len(keys) - 1, 0))
    on_arc = (keys[pos] == want) if len(keys) else np.zeros(len(want), bool)
    for m in np.flatnonzero(~on_arc):
        row = doc["allocations"][rows_k[m]]
        off_arc.append(f"allocations[{rows_k[m]}]: offer {row['offer']} cannot serve need {row['need']} "
                       "(another resource, or out of its reach)")
    flow = np.zeros(len(arcs))
    np.add.at(flow, pos[on_arc], np.array(rows_x, float)[on_arc])
    count_o = np.bincount(rj[on_arc], minlength=n_o).astype(float)
    count_n = np.bincount(ri[on_arc], minlength=n_n).astype(float)
    reasons += _capped("allocations naming what the problem lacks", bad_ids)
    reasons += _capped("allocations on no arc", off_arc) + _capped("bad quantities", bad_qty)
    got = np.bincount(arcs.need, weights=flow, minlength=n_n)
    used = np.bincount(arcs.offer, weights=flow, minlength=n_o)
    doc_met = np.full(n_n, np.nan)
    seen: set[str] = set()
    invented, twice = [], []
    for k, row in enumerate(doc["needs"]):
        nid = row.get("id") if isinstance(row, dict) else None
        if nid not in ni:
            invented.append(f"needs[{k}]: need {nid!r} is not in the problem")
            continue
        if nid in seen:
            twice.append(f"needs[{k}]: need {nid} is in the plan twice")
        seen.add(nid)
        met = row.get("met")
        ok = isinstance(met, (int, float)) and not isinstance(met, bool) and math.isfinite(met)
        doc_met[ni[nid]] = float(met) if ok else np.nan
    reasons += _capped("invented needs", invented) + _capped("needs listed twice", twice)
    missing = [f"need {n.id} of the problem is not in the plan" for n in problem.needs if n.id not in seen]
    reasons += _capped("needs left out", missing)
    tol = tolerances(problem, count_o, count_n)
    q, s = a.need_quantity, a.offer_quantity
    feas_n = ROUND * (count_n + 1) + 1e-9 * q
    feas_o = ROUND * (count_o + 1) + 1e-9 * s
    over_o = [f"offer {problem.offers[j].id} gives {used[j]:.6g}, more than its {s[j]:.6g}"
              for j in np.flatnonzero(used > s + feas_o)]
    over_n = [f"need {problem.needs[i].id} gets {got[i]:.6g}, more than its {q[i]:.6g}"
              for i in np.flatnonzero(got > q + feas_n)]
    listed = np.zeros(n_n, bool)
    listed[[ni[x] for x in seen]] = True
    wrong = [f"need {problem.needs[i].id}: met {doc_met[i]!r} is not what its allocations add up to ({got[i]:.6g})"
             for i in np.flatnonzero(listed & ~(np.abs(doc_met - got) <= feas_n))]
    reasons += _capped("offers over capacity", over_o) + _capped("needs over quantity", over_n)
    reasons += _capped("wrong met", wrong)
    step = a.offer_step[arcs.offer]
    moved = flow > 0
    steps = np.where(step > 0, flow / np.where(step > 0, step, 1.0), 0.0)
    broken = moved & (step > 0) & (np.abs(steps - np.rint(steps)) > ROUND / np.where(step > 0, step, 1.0) + 1e-9)
    reasons += _capped("parts of a step", [
        f"offer {problem.offers[arcs.offer[k]].id} -> need {problem.needs[arcs.need[k]].id}: {flow[k]:.6g} is not a "
        f"whole number of steps of {step[k]:g}" for k in np.flatnonzero(broken)])
    if reasons:
        return None, reasons
    frac = np.where(q > 0, np.minimum(got / np.where(q > 0, q, 1.0), 1.0), 1.0)
    return _Read(a, arcs, flow, got, used, frac, tol, doc_met), []


def tolerances(problem: Problem, allocs_per_offer=None, allocs_per_need=None) -> Tolerances:
    """The :class:`Tolerances` for a problem (allocation counts add the document's rounding)."""
    a = problem.arrays
    sc = in_steps(scale_quantities(a.need_quantity, a.offer_quantity), a)
    res = 1.0 / sc.scale
    k_n = np.zeros(len(a.need_quantity)) if allocs_per_need is None else np.asarray(allocs_per_need, float)
    k_o = np.zeros(len(a.offer_quantity)) if allocs_per_offer is None else np.asarray(allocs_per_offer, float)
    ns, os_ = a.need_step, a.offer_step
    need_abs = np.where(ns > 0, ns / 2, res + ROUND * (k_n + 1))
    # With a step, a need is at the floor or the ceiling of its exact share: strictly less than a
    # step from it (less the document's rounding), so a whole step short is refused. Without one,
    # one quantity unit (the planner's counting) and the rounding.
    rounding = ROUND * (k_n + 1)
    unit = np.where(ns > 0, ns - 2 * rounding, res + rounding)
    q = a.need_quantity
    need_frac = unit / np.where(q > 0, q, 1.0) + np.where(ns > 0, 0.0, 1e-9)
    spare = np.where(os_ > 0, os_ / 2, res * (len(q) + 1) + ROUND * (k_o + 1))
    k = min(COST_DECIMALS, cost_decimals(a, sc.offer)) if len(a.offer_quantity) else COST_DECIMALS
    return Tolerances(res, int(k), need_abs, spare, need_frac)


# The certificate ------------------------------------------------------------------------------


def certificate(problem: Problem, plan) -> dict:
    """A certificate that ``plan`` is optimal for ``problem`` (checked by :func:`verify`).

    Parameters
    ----------
    problem : Problem
    plan : Plan or dict
        The plan, or its document (plan format v1).

    Returns
    -------
    dict
        JSON-able: ``{"format": "sinfronteras-certificate", "version": 1,
        "levels": {tier: {"offers": {id: level}, "needs": {id: level}}},
        "potentials": {"offers": {id: km}, "needs": {id: km}}}``. Nodes
        without a level, and prices of zero, are left out.

    Raises
    ------
    CertificateError
        If the plan is not even feasible for the problem. A plan that is
        feasible but not optimal gets a certificate that :func:`verify`
        refuses.
    """
    r, reasons = _read(problem, plan)
    if r is None:
        raise CertificateError(reasons[0])
    needs, offers = problem.needs, problem.offers
    levels = {}
    for t in (1, 2, 3, 4):
        tier_t = r.a.need_tier == t
        unmet = tier_t & _short(r)
        if not unmet.any():
            continue
        start = np.where(unmet, r.frac + r.tol.need_frac, np.inf)
        lo, ln = _propagate(len(offers), len(needs), r.arcs, r.flow > 0, start)
        levels[str(t)] = {
            "offers": {offers[j].id: float(lo[j]) for j in np.flatnonzero(np.isfinite(lo))},
            "needs": {needs[i].id: float(ln[i]) for i in np.flatnonzero(np.isfinite(ln))},
        }
    u, v = _potentials(r)
    return {
        "format": CERT_FORMAT,
        "version": CERT_VERSION,
        "levels": levels,
        "potentials": {
            "offers": {offers[j].id: float(u[j]) for j in np.flatnonzero(u != 0)},
            "needs": {needs[i].id: float(v[i]) for i in np.flatnonzero((r.got > 0) & (v != 0))},
        },
    }


def _short(r: _Read) -> np.ndarray:
    """Needs that lack more than nothing (half a step, or a quantity unit): each could take more."""
    return r.a.need_quantity - r.got > r.tol.need_abs


def _propagate(n_o: int, n_n: int, arcs, moved: np.ndarray, start: np.ndarray):
    """Levels: each node's least ``start`` among the needs it reaches in the residual network.

    Residual arcs are ``o -> n`` for every arc and ``n -> o`` where something
    moves from ``o`` to ``n``; labels travel against them (label correcting).
    """
    lo, ln = np.full(n_o, np.inf), start.astype(float).copy()
    by_need = np.argsort(arcs.need, kind="stable")
    need_ptr = np.searchsorted(arcs.need[by_need], np.arange(n_n + 1))
    flows = np.flatnonzero(moved)
    by_offer = flows[np.argsort(arcs.offer[flows], kind="stable")]
    offer_ptr = np.searchsorted(arcs.offer[by_offer], np.arange(n_o + 1))
    frontier = np.flatnonzero(np.isfinite(ln))
    while len(frontier):
        _, pos = _expand(need_ptr[frontier], need_ptr[frontier + 1])
        k = by_need[pos]
        o, val = arcs.offer[k], ln[arcs.need[k]]
        better = val < lo[o]
        if not better.any():
            break
        np.minimum.at(lo, o[better], val[better])
        changed = np.unique(o[better])
        _, pos = _expand(offer_ptr[changed], offer_ptr[changed + 1])
        k = by_offer[pos]
        n, val = arcs.need[k], lo[arcs.offer[k]]
        better = val < ln[n]
        np.minimum.at(ln, n[better], val[better])
        frontier = np.unique(n[better])
    return lo, ln


def _potentials(r: _Read) -> tuple[np.ndarray, np.ndarray]:
    """Offer prices ``u >= 0`` and need prices ``v`` (km) from the plan's residual network.

    Exact potentials on integer costs of ``10**-k`` km (metres first, then the coarsest unit
    the planner may have used on a huge problem), found by :func:`residual_potentials`; zeros
    if the plan has a negative cycle at both (it is not of least distance, and :func:`verify`
    will say so).
    """
    n_o, n_n = len(r.used), len(r.got)
    sink = n_o + n_n
    live = r.got[r.arcs.need] > 0
    moved = r.flow > 0
    offers = np.arange(n_o)
    used = r.used > 0
    left = r.a.offer_quantity - r.used > r.tol.offer_spare
    tails = np.concatenate([r.arcs.offer[live], n_o + r.arcs.need[moved], offers[used],
                            np.full(int(left.sum()), sink)])
    heads = np.concatenate([n_o + r.arcs.need[live], r.arcs.offer[moved], np.full(int(used.sum()), sink),
                            offers[left]])
    # Both directions residual: a moved arc (to a need that got something) and an offer used in part.
    both = moved & live
    part = used & left
    eq_a = np.concatenate([r.arcs.offer[both], offers[part]])
    eq_b = np.concatenate([n_o + r.arcs.need[both], np.full(int(part.sum()), sink)])
    for k in sorted({COST_DECIMALS, r.tol.cost_decimals}, reverse=True):
        c = np.rint(r.arcs.km * 10.0**k).astype(np.int64)
        w = np.concatenate([c[live], -c[moved], np.zeros(int(used.sum()) + int(left.sum()), np.int64)])
        eq_w = np.concatenate([c[both], np.zeros(int(part.sum()), np.int64)])
        try:
            d = residual_potentials(sink + 1, tails, heads, w, eq_a, eq_b, eq_w)
        except RuntimeError:
            continue
        scale = 10.0**k
        return np.maximum(d[:n_o] - d[sink], 0) / scale, (d[n_o:sink] - d[sink]) / scale
    return np.zeros(n_o), np.zeros(n_n)


def residual_potentials(n_nodes: int, tails, heads, w, eq_a, eq_b, eq_w) -> np.ndarray:
    """Integer potentials ``d`` with ``w + d[tail] - d[head] >= 0`` on every arc of a residual network.

    ``eq_a``, ``eq_b``, ``eq_w``: pairs of nodes joined both ways (an arc that carries flow and
    could carry more or less), so that ``d[eq_b] - d[eq_a] == eq_w`` in any potentials.

    Bellman-Ford over a whole round's network (a million arcs and more) needs as many passes
    as its shortest paths have arcs: a thousand and more where flows chain across a region.
    Here each part joined by those pairs is solved first, exactly, by one traversal of a
    spanning forest (pointer jumping); then only the arcs between parts, with the parts'
    offsets folded into their costs, go through Bellman-Ford, one node per part. The result
    is checked on every arc; where the pairs disagree (the flow was not optimal), or the check
    fails, plain Bellman-Ford decides.

    Raises
    ------
    RuntimeError
        If the network has a negative cycle (no potentials exist).

    Examples
    --------
    >>> import numpy as np
    >>> t, h, w = np.array([0, 1, 1, 2]), np.array([1, 0, 2, 1]), np.array([3, -3, 1, -1])
    >>> d = residual_potentials(3, t, h, w, np.array([0, 1]), np.array([1, 2]), np.array([3, 1]))
    >>> d.tolist(), bool((w + d[t] - d[h] >= 0).all())
    ([0, 3, 4], True)
    """
    tails, heads, w = (np.asarray(x, np.int64) for x in (tails, heads, w))
    d = _by_parts(n_nodes, tails, heads, w, np.asarray(eq_a, np.int64), np.asarray(eq_b, np.int64),
                  np.asarray(eq_w, np.int64))
    if d is not None and (w + d[tails] - d[heads] >= 0).all():
        return d
    return bellman_ford(n_nodes, tails, heads, w, np.zeros(n_nodes, np.int64))


def _by_parts(n, tails, heads, w, eq_a, eq_b, eq_w) -> np.ndarray | None:
    """:func:`residual_potentials` by parts; None where a part's own arcs disagree."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import breadth_first_order, connected_components

    n_parts, part = connected_components(
        coo_matrix((np.ones(len(eq_a), np.int8), (eq_a, eq_b)), shape=(n, n)), directed=False)
    first = np.full(n_parts, -1, np.int64)
    first[part[::-1]] = np.arange(n)[::-1]  # each part's lowest node hangs from a virtual root
    root = n
    a = np.concatenate([eq_a, eq_b, np.full(n_parts, root)])
    b = np.concatenate([eq_b, eq_a, first])
    wt = np.concatenate([eq_w, -eq_w, np.zeros(n_parts, np.int64)])  # d[b] - d[a]
    g = coo_matrix((np.ones(len(a), np.int8), (a, b)), shape=(n + 1, n + 1)).tocsr()
    _, pred = breadth_first_order(g, root, directed=True, return_predecessors=True)
    key = a * (n + 1) + b
    order = np.argsort(key, kind="stable")
    key, wt = key[order], wt[order]
    parent = pred.astype(np.int64)
    parent[root] = root
    nodes = np.arange(n)
    p = np.zeros(n + 1, np.int64)
    p[:n] = wt[np.searchsorted(key, parent[:n] * (n + 1) + nodes)]
    while (parent != root).any():  # pointer jumping: p becomes the sum of offsets up to the root
        up = parent != root
        p = p + np.where(up, p[parent], 0)
        parent = np.where(up, parent[parent], root)
    p = p[:n]
    rc = w + p[tails] - p[heads]
    pt, ph = part[tails], part[heads]
    inside = pt == ph
    if (rc[inside] < 0).any():
        return None
    cross = ~inside
    offset = bellman_ford(n_parts, pt[cross], ph[cross], rc[cross], np.zeros(n_parts, np.int64))
    return offset[part] + p


# Verifying ------------------------------------------------------------------------------------


def verify(problem: Problem, plan, cert: Any) -> list[str]:
    """Why ``plan`` is not a certified optimal plan of ``problem`` (an empty list: it is).

    Parameters
    ----------
    problem : Problem
        The problem as the verifier built it (in a round: the union of the
        signed digests), never as the plan's author describes it.
    plan : Plan or dict
        The plan or its document (plan format v1).
    cert : dict
        The certificate (:func:`certificate`).

    Returns
    -------
    list of str
        One line per reason, at most a few of each kind; empty when the plan
        is feasible, no need could get more without taking from an equal or
        stronger claim (up to :class:`Tolerances`), and its distance is the
        least for what it meets.
    """
    r, reasons = _read(problem, plan)
    if r is None:
        return reasons
    if not isinstance(cert, dict) or cert.get("format") != CERT_FORMAT or cert.get("version") != CERT_VERSION:
        return [f"certificate: expected format {CERT_FORMAT!r} version {CERT_VERSION}"]
    reasons = _verify_levels(problem, r, cert.get("levels"))
    return reasons + _verify_distance(problem, r, cert.get("potentials"))


def _labels(problem: Problem, part: Any, where: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    n_o, n_n = len(problem.offers), len(problem.needs)
    lo, ln = np.full(n_o, np.inf), np.full(n_n, np.inf)
    if part is None:
        return lo, ln, []
    if not isinstance(part, dict):
        return lo, ln, [f"{where}: must be an object"]
    bad = []
    for kind, arr, index in (("offers", lo, {o.id: j for j, o in enumerate(problem.offers)}),
                             ("needs", ln, {n.id: i for i, n in enumerate(problem.needs)})):
        rows = part.get(kind, {})
        if not isinstance(rows, dict):
            bad.append(f"{where}.{kind}: must be an object")
            continue
        for key, val in rows.items():
            if key not in index:
                bad.append(f"{where}.{kind}: {key!r} is not in the problem")
            elif isinstance(val, bool) or not isinstance(val, (int, float)) or math.isnan(val):
                bad.append(f"{where}.{kind}: {key} must be a number")
            else:
                arr[index[key]] = float(val)
    return lo, ln, _capped("bad entries", bad)


def _verify_levels(problem: Problem, r: _Read, levels: Any) -> list[str]:
    if levels is not None and not isinstance(levels, dict):
        return ["certificate: 'levels' must be an object"]
    levels = levels or {}
    reasons: list[str] = []
    names_o = [o.id for o in problem.offers]
    names_n = [n.id for n in problem.needs]
    tol = r.tol
    ao, an = r.arcs.offer, r.arcs.need
    moved = r.flow > 0
    left = r.a.offer_quantity - r.used > tol.offer_spare
    for t in (1, 2, 3, 4):
        tier_t = r.a.need_tier == t
        if not tier_t.any():
            continue
        lo, ln, bad = _labels(problem, levels.get(str(t)), f"levels.{t}")
        reasons += bad
        unmet = tier_t & _short(r)
        # Sources of more: offers with something left, later tiers' needs that got something,
        # this tier's needs (at their fraction). None may reach an unmet need across its cut.
        cut = []
        for j in np.flatnonzero(left & np.isfinite(lo)):
            cut.append(f"tier {t}: offer {names_o[j]} has {r.a.offer_quantity[j] - r.used[j]:.6g} left "
                       "and reaches a need below its share")
        later = (r.a.need_tier > t) & (r.got > tol.need_abs) & np.isfinite(ln)
        for i in np.flatnonzero(later):
            cut.append(f"tier {t}: need {names_n[i]} of tier {r.a.need_tier[i]} takes what a need of tier {t} lacks")
        low = tier_t & (ln < r.frac - tol.need_frac - EPS)
        high = unmet & ~(ln <= r.frac + tol.need_frac + EPS)
        for i in np.flatnonzero(low):
            cut.append(_exchange(t, problem, r, i, lo, ln))
        for i in np.flatnonzero(high):
            cut.append(f"tier {t}: need {names_n[i]} (fraction {r.frac[i]:.6g}) is below its share and in no cut "
                       "at its level")
        up = ~(lo[ao] <= ln[an] + EPS)
        back = moved & ~(ln[an] <= lo[ao] + EPS)
        for k in np.flatnonzero(up | back):
            cut.append(f"tier {t}: the arc {names_o[ao[k]]} -> {names_n[an[k]]} crosses the cut of level "
                       f"{min(lo[ao[k]], ln[an[k]]):.6g}")
        reasons += _capped(f"breaches of tier {t}'s cuts", cut)
    return reasons


def _exchange(t: int, problem: Problem, r: _Read, j: int, lo, ln) -> str:
    """Say which need below its share the need ``j`` (too high for its level) could give to."""
    tol = r.tol
    target = (r.a.need_tier == t) & _short(r) & (r.frac + tol.need_frac <= ln[j] + EPS)
    cand = np.flatnonzero(target)
    if not len(cand):
        return f"tier {t}: need {problem.needs[j].id} (fraction {r.frac[j]:.6g}) is in the cut of level {ln[j]:.6g}"
    i = int(cand[np.argmin(r.frac[cand])])
    return (f"tier {t}: need {problem.needs[i].id} (fraction {r.frac[i]:.6g}) could get more from need {problem.needs[j].id} "
            f"(fraction {r.frac[j]:.6g}): no cut separates them")


def _verify_distance(problem: Problem, r: _Read, pot: Any) -> list[str]:
    if pot is not None and not isinstance(pot, dict):
        return ["certificate: 'potentials' must be an object"]
    u, v, bad = _labels(problem, pot, "potentials")
    if bad:
        return bad
    u = np.where(np.isfinite(u), u, 0.0)
    v = np.where(np.isfinite(v), v, 0.0)
    neg = [f"offer {problem.offers[j].id}: a negative price" for j in np.flatnonzero(u < 0)]
    if neg:
        return _capped("negative prices", neg)
    tol = r.tol
    ao, an, km = r.arcs.offer, r.arcs.need, r.arcs.km
    live = r.got[an] > 0
    rc = km + u[ao] - v[an]
    unit = 10.0 ** -tol.cost_decimals
    reasons = [f"the arc {problem.offers[ao[k]].id} -> {problem.needs[an[k]].id} has a negative reduced cost "
               f"({rc[k]:.6g} km): the plan does not travel least"
               for k in np.flatnonzero(live & (rc < -unit - 1e-9))]
    if reasons:
        return _capped("arcs of negative reduced cost", reasons)
    # Weak duality, with need prices lowered where an arc would undercut them.
    best = np.full(len(v), np.inf)
    np.minimum.at(best, an[live], (km + u[ao])[live])
    vv = np.minimum(v, best)
    got = np.where(r.got > 0, r.got, 0.0)
    s = r.a.offer_quantity
    bound = float(np.dot(np.where(got > 0, vv, 0.0), got)) - float(np.dot(u, s))
    cost = float(np.dot(r.flow, km))
    spare = np.maximum(s - r.used, 0.0)
    slack = float(np.dot(u, np.minimum(spare, tol.offer_spare)))
    allow = 2 * unit * float(got.sum()) + 1e-6 * (1.0 + cost) + slack
    if cost > bound + allow:
        return [f"the plan travels {cost:.6f} km, more than the least its certificate proves ({bound:.6f} km)"]
    return []
