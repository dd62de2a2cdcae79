"""A round's union is planned on all arcs where they fit, on the sparse core above: the same plan."""

import numpy as np

from sinfronteras.planning import federation
from sinfronteras.planning.fedcert import certificate, verify
from sinfronteras.planning.federation import digest, plan_union, union_problem
from sinfronteras.planning.generate import city_problem


def _union():
    digests = [digest(city_problem(120, seed=k, centre=(34.0 + 0.05 * k, -118.2)), f"c{k}") for k in range(3)]
    return union_problem(digests)


def test_a_union_that_fits_is_planned_on_all_arcs_and_one_above_the_bound_on_the_sparse_core(monkeypatch):
    union = _union()
    full = plan_union(union)
    assert "sparse_core" not in full.summary
    monkeypatch.setattr(federation, "FULL_UP_TO_ARCS", 0)
    core = plan_union(union)
    assert "sparse_core" in core.summary
    assert np.array_equal(full.met, core.met)
    assert abs(full.summary["distance_km"] - core.summary["distance_km"]) < 1e-3 * (1 + full.summary["distance_km"])


def test_the_certificate_of_a_union_plan_is_verified_and_a_plan_that_travels_more_is_refused():
    union = _union()
    doc = plan_union(union).to_json()
    assert verify(union, doc, certificate(union, doc)) == []
    # Swap two allocations' needs of one resource where both arcs exist: the same met, more travel.
    arcs = {(a["offer"], a["need"]) for a in doc["allocations"]}
    from sinfronteras.planning.arcs import build_arcs

    all_arcs = build_arcs(union.arrays)
    ids_o = [o.id for o in union.offers]
    ids_n = [n.id for n in union.needs]
    exists = set(zip((ids_o[j] for j in all_arcs.offer), (ids_n[i] for i in all_arcs.need)))
    km = dict(zip(zip((ids_o[j] for j in all_arcs.offer), (ids_n[i] for i in all_arcs.need)), all_arcs.km))
    allocs = doc["allocations"]
    for x in range(len(allocs)):
        for y in range(x + 1, len(allocs)):
            a, b = allocs[x], allocs[y]
            if a["quantity"] != b["quantity"] or a["offer"] == b["offer"] or a["need"] == b["need"]:
                continue
            swapped = ((a["offer"], b["need"]), (b["offer"], a["need"]))
            if not all(p in exists and p not in arcs for p in swapped):
                continue
            before = km[(a["offer"], a["need"])] + km[(b["offer"], b["need"])]
            if km[swapped[0]] + km[swapped[1]] > before + 0.01:
                worse = {**doc, "allocations": [dict(r) for r in allocs]}
                worse["allocations"][x]["need"], worse["allocations"][y]["need"] = b["need"], a["need"]
                reasons = verify(union, worse, certificate(union, worse))
                assert reasons and "least" in " ".join(reasons)
                return
    raise AssertionError("no swap of two allocations that travels more was found")
