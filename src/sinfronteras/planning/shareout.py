"""A collective's part of a federated plan: its own needs and offers, and its transfers.

The union of the digests is planned over totals
(:func:`sinfronteras.planning.federation.union_problem`). Each collective then
shares out its part, here, as a local run would:

* every need of a need total gets the total's fraction of its quantity (they
  have the same arcs, so the planner over the individuals gives them the same
  share); with a step, whole steps by the planner's rule: each need its share
  rounded down, and the steps left over one each to the needs with the lowest
  rounded-down fraction first (then the highest fraction rounded up, then
  input order);
* every offer of an offer total gives the same fraction of its quantity
  (whole steps by the same rule), so no giver carries more than another of the
  same total;
* what goes between two totals is split among their needs and offers in
  order (north-west corner), in whole steps: every allocation is whole;
* what goes from a total of this collective to a total of another, or comes
  from one, is a :class:`Transfer`, with this collective's side of it (which
  offers give how much, or which needs receive how much).

Arithmetic is on whole numbers: steps, or millionths of a unit for a resource
without a step (the plan document's six decimals), so the parts add up exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .arcs import haversine_km
from .explain import tier_summary
from .federation import QUANTUM, SEP, ShareError, aggregate, need_id, offer_id, owner, union_resource
from .model import Problem, tier_of
from .result import NOTHING_IN_REACH, TAKEN_BY_EQUAL_OR_STRONGER, Plan, _r

#: Counting unit of a resource without a step while sharing out (plan documents' six decimals).
MICRO = 1e-6


@dataclass(frozen=True)
class Transfer:
    """What one collective's offer total gives another collective's need total in a round.

    Attributes
    ----------
    offer, need : str
        The union's ids of the offer total and the need total (``"la:offer:2"``,
        ``"tj:need:0"``).
    giver, taker : str
        The collectives of the offer and of the need.
    resource : str or None
        The shared vocabulary URI of what crosses.
    unit : str
    tier : int
        The need total's tier.
    quantity : float
        How much crosses, in the unit.
    km : float
        Between the two places (area centroids).
    parts : tuple of (str, float)
        This collective's side: its offers' ids and what each gives (when it
        gives), or its needs' ids and what each receives (when it takes).
    """

    offer: str
    need: str
    giver: str
    taker: str
    resource: str | None
    unit: str
    tier: int
    quantity: float
    km: float
    parts: tuple = ()


@dataclass(frozen=True)
class Share:
    """A collective's part of a union's plan.

    Attributes
    ----------
    plan : Plan
        A plan of the collective's own problem: allocations between its own
        offers and needs, and every need's ``met`` (what its own offers and
        the transfers in bring together).
    transfers : tuple of Transfer
        What crosses to or from other collectives, this collective's side.
    """

    plan: Plan
    transfers: tuple = ()

    def incoming(self, collective: str) -> list[Transfer]:
        """The transfers ``collective`` receives."""
        return [t for t in self.transfers if t.taker == collective]

    def outgoing(self, collective: str) -> list[Transfer]:
        """The transfers ``collective`` gives."""
        return [t for t in self.transfers if t.giver == collective]


def apportion(total: int, weights: list[int]) -> list[int]:
    """``total`` whole units shared in proportion to ``weights``, by the planner's rule.

    Each gets its share rounded down; the units left go one each to the lowest
    rounded-down fraction first, then the highest fraction rounded up, then
    input order (as :func:`sinfronteras.planning.leximin` rounds to whole
    steps). Nobody gets more than its weight.

    >>> apportion(3, [2, 2]), apportion(2, [1, 1, 2]), apportion(7, [3, 5]), apportion(0, [4])
    ([2, 1], [1, 0, 1], [3, 4], [0])
    """
    w_all = sum(weights)
    total = max(0, min(total, w_all))
    if not w_all:
        return [0] * len(weights)
    floors = [w * total // w_all for w in weights]
    left = total - sum(floors)
    cand = [k for k, w in enumerate(weights) if w * total % w_all]
    cand.sort(key=lambda k: (Fraction(floors[k], weights[k]), -Fraction(floors[k] + 1, weights[k]), k))
    for k in cand[:left]:
        floors[k] += 1
    return floors


def _corner(supply: list[tuple], demand: list[tuple]) -> list[tuple]:
    """North-west corner: ``(a, b, units)`` pieces matching supplies ``(a, units)`` to demands ``(b, units)``."""
    out, si, di = [], 0, 0
    s = [list(x) for x in supply]
    d = [list(x) for x in demand]
    while si < len(s) and di < len(d):
        x = min(s[si][1], d[di][1])
        if x > 0:
            out.append((s[si][0], d[di][0], x))
        s[si][1] -= x
        d[di][1] -= x
        if s[si][1] == 0:
            si += 1
        if d[di][1] == 0:
            di += 1
    return out


def share_out(local: Problem, union_plan, collective: str, *, union: Problem | None = None) -> Share:
    """A collective's part of a union's plan: its needs' shares, its offers' parts, its transfers.

    Parameters
    ----------
    local : Problem
        The collective's own problem, the one its digest was made from.
    union_plan : Plan or dict
        The plan of the union (a :class:`~sinfronteras.planning.result.Plan`,
        whose ``problem`` is the union, or its document with ``union``).
    collective : str
        The collective's slug, as in its digest.
    union : Problem, optional
        The union problem, when ``union_plan`` is a document.

    Returns
    -------
    Share

    Raises
    ------
    ShareError
        If the union does not hold this collective's digest as ``local``
        gives it (another round's plan, or an altered one).

    Examples
    --------
    >>> from sinfronteras.planning import Problem, plan
    >>> from sinfronteras.planning.federation import digest, union_problem
    >>> uri = "http://www.wikidata.org/entity/Q5090"
    >>> la = Problem.from_json({"version": 1, "resources": [{"id": "rice", "unit": "kg", "uri": uri}],
    ...     "places": [{"id": "a", "lat": 34.05, "lon": -118.25}],
    ...     "needs": [{"id": "n1", "resource": "rice", "quantity": 2, "place": "a"},
    ...               {"id": "n2", "resource": "rice", "quantity": 6, "place": "a"}],
    ...     "offers": [{"id": "o1", "resources": ["rice"], "quantity": 2, "place": "a"}]})
    >>> tj = Problem.from_json({"version": 1, "resources": [{"id": "arroz", "unit": "kg", "uri": uri}],
    ...     "places": [{"id": "b", "lat": 32.52, "lon": -117.03}], "needs": [],
    ...     "offers": [{"id": "o9", "resources": ["arroz"], "quantity": 4, "place": "b"}]})
    >>> result = plan(union_problem([digest(la, "la"), digest(tj, "tj")]))
    >>> mine = share_out(la, result, "la")
    >>> [(n.id, n.met) for n in mine.plan.need_results]
    [('n1', 1.5), ('n2', 4.5)]
    >>> [(t.offer, t.need, t.quantity, t.parts) for t in mine.transfers]
    [('tj:offer:0', 'la:need:0', 4.0, (('n2', 4.0),))]
    >>> [(t.parts) for t in share_out(tj, result, "tj").transfers]
    [(('o9', 4.0),)]
    """
    doc = union_plan.to_json() if hasattr(union_plan, "to_json") else union_plan
    union = union if union is not None else getattr(union_plan, "problem", None)
    if union is None:
        raise ShareError("share_out needs the union problem with a plan document: pass union=")
    agg = aggregate(local, collective)
    d = agg.digest
    u_need = {n.id: n for n in union.needs}
    u_off = {o.id: o for o in union.offers}
    steps = {r["id"]: r["step"] or QUANTUM for r in d["resources"]}
    for k, row in enumerate(d["needs"]):
        n = u_need.get(need_id(collective, k))
        if n is None or abs(n.quantity - row["steps"] * steps[row["resource"]]) > 1e-9 * max(1.0, n.quantity):
            raise ShareError(f"the union does not hold this collective's need total {k} as its digest gives it")
    for k, row in enumerate(d["offers"]):
        o = u_off.get(offer_id(collective, k))
        if o is None or abs(o.quantity - row["steps"] * steps[row["resources"][0]]) > 1e-9 * max(1.0, o.quantity):
            raise ShareError(f"the union does not hold this collective's offer total {k} as its digest gives it")
    mine = f"{collective}{SEP}"
    if sum(1 for n in union.needs if n.id.startswith(mine)) != len(d["needs"]) or sum(
            1 for o in union.offers if o.id.startswith(mine)) != len(d["offers"]):
        raise ShareError("the union holds needs or offers of this collective that its digest does not")
    return _Sharer(local, union, doc, collective, agg).run()


class _Sharer:
    """The bookkeeping of one :func:`share_out`."""

    def __init__(self, local: Problem, union: Problem, doc: dict, collective: str, agg) -> None:
        self.local, self.union, self.doc, self.c, self.agg = local, union, doc, collective, agg
        by_id = {r.id: r for r in local.resources}
        self.need_unit = [by_id[n.resource].step or MICRO for n in local.needs]
        self.offer_unit = [by_id[o.resources[0]].step or MICRO for o in local.offers]
        self.need_k = {need_id(collective, k): k for k in range(len(agg.need_members))}
        self.offer_k = {offer_id(collective, k): k for k in range(len(agg.offer_members))}
        self.u_place = {p.id: p for p in union.places}
        self.u_need = {n.id: n for n in union.needs}
        self.u_off = {o.id: o for o in union.offers}
        self.u_res = {r.id: r for r in union.resources}

    def units(self, qty: float, unit: float) -> int:
        return int(round(qty / unit))

    def run(self) -> Share:
        inflow: dict[int, list] = {}  # need total -> [(source, units)]
        outflow: dict[int, list] = {}  # offer total -> [(dest, units)]
        transfers: list[dict] = []
        for row in self.doc.get("allocations", []):
            o, n, x = row["offer"], row["need"], float(row["quantity"])
            ko, kn = self.offer_k.get(o), self.need_k.get(n)
            if ko is None and kn is None:
                continue
            if ko is not None and kn is not None:
                unit = self.offer_unit[self.agg.offer_members[ko][0]]
                inflow.setdefault(kn, []).append((("offer", ko), self.units(x, unit)))
                continue
            t = len(transfers)
            transfers.append({"offer": o, "need": n, "quantity": x, "parts": []})
            if kn is not None:
                unit = self.need_unit[self.agg.need_members[kn][0]]
                inflow.setdefault(kn, []).append((("in", t), self.units(x, unit)))
            else:
                unit = self.offer_unit[self.agg.offer_members[ko][0]]
                outflow.setdefault(ko, []).append((("out", t), self.units(x, unit)))
        met_units = np.zeros(len(self.local.needs), np.int64)
        # Needs: each total's inflow shared out, then matched to its needs in order.
        for kn, members in enumerate(self.agg.need_members):
            sources = inflow.get(kn, [])
            weights = [self.units(self.local.needs[i].quantity, self.need_unit[i]) for i in members]
            shares = apportion(sum(u for _, u in sources), weights)
            met_units[members] = shares
            for src, i, x in _corner(sources, list(zip(members, shares))):
                if src[0] == "offer":
                    outflow.setdefault(src[1], []).append((("need", i), x))
                else:
                    transfers[src[1]]["parts"].append((i, x))
        alloc: list[tuple[int, int, int]] = []
        for ko, members in enumerate(self.agg.offer_members):
            dests = outflow.get(ko, [])
            weights = [self.units(self.local.offers[j].quantity, self.offer_unit[j]) for j in members]
            parts = apportion(sum(u for _, u in dests), weights)
            for j, dest, x in _corner(list(zip(members, parts)), dests):
                if dest[0] == "need":
                    alloc.append((j, dest[1], x))
                else:
                    transfers[dest[1]]["parts"].append((j, x))
        return Share(self._plan(met_units, alloc), tuple(self._transfer(t) for t in transfers))

    def _km(self, a, b) -> float:
        if (a.lat, a.lon) == (b.lat, b.lon):
            return 0.0
        return float(haversine_km(a.lat, a.lon, b.lat, b.lon))

    def _transfer(self, t: dict) -> Transfer:
        o, n = self.u_off[t["offer"]], self.u_need[t["need"]]
        res = self.u_res[n.resource]
        giving = owner(o.id) == self.c
        names = self.local.offers if giving else self.local.needs
        units = self.offer_unit if giving else self.need_unit
        parts = tuple((names[k].id, _r(x * units[k])) for k, x in t["parts"])
        km = self._km(self.u_place[o.place], self.u_place[n.place])
        return Transfer(o.id, n.id, owner(o.id), owner(n.id), res.uri, res.unit, tier_of(res.basic, n.urgent),
                        _r(t["quantity"]), _r(km), parts)

    def _plan(self, met_units: np.ndarray, alloc: list) -> Plan:
        local = self.local
        q = local.arrays.need_quantity
        units = np.array(self.need_unit, float) if len(q) else np.zeros(0)
        weights = np.rint(q / np.where(units > 0, units, 1.0)).astype(np.int64) if len(q) else np.zeros(0, np.int64)
        full = met_units >= weights
        met = np.where(full, q, met_units * units) if len(q) else np.zeros(0)
        fraction = np.where(full, 1.0, met / np.where(q > 0, q, 1.0)) if len(q) else np.zeros(0)
        why = {row["id"]: row.get("reason") for row in self.doc.get("needs", [])}
        reason = np.full(len(q), None, object)
        total_of = {i: k for k, members in enumerate(self.agg.need_members) for i in members}
        for i in np.flatnonzero(~full):
            k = total_of.get(int(i))
            reason[i] = why.get(need_id(self.c, k)) or TAKEN_BY_EQUAL_OR_STRONGER if k is not None else NOTHING_IN_REACH
        places = {p.id: p for p in local.places}
        alloc.sort()
        ao = np.array([j for j, _, _ in alloc], np.int64)
        an = np.array([i for _, i, _ in alloc], np.int64)
        qty = np.array([x * self.offer_unit[j] for j, _, x in alloc], float)
        km = np.array([self._km(places[local.offers[j].place], places[local.needs[i].place]) for j, i, _ in alloc],
                      float)
        us = self.doc.get("summary", {})
        summary = {
            "tiers": tier_summary(local.tiers(), fraction, full, met),
            "distance_km": _r(float(np.dot(qty, km))),
            "shortage": self._shortage(us.get("shortage", [])),
            "quantity_resolution": us.get("quantity_resolution", MICRO),
            "max_flows": us.get("max_flows", 0),
            "federation": {"union_distance_km": us.get("distance_km", 0.0)},
        }
        return Plan(local, ao, an, qty, km, met, fraction, reason, summary)

    def _shortage(self, rows: list) -> list:
        """The union's shortage rows at this collective's places, in its own ids."""
        d, c = self.agg.digest, self.c
        res_of: dict[str, str] = {}
        for local_id, rid in self.agg.resources.items():
            res_of.setdefault(union_resource(d, rid), local_id)
        place_of: dict[str, str] = {}
        for local_id, pid in self.agg.places.items():
            place_of.setdefault(f"{c}{SEP}{pid}", local_id)
        out = []
        for row in rows:
            base = row["resource"]
            if base.endswith(("#basic", "#other")) and base.rsplit("#", 1)[0] in res_of:
                base = base.rsplit("#", 1)[0]
            if row.get("place") in place_of and base in res_of:
                out.append({**row, "resource": res_of[base], "place": place_of[row["place"]]})
        return out
