"""The shipped planning instances, and the SHA-256 of the plan `sinfronteras plan` writes for each.

The instances are those the project ships generators and data for: seeded city
problems (:func:`sinfronteras.planning.generate.city_problem`, full and sparse
core, with whole steps, and a replan with ``previous``), a world food problem
built from the packaged FAO and GeoNames data (:mod:`sinfronteras.world.build`),
and one hand-made problem whose ids and numbers exercise every way JSON writes
them (non-ASCII, quotes, backslashes, control characters; tiny, huge and whole
quantities).

``plan_hashes.json`` beside this file was written once, by ``python
tests/planning/golden_plans.py --write``, with the planner as it was before the
speed work of issue 22 (main at ae0555b); ``test_plan_golden.py`` plans every
instance again through the command and compares the bytes' hashes.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import replace
from pathlib import Path

HASHES = Path(__file__).with_name("plan_hashes.json")


def _odd_formats() -> dict:
    """A small problem whose ids and quantities need every kind of JSON escape and float form."""
    names = ["niño-ñ", 'co"mi\\lla', "tab\there", "línea\nnueva", "ctl\x01\x1f", "emoji-🍚", "sep\u2028x", "del\x7f"]
    places = [{"id": f"p{k}", "lat": 34.0 + k * 0.01, "lon": -118.2 - k * 0.013} for k in range(4)]
    resources = [{"id": "arroz", "unit": "kg", "basic": True}, {"id": "ropa", "unit": "items"},
                 {"id": "agua", "unit": "l", "basic": True}]
    qty = [1e-05, 3.5e-06, 123456789012.5, 7.0, 0.1, 2.5e-07, 1e16, 0.3333333]
    needs = [{"id": f"n-{name}", "resource": resources[k % 3]["id"], "quantity": qty[k], "place": f"p{k % 4}",
              "urgent": k % 2 == 0} for k, name in enumerate(names)]
    offers = [{"id": f"o-{name}", "resources": [resources[k % 3]["id"]], "quantity": qty[(k + 3) % 8] * 0.7,
               "place": f"p{(k + 1) % 4}", "radius_km": 5} for k, name in enumerate(names)]
    return {"version": 1, "resources": resources, "places": places, "needs": needs, "offers": offers}


def _replan(p, grow=1.5):
    """``p`` with one need in fifty grown by ``grow``, and ``p``'s plan as ``previous``."""
    from sinfronteras.planning import plan
    from sinfronteras.planning.model import Previous

    first = plan(p)
    grown = tuple(replace(n, quantity=n.quantity * grow) if k % 50 == 0 else n for k, n in enumerate(p.needs))
    return replace(p, needs=grown, previous=tuple(Previous(a.offer, a.need, a.quantity) for a in first.allocations))


def _steps(p):
    steps = {"items": 1.0, "kg": 0.5, "hours": 0.5}
    return replace(p, resources=tuple(replace(r, step=steps[r.unit]) for r in p.resources))


def instances():
    """``(name, problem document, extra command arguments)`` for every shipped instance."""
    from sinfronteras.planning.generate import city_problem
    from sinfronteras.world.build import world_problem

    yield "city-300-seed1", city_problem(300, seed=1).to_json(), []
    yield "city-3000-seed2", city_problem(3000, seed=2).to_json(), []
    yield "city-3000-seed2-sparse", city_problem(3000, seed=2).to_json(), ["--sparse-core"]
    yield "city-2000-seed3-steps", _steps(city_problem(2000, seed=3)).to_json(), []
    yield "city-2000-seed4-replan", _replan(city_problem(2000, seed=4)).to_json(), []
    yield "city-1500-seed5-steps-replan", _replan(_steps(city_problem(1500, seed=5)), grow=2).to_json(), []
    yield "world-2017-min-pop-500000", world_problem(2017, min_pop=500_000, radius_km=2000).doc, []
    yield "odd-formats", _odd_formats(), []


def plan_bytes(tmp: Path, name: str, doc: dict, extra: list[str]) -> bytes:
    """The bytes `sinfronteras plan` writes for ``doc`` (its problem file written with the standard json)."""
    from sinfronteras.planning.cli import main

    src, out = tmp / f"{name}.problem.json", tmp / f"{name}.plan.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code = main([str(src), "-o", str(out), *extra])
    if code != 0:
        raise RuntimeError(f"{name}: sinfronteras plan exited with {code}")
    return out.read_bytes()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


if __name__ == "__main__":  # pragma: no cover - writes the expected hashes once
    import tempfile

    assert sys.argv[1:] == ["--write"], "usage: golden_plans.py --write"
    with tempfile.TemporaryDirectory() as d:
        got = {name: digest(plan_bytes(Path(d), name, doc, extra)) for name, doc, extra in instances()}
    HASHES.write_text(json.dumps(got, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(got, indent=1))
