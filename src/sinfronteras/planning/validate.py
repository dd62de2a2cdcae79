"""Checking a problem document (format v1) entry by entry.

Every error names the entry and what is wrong, in one line, so that a person
can fix the document without reading code.
"""

from __future__ import annotations

import math
from typing import Any

from .errors import ProblemError
from .model import FORMAT_VERSION, Need, Offer, Place, Previous, Problem, Resource

_SECTIONS = ("resources", "places", "needs", "offers")


def _entry(section: str, k: int, item: Any) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f'{section}[{k}] (id "{item["id"]}")'
    return f"{section}[{k}]"


def _number(entry: str, item: dict, key: str, *, positive: bool = False, required: bool = True) -> float | None:
    if key not in item or item[key] is None:
        if required:
            raise ProblemError(entry, f"missing field '{key}'")
        return None
    v = item[key]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ProblemError(entry, f"'{key}' must be a number, got {v!r}")
    v = float(v)
    if not math.isfinite(v):
        raise ProblemError(entry, f"'{key}' must be a finite number, got {v!r}")
    if positive and v <= 0:
        raise ProblemError(entry, f"'{key}' must be positive, got {v!r}")
    if not positive and v < 0:
        raise ProblemError(entry, f"'{key}' must not be negative, got {v!r}")
    return v


def _string(entry: str, item: dict, key: str) -> str:
    if key not in item:
        raise ProblemError(entry, f"missing field '{key}'")
    v = item[key]
    if not isinstance(v, str) or not v:
        raise ProblemError(entry, f"'{key}' must be a non-empty string, got {v!r}")
    return v


def _flag(entry: str, item: dict, key: str) -> bool:
    v = item.get(key, False)
    if v is None:
        return False
    if not isinstance(v, bool):
        raise ProblemError(entry, f"'{key}' must be true or false, got {v!r}")
    return v


def _items(doc: dict, section: str) -> list:
    items = doc.get(section, [])
    if items is None:
        return []
    if not isinstance(items, list):
        raise ProblemError(section, "must be a list")
    seen: set[str] = set()
    for k, item in enumerate(items):
        entry = _entry(section, k, item)
        if not isinstance(item, dict):
            raise ProblemError(entry, "must be an object")
        ident = _string(entry, item, "id")
        if ident in seen:
            raise ProblemError(entry, f"duplicate id '{ident}' in {section}")
        seen.add(ident)
    return items


def _resources(items: list) -> tuple[Resource, ...]:
    out = []
    for k, it in enumerate(items):
        e = _entry("resources", k, it)
        step = _number(e, it, "step", positive=True, required=False)
        uri = None if it.get("uri") is None else _string(e, it, "uri")
        out.append(Resource(it["id"], _string(e, it, "unit"), _flag(e, it, "basic"), step, uri))
    return tuple(out)


#: How far from a whole number of steps a quantity may be (float noise, e.g. 0.3 / 0.1).
STEP_TOLERANCE = 1e-9


def whole_steps(quantity: float, step: float) -> bool:
    """Whether ``quantity`` is a whole number of ``step``.

    >>> whole_steps(0.3, 0.1), whole_steps(2.5, 0.5), whole_steps(1.3, 1.0)
    (True, True, False)
    """
    k = quantity / step
    return abs(k - round(k)) <= STEP_TOLERANCE * max(1.0, abs(k))


#: Most steps one quantity may count (the solvers count in steps).
MAX_STEPS = 2**40


def _multiple(entry: str, qty: float, step: float | None, unit: str) -> None:
    if step is not None and qty / step > MAX_STEPS:
        raise ProblemError(entry, f"'quantity' is more than 2^40 steps of {step:g} {unit}: choose a larger step")
    if step is not None and not whole_steps(qty, step):
        raise ProblemError(entry, f"'quantity' must be a whole number of steps of {step:g} {unit}, got {qty:g}")


def _places(items: list) -> tuple[Place, ...]:
    out = []
    for k, it in enumerate(items):
        e = _entry("places", k, it)
        lat, lon = (_coordinate(e, it, key) for key in ("lat", "lon"))
        if not -90 <= lat <= 90 or not -180 <= lon <= 180:
            raise ProblemError(e, f"lat must be within [-90, 90] and lon within [-180, 180], got {lat}, {lon}")
        out.append(Place(it["id"], lat, lon))
    return tuple(out)


def _coordinate(entry: str, item: dict, key: str) -> float:
    if key not in item:
        raise ProblemError(entry, f"missing field '{key}'")
    v = item[key]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise ProblemError(entry, f"'{key}' must be a number, got {v!r}")
    return float(v)


def _ref(entry: str, value: str, known: dict | set, kind: str) -> str:
    if value not in known:
        raise ProblemError(entry, f"unknown {kind} '{value}'")
    return value


def _needs(items: list, units: dict, places: set, steps: dict) -> tuple[Need, ...]:
    out = []
    for k, it in enumerate(items):
        e = _entry("needs", k, it)
        res = _ref(e, _string(e, it, "resource"), units, "resource")
        place = _ref(e, _string(e, it, "place"), places, "place")
        qty = _number(e, it, "quantity", positive=True)
        _multiple(e, qty, steps[res], units[res])
        out.append(Need(it["id"], res, qty, place, _flag(e, it, "urgent")))
    return tuple(out)


def _offers(items: list, units: dict, places: set, steps: dict) -> tuple[Offer, ...]:
    out = []
    for k, it in enumerate(items):
        e = _entry("offers", k, it)
        if "resources" not in it:
            raise ProblemError(e, "missing field 'resources'")
        res = it["resources"]
        if not isinstance(res, list) or not res or not all(isinstance(r, str) for r in res):
            raise ProblemError(e, f"'resources' must be a non-empty list of resource ids, got {res!r}")
        if len(set(res)) != len(res):
            raise ProblemError(e, "'resources' lists a resource twice")
        for r in res:
            _ref(e, r, units, "resource")
        mixed = sorted({units[r] for r in res})
        if len(mixed) > 1:
            raise ProblemError(e, f"an offer's resources must share one unit, got {', '.join(mixed)}")
        kinds = sorted({steps[r] for r in res}, key=lambda x: -1.0 if x is None else x)
        if len(kinds) > 1:
            shown = ", ".join("none" if x is None else f"{x:g}" for x in kinds)
            raise ProblemError(e, f"an offer's resources must share one step, got {shown}")
        place = _ref(e, _string(e, it, "place"), places, "place")
        qty = _number(e, it, "quantity", positive=True)
        _multiple(e, qty, steps[res[0]], units[res[0]])
        radius = _number(e, it, "radius_km", required=False)
        out.append(Offer(it["id"], tuple(res), qty, place, radius))
    return tuple(out)


def _previous(doc: dict) -> tuple[Previous, ...]:
    """The previous plan's allocations: each must be well formed; one whose offer or need
    no longer exists is kept here and ignored by the plan (no error)."""
    items = doc.get("previous", [])
    if items is None:
        return ()
    if not isinstance(items, list):
        raise ProblemError("previous", "must be a list")
    out = []
    for k, it in enumerate(items):
        e = f"previous[{k}]"
        if not isinstance(it, dict):
            raise ProblemError(e, "must be an object")
        out.append(Previous(_string(e, it, "offer"), _string(e, it, "need"), _number(e, it, "quantity")))
    return tuple(out)


def parse_problem(doc: Any) -> Problem:
    """Check a parsed problem document and build a :class:`Problem`.

    Raises
    ------
    ProblemError
        The first wrong entry, e.g. ``needs[2] (id "n3"): unknown place 'x'``.

    Examples
    --------
    >>> parse_problem({"version": 1}).needs
    ()
    >>> parse_problem({"version": 2})
    Traceback (most recent call last):
    ...
    sinfronteras.planning.errors.ProblemError: version: unsupported version 2, expected 1
    """
    if not isinstance(doc, dict):
        raise ProblemError("problem", "must be a JSON object")
    if "version" not in doc:
        raise ProblemError("problem", "missing field 'version' (expected 1)")
    if doc["version"] != FORMAT_VERSION or isinstance(doc["version"], bool):
        raise ProblemError("version", f"unsupported version {doc['version']!r}, expected {FORMAT_VERSION}")
    items = {s: _items(doc, s) for s in _SECTIONS}
    resources = _resources(items["resources"])
    places = _places(items["places"])
    units = {r.id: r.unit for r in resources}
    steps = {r.id: r.step for r in resources}
    place_ids = {p.id for p in places}
    return Problem(
        resources=resources,
        places=places,
        needs=_needs(items["needs"], units, place_ids, steps),
        offers=_offers(items["offers"], units, place_ids, steps),
        previous=_previous(doc),
    )
