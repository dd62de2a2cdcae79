"""Federation: collectives plan together on the union of their totals, and share no person.

Needs of one resource, one tier and one place have the same arcs, so their
leximin fractions are equal and their sum is all the planner needs; offers of
the same resources, place and reach likewise add up. A collective therefore
sends its peers a **digest** of totals only, the union of the digests is
planned as one problem, and each collective shares its part among its own
needs and offers. The plan over the totals is exactly the plan over the
individuals (see ``tests/planning/test_federation_contract.py``).

The pieces, in the order a round uses them:

* :func:`digest` and :func:`digest_hash`: a collective's problem as totals, in
  canonical form, and the sha256 of its canonical JSON;
* :func:`bounds_check`: why a peer's digest is more than a collective of its
  size could ask for or give (empty list: within the bounds);
* :func:`union_problem`: the digests as one problem (format v1), ids
  namespaced by collective (``"la:need:3"``, ``"la:offer:0"``);
* :func:`~sinfronteras.planning.fedcert.certificate` and
  :func:`~sinfronteras.planning.fedcert.verify`: a certificate that the union's
  plan is feasible, leximin tier by tier and of least distance, and its check;
* :func:`~sinfronteras.planning.shareout.share_out`: a collective's part of the
  union's plan, as a plan of its own needs and offers and the transfers to and
  from other collectives.

A digest (version 1)::

    {"format": "sinfronteras-digest", "version": 1, "collective": "la",
     "resources": [{"id": "r0", "unit": "kg", "step": null,
                    "uri": "http://www.wikidata.org/entity/Q5090"}, ...],
     "places": [{"id": "p0", "lat": 34.05, "lon": -118.25}, ...],
     "needs": [{"resource": "r0", "place": "p0", "tier": 2, "steps": 12000}, ...],
     "offers": [{"resources": ["r0"], "place": "p0", "radius_km": 8.0, "steps": 30000}, ...]}

Quantities are whole ``steps`` of their resource's step, or of :data:`QUANTUM`
(a thousandth of the unit, what the collective stores) for a resource without
one. Resource and place ids are positions in the digest's canonical order; no
id of a person, need or offer, no name, no address, no time appears in it.

Examples
--------
>>> from sinfronteras.planning import Problem, plan
>>> la = Problem.from_json({"version": 1,
...     "resources": [{"id": "rice", "unit": "kg", "basic": True, "uri": "http://www.wikidata.org/entity/Q5090"}],
...     "places": [{"id": "a1", "lat": 34.05, "lon": -118.25}],
...     "needs": [{"id": "n1", "resource": "rice", "quantity": 2, "place": "a1"},
...               {"id": "n2", "resource": "rice", "quantity": 3, "place": "a1"}],
...     "offers": []})
>>> d = digest(la, "la")
>>> d["needs"]
[{'resource': 'r0', 'place': 'p0', 'tier': 2, 'steps': 5000}]
>>> tj = Problem.from_json({"version": 1,
...     "resources": [{"id": "arroz", "unit": "kg", "uri": "http://www.wikidata.org/entity/Q5090"}],
...     "places": [{"id": "b1", "lat": 32.52, "lon": -117.03}],
...     "needs": [], "offers": [{"id": "o1", "resources": ["arroz"], "quantity": 4, "place": "b1"}]})
>>> union = union_problem([d, digest(tj, "tj")])
>>> [n.id for n in union.needs], [o.id for o in union.offers]
(['la:need:0'], ['tj:offer:0'])
>>> plan(union).to_json()["allocations"]
[{'offer': 'tj:offer:0', 'need': 'la:need:0', 'quantity': 4.0}]
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

from .errors import PlanningError
from .fedcert import certificate as _certificate
from .fedcert import verify as _verify
from .model import Need, Offer, Place, Problem, Resource, tier_of

#: The digest format this module reads and writes.
DIGEST_FORMAT = "sinfronteras-digest"
DIGEST_VERSION = 1
#: Counting unit of a resource without a step: a thousandth of its unit (what the app stores).
QUANTUM = 0.001
#: Decimals kept of a place's coordinates (about 10 cm) and of a reach in km (a metre).
COORD_DECIMALS = 6
RADIUS_DECIMALS = 3


class DigestError(PlanningError, ValueError):
    """A digest is malformed: the message says which entry and what is wrong."""


class ShareError(PlanningError, ValueError):
    """A union plan does not fit the collective's own problem (another round's, or altered)."""


@dataclass(frozen=True)
class Aggregated:
    """A digest and which of the problem's needs and offers went into each of its totals.

    Attributes
    ----------
    digest : dict
        The digest (see the module's documentation).
    need_members : list of list of int
        For each entry of ``digest["needs"]``, the indices of the problem's needs in it.
    offer_members : list of list of int
        For each entry of ``digest["offers"]``, the indices of the problem's offers in it.
    resources, places : dict
        The digest's id (``r0``, ``p0``) of each of the problem's resources and
        places that are in it.
    """

    digest: dict
    need_members: list = field(default_factory=list)
    offer_members: list = field(default_factory=list)
    resources: dict = field(default_factory=dict)
    places: dict = field(default_factory=dict)


def _step_of(r: Resource) -> float:
    return r.step if r.step else QUANTUM


def _resource_key(r: Resource) -> tuple:
    """Canonical sort key: shared resources by (uri, unit, step), then local ones by id."""
    step = r.step if r.step else 0.0
    if r.uri:
        return (0, r.uri, r.unit, step)
    return (1, r.id, r.unit, step)


def aggregate(problem: Problem, collective: str) -> Aggregated:
    """The digest of ``problem`` and the members of each of its totals (see :func:`digest`)."""
    _check_slug(collective)
    by_id = {r.id: r for r in problem.resources}
    coords = {p.id: (round(p.lat, COORD_DECIMALS), round(p.lon, COORD_DECIMALS)) for p in problem.places}
    needs: dict[tuple, list[int]] = {}
    for i, n in enumerate(problem.needs):
        key = (n.resource, coords[n.place], tier_of(by_id[n.resource].basic, n.urgent))
        needs.setdefault(key, []).append(i)
    offers: dict[tuple, list[int]] = {}
    for j, o in enumerate(problem.offers):
        radius = None if o.radius_km is None else round(o.radius_km, RADIUS_DECIMALS)
        offers.setdefault((tuple(sorted(o.resources)), coords[o.place], radius), []).append(j)
    # Totals in whole steps; a total of no whole step is left out.
    need_steps = {k: round(sum(problem.needs[i].quantity for i in v) / _step_of(by_id[k[0]]))
                  for k, v in needs.items()}
    offer_steps = {k: math.floor(sum(problem.offers[j].quantity for j in v) / _step_of(by_id[k[0][0]]) + 1e-9)
                   for k, v in offers.items()}
    needs = {k: v for k, v in needs.items() if need_steps[k] > 0}
    offers = {k: v for k, v in offers.items() if offer_steps[k] > 0}
    used = {k[0] for k in needs} | {r for k in offers for r in k[0]}
    res = sorted((by_id[r] for r in used), key=_resource_key)
    rid = {r.id: f"r{k}" for k, r in enumerate(res)}
    rpos = {r.id: k for k, r in enumerate(res)}
    places = sorted({k[1] for k in needs} | {k[1] for k in offers})
    ppos = {c: k for k, c in enumerate(places)}
    need_rows, need_members = [], []
    for key in sorted(needs, key=lambda k: (rpos[k[0]], ppos[k[1]], k[2])):
        need_rows.append({"resource": rid[key[0]], "place": f"p{ppos[key[1]]}", "tier": key[2],
                          "steps": need_steps[key]})
        need_members.append(needs[key])
    offer_rows, offer_members = [], []
    okey = lambda k: (sorted(rpos[r] for r in k[0]), ppos[k[1]], math.inf if k[2] is None else k[2])  # noqa: E731
    for key in sorted(offers, key=okey):
        rows = sorted(key[0], key=lambda r: rpos[r])
        offer_rows.append({"resources": [rid[r] for r in rows], "place": f"p{ppos[key[1]]}",
                           "radius_km": key[2], "steps": offer_steps[key]})
        offer_members.append(offers[key])
    resources = []
    for r in res:
        row = {"id": rid[r.id], "unit": r.unit, "step": r.step}
        if r.uri:
            row["uri"] = r.uri
        resources.append(row)
    d = {
        "format": DIGEST_FORMAT,
        "version": DIGEST_VERSION,
        "collective": collective,
        "resources": resources,
        "places": [{"id": f"p{k}", "lat": c[0], "lon": c[1]} for k, c in enumerate(places)],
        "needs": need_rows,
        "offers": offer_rows,
    }
    place_ids = {p.id: f"p{ppos[coords[p.id]]}" for p in problem.places if coords[p.id] in ppos}
    return Aggregated(d, need_members, offer_members, rid, place_ids)


def digest(problem: Problem, collective: str) -> dict:
    """A collective's problem as totals only: what its peers receive each round.

    Parameters
    ----------
    problem : Problem
        The collective's own open needs and spare offers (places are area
        centroids, as a local run plans on them). A resource that has a
        ``uri`` may become one resource with other collectives' resources of
        the same uri, unit and step; the others stay local.
    collective : str
        The collective's slug (letters, digits, ``-`` and ``_``); it
        namespaces the union's ids.

    Returns
    -------
    dict
        JSON-able, in canonical order: needs as total ``steps`` per
        (resource, place, tier), offers as total ``steps`` per (resources,
        place, radius_km). Resources and places are named by their position
        (``r0``, ``p0``) and used ones only. Needs round their total to the
        nearest step; offers round theirs down (never promise more).
    """
    return aggregate(problem, collective).digest


def canonical_json(obj: Any) -> bytes:
    """The canonical JSON bytes of ``obj``: sorted keys, no spaces, UTF-8, no NaN.

    >>> canonical_json({"b": [1, 2.5], "a": None})
    b'{"a":null,"b":[1,2.5]}'
    """
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def digest_hash(d: dict) -> str:
    """Hex sha256 of the digest's canonical JSON (the same digest gives the same hash everywhere).

    >>> digest_hash({"a": 1}) == hashlib.sha256(b'{"a":1}').hexdigest()
    True
    """
    return hashlib.sha256(canonical_json(d)).hexdigest()


def _check_slug(collective: Any) -> None:
    ok = isinstance(collective, str) and 0 < len(collective) <= 64
    if not ok or not all(c.isascii() and (c.isalnum() or c in "-_") for c in collective):
        raise DigestError(f"collective must be a slug of letters, digits, '-' and '_', got {collective!r}")


# The union ----------------------------------------------------------------------------------

#: Separator of the namespaced ids of a union problem.
SEP = ":"


def need_id(collective: str, k: int) -> str:
    """Id in the union problem of the ``k``-th need total of a collective's digest."""
    return f"{collective}{SEP}need{SEP}{k}"


def offer_id(collective: str, k: int) -> str:
    """Id in the union problem of the ``k``-th offer total of a collective's digest."""
    return f"{collective}{SEP}offer{SEP}{k}"


def owner(union_id: str) -> str:
    """The collective a union need or offer id belongs to (``"la:need:3"`` -> ``"la"``)."""
    return union_id.rsplit(SEP, 2)[0]


def _shared_key(row: dict) -> tuple:
    return (row["uri"], row["unit"], row["step"])


def union_problem(digests: list[dict]) -> Problem:
    """The union of collectives' digests as one problem (format v1).

    Resources with the same ``uri``, unit and step are one resource; others are
    namespaced by collective. Every server builds the same problem from the
    same digests, whatever the order they arrived in (collectives are sorted by
    slug). A resource that one collective counts as basic and another not is
    split in two (``...#basic``, ``...#other``) so that each need keeps its own
    collective's tier; an offer lists both.

    Raises
    ------
    DigestError
        If a digest is malformed or two digests are of the same collective.
    """
    for d in digests:
        check_digest(d)
    ordered = sorted(digests, key=lambda d: d["collective"])
    seen = [d["collective"] for d in ordered]
    if len(set(seen)) != len(seen):
        raise DigestError("two digests of the same collective in one union")
    # Union name of each (collective, digest resource id), and which tiers use it.
    base: dict[tuple[str, str], str] = {}
    meta: dict[str, dict] = {}
    for d in ordered:
        c = d["collective"]
        for row in d["resources"]:
            if row.get("uri"):
                name = _shared_name(row)
            else:
                name = f"{c}{SEP}{row['id']}"
            base[(c, row["id"])] = name
            meta.setdefault(name, {"unit": row["unit"], "step": row["step"], "classes": set(), "uri": row.get("uri")})
        for n in d["needs"]:
            meta[base[(c, n["resource"])]]["classes"].add(n["tier"] in (1, 2))
    variants: dict[tuple[str, bool], str] = {}
    resources = []
    for name in sorted(meta):
        m = meta[name]
        classes = sorted(m["classes"], reverse=True) or [False]
        for basic in classes:
            rid = name if len(classes) == 1 else f"{name}#{'basic' if basic else 'other'}"
            variants[(name, basic)] = rid
            resources.append(Resource(rid, m["unit"], basic, m["step"], m["uri"]))
    places, needs, offers = [], [], []
    for d in ordered:
        c = d["collective"]
        steps = {row["id"]: _step_of_row(row) for row in d["resources"]}
        for p in d["places"]:
            places.append(Place(f"{c}{SEP}{p['id']}", float(p["lat"]), float(p["lon"])))
        for k, n in enumerate(d["needs"]):
            name = base[(c, n["resource"])]
            rid = variants[(name, n["tier"] in (1, 2))]
            qty = n["steps"] * steps[n["resource"]]
            needs.append(Need(need_id(c, k), rid, qty, f"{c}{SEP}{n['place']}", n["tier"] in (1, 3)))
        for k, o in enumerate(d["offers"]):
            names = [base[(c, r)] for r in o["resources"]]
            rids = [variants[key] for name in names for key in ((name, True), (name, False)) if key in variants]
            qty = o["steps"] * steps[o["resources"][0]]
            radius = None if o["radius_km"] is None else float(o["radius_km"])
            offers.append(Offer(offer_id(c, k), tuple(rids), qty, f"{c}{SEP}{o['place']}", radius))
    return Problem(tuple(resources), tuple(places), tuple(needs), tuple(offers))


#: A round plans its union on all arcs up to this many (estimated from a sample, within about
#: 10 %; about 370 bytes an arc at the peak, the certificate and its check included); above, on
#: the sparse core. A union of collectives side by side is dense where they overlap, and there
#: the core certifies arc after arc: at 300 collectives of 200 needs (1.4 million arcs) it took
#: 40 s of CPU against 6 s on all arcs.
FULL_UP_TO_ARCS = 11_000_000


def plan_union(union: Problem, *, ray=None, progress=None):
    """The plan of a round's union: on all arcs where they fit in memory, else on the sparse core.

    ``ray`` (a local Ray or a cluster's address) plans on the sparse core on Ray, whatever the
    size. The plan is the same either way (:mod:`sinfronteras.planning.sparse`'s contract).
    """
    from .solve import plan
    from .sparse import estimate_arcs

    if ray:
        return plan(union, ray=ray, progress=progress)
    mode = "full" if estimate_arcs(union.arrays) <= FULL_UP_TO_ARCS else "sparse"
    return plan(union, mode=mode, progress=progress)


def union_resource(digest_: dict, rid: str) -> str:
    """The union's name of a digest's resource (before any ``#basic``/``#other`` split)."""
    row = next(r for r in digest_["resources"] if r["id"] == rid)
    return _shared_name(row) if row.get("uri") else f"{digest_['collective']}{SEP}{rid}"


def _shared_name(row: dict) -> str:
    step = "" if row["step"] is None else f"/{row['step']:g}"
    return f"{row['uri']}#{row['unit']}{step}"


def _step_of_row(row: dict) -> float:
    return row["step"] if row["step"] else QUANTUM


# Checking a digest ------------------------------------------------------------------------


def check_digest(d: Any) -> None:
    """Raise :class:`DigestError` naming the first malformed entry of a digest (its structure only).

    >>> check_digest({"format": "sinfronteras-digest", "version": 1, "collective": "la",
    ...               "resources": [], "places": [], "needs": [], "offers": []})
    >>> check_digest({"format": "sinfronteras-digest", "version": 2})
    Traceback (most recent call last):
    ...
    sinfronteras.planning.federation.DigestError: version: expected 1, got 2
    """
    reasons = _structure(d)
    if reasons:
        raise DigestError(reasons[0])


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


_KEYS = {
    "digest": {"format", "version", "collective", "resources", "places", "needs", "offers"},
    "resources": {"id", "unit", "step", "uri"},
    "places": {"id", "lat", "lon"},
    "needs": {"resource", "place", "tier", "steps"},
    "offers": {"resources", "place", "radius_km", "steps"},
}


def _structure(d: Any) -> list[str]:  # noqa: C901 - one check per field, in order
    if not isinstance(d, dict):
        return ["digest: must be a JSON object"]
    if d.get("format") != DIGEST_FORMAT:
        return [f"format: expected {DIGEST_FORMAT!r}, got {d.get('format')!r}"]
    if d.get("version") != DIGEST_VERSION or not _is_int(d.get("version")):
        return [f"version: expected {DIGEST_VERSION}, got {d.get('version')!r}"]
    if extra := set(d) - _KEYS["digest"]:
        return [f"digest: unknown field {sorted(extra)[0]!r} (a digest holds totals only)"]
    try:
        _check_slug(d.get("collective"))
    except DigestError as exc:
        return [f"collective: {exc}"]
    for section in ("resources", "places", "needs", "offers"):
        if not isinstance(d.get(section), list):
            return [f"{section}: must be a list"]
        for k, row in enumerate(d[section]):
            if not isinstance(row, dict):
                return [f"{section}[{k}]: must be an object"]
            if extra := set(row) - _KEYS[section]:
                return [f"{section}[{k}]: unknown field {sorted(extra)[0]!r}"]
    res, places = {}, set()
    for k, r in enumerate(d["resources"]):
        e = f"resources[{k}]"
        if r.get("id") != f"r{k}":
            return [f"{e}: id must be 'r{k}' (resources are numbered in order)"]
        if not isinstance(r.get("unit"), str) or not r["unit"] or len(r["unit"]) > 40:
            return [f"{e}: unit must be a short non-empty string"]
        if r.get("step") is not None and not (_is_num(r["step"]) and r["step"] > 0):
            return [f"{e}: step must be a positive number or null"]
        if "uri" in r and not (isinstance(r["uri"], str) and r["uri"].startswith(("http://", "https://"))
                               and len(r["uri"]) <= 300):
            return [f"{e}: uri must be an http(s) URI of at most 300 characters"]
        res[r["id"]] = r
    for k, p in enumerate(d["places"]):
        e = f"places[{k}]"
        if p.get("id") != f"p{k}":
            return [f"{e}: id must be 'p{k}' (places are numbered in order)"]
        if not (_is_num(p.get("lat")) and -90 <= p["lat"] <= 90 and _is_num(p.get("lon")) and -180 <= p["lon"] <= 180):
            return [f"{e}: lat must be within [-90, 90] and lon within [-180, 180]"]
        places.add(p["id"])
    for k, n in enumerate(d["needs"]):
        e = f"needs[{k}]"
        if n.get("resource") not in res:
            return [f"{e}: unknown resource {n.get('resource')!r}"]
        if n.get("place") not in places:
            return [f"{e}: unknown place {n.get('place')!r}"]
        if n.get("tier") not in (1, 2, 3, 4) or not _is_int(n.get("tier")):
            return [f"{e}: tier must be 1, 2, 3 or 4"]
        if not (_is_int(n.get("steps")) and n["steps"] > 0):
            return [f"{e}: steps must be a positive whole number"]
    for k, o in enumerate(d["offers"]):
        e = f"offers[{k}]"
        rs = o.get("resources")
        if not isinstance(rs, list) or not rs or any(r not in res for r in rs) or len(set(rs)) != len(rs):
            return [f"{e}: resources must be a non-empty list of distinct known resources"]
        if len({(res[r]["unit"], res[r]["step"]) for r in rs}) > 1:
            return [f"{e}: an offer's resources must share one unit and one step"]
        if o.get("place") not in places:
            return [f"{e}: unknown place {o.get('place')!r}"]
        if o.get("radius_km") is not None and not (_is_num(o["radius_km"]) and o["radius_km"] >= 0):
            return [f"{e}: radius_km must be a number of 0 or more, or null"]
        if not (_is_int(o.get("steps")) and o["steps"] > 0):
            return [f"{e}: steps must be a positive whole number"]
    return []


@dataclass(frozen=True)
class DigestLimits:
    """What a collective of ``members`` members could at most ask for or give in one round.

    Each member may have up to ``needs_per_member`` open needs and
    ``offers_per_member`` offers, each of at most ``max_quantity`` of its
    unit (the app's own bound on one entry). A digest's totals can then be no
    more than that, per resource; its entries (each a total of at least one
    need or offer) no more numerous. ``members=None`` (a peer that did not say)
    counts as ``max_members``.

    Attributes
    ----------
    max_members : int
        The largest collective a digest may speak for.
    needs_per_member, offers_per_member : int
        Open needs and active offers one member may hold at once.
    max_quantity : float
        The most one need or offer may ask or give, in its resource's unit.
    max_radius_km : float
        The longest reach (half the Earth's circumference).
    max_resources : int
        Distinct resources in one digest.
    max_offer_resources : int
        Resources one offer total may list.
    """

    max_members: int = 100_000
    needs_per_member: int = 50
    offers_per_member: int = 50
    max_quantity: float = 1_000_000.0
    max_radius_km: float = 20_000.0
    max_resources: int = 1_000
    max_offer_resources: int = 20


def bounds_check(d: Any, *, members: int | None = None, limits: DigestLimits | None = None) -> list[str]:
    """Reasons a digest is malformed or over the bounds (an empty list: it may be planned).

    A digest over the bounds is refused whole (never trimmed): planning part of
    it would still let a peer take more than its size allows.

    Parameters
    ----------
    d : dict
        A peer's digest.
    members : int, optional
        How many members the peer's collective has (as it says in its actor);
        ``None``: ``limits.max_members``.
    limits : DigestLimits, optional
        The bounds (default :class:`DigestLimits`).

    Examples
    --------
    >>> d = {"format": "sinfronteras-digest", "version": 1, "collective": "la",
    ...      "resources": [{"id": "r0", "unit": "kg", "step": None}],
    ...      "places": [{"id": "p0", "lat": 34.0, "lon": -118.0}],
    ...      "needs": [{"resource": "r0", "place": "p0", "tier": 2, "steps": 2_000_000}], "offers": []}
    >>> bounds_check(d, members=10)
    []
    >>> bounds_check(d, members=1, limits=DigestLimits(needs_per_member=1, max_quantity=1000))
    ['needs of r0 (kg): 2000 kg, more than 1 member(s) could ask for (1000 kg)']
    """
    limits = limits or DigestLimits()
    reasons = _structure(d)
    if reasons:
        return reasons
    if members is not None and (not _is_int(members) or members < 1):
        return [f"members must be a whole number of at least 1, got {members!r}"]
    m = limits.max_members if members is None else members
    if m > limits.max_members:
        reasons.append(f"a collective of {m} members is more than the {limits.max_members} a digest may speak for")
        m = limits.max_members
    if len(d["needs"]) > m * limits.needs_per_member:
        reasons.append(f"{len(d['needs'])} need totals, more than {m} member(s) could have open")
    if len(d["offers"]) > m * limits.offers_per_member:
        reasons.append(f"{len(d['offers'])} offer totals, more than {m} member(s) could have active")
    if len(d["resources"]) > limits.max_resources:
        reasons.append(f"{len(d['resources'])} resources, more than {limits.max_resources}")
    used_places = {n["place"] for n in d["needs"]} | {o["place"] for o in d["offers"]}
    if len(d["places"]) > len(used_places):
        reasons.append(f"{len(d['places']) - len(used_places)} places with nothing needed or offered")
    res = {r["id"]: r for r in d["resources"]}
    for kind, per in (("needs", limits.needs_per_member), ("offers", limits.offers_per_member)):
        total: dict[str, int] = {}
        for row in d[kind]:
            r = row["resource"] if kind == "needs" else row["resources"][0]
            total[r] = total.get(r, 0) + row["steps"]
        verb = "ask for" if kind == "needs" else "give"
        for r, steps in sorted(total.items()):
            qty = steps * _step_of_row(res[r])
            most = m * per * limits.max_quantity
            if qty > most * (1 + 1e-12):
                unit = res[r]["unit"]
                reasons.append(f"{kind} of {r} ({unit}): {qty:g} {unit}, more than {m} member(s) could {verb} "
                               f"({most:g} {unit})")
    for k, o in enumerate(d["offers"]):
        if o["radius_km"] is not None and o["radius_km"] > limits.max_radius_km:
            reasons.append(f"offers[{k}]: a reach of {o['radius_km']:g} km, more than {limits.max_radius_km:g} km")
        if len(o["resources"]) > limits.max_offer_resources:
            reasons.append(f"offers[{k}]: {len(o['resources'])} resources, more than {limits.max_offer_resources}")
    return reasons


# The rest of a round, here too (sharing out is in :mod:`~sinfronteras.planning.shareout`,
# which reads this module's digests) -----------------------------------------------------------


def certificate(problem: Problem, plan) -> dict:
    """A certificate that ``plan`` is optimal for ``problem`` (:func:`sinfronteras.planning.fedcert.certificate`)."""
    return _certificate(problem, plan)


def verify(problem: Problem, plan, cert) -> list[str]:
    """Why ``plan`` is not certified optimal for ``problem``; empty: it is (:func:`sinfronteras.planning.fedcert.verify`)."""
    return _verify(problem, plan, cert)
