"""A plan run's problem and plan as two documents anyone can re-plan (``plan-export``).

The run stored the problem it gave the planner and the plan it got back (format
v1). Here their ids become those the API shows: a need, an offer and an area are
named by their number (``"12"``), a resource by its key. Nothing else is in them:
no member, no name, no address, no message, no time; places are area centroids.
``sinfronteras plan problem.json`` then gives every need the same ``met``.

A run of a federation round gives each need what the round's union plan gave it,
its own offers' part and what came from other collectives together; only its own
allocations are listed (the round's union files check the rest:
``sinfronteras federation round -o``).
"""

from __future__ import annotations

import copy

from .models import PlanRun, RunStatus


class NoSuchRun(LookupError):
    """The collective has no finished run of that number (or none at all)."""


def pick_run(collective, number: int | None = None) -> PlanRun:
    """The collective's last finished run, or its run ``#number``; :class:`NoSuchRun` otherwise."""
    runs = PlanRun.objects.filter(collective=collective, status=RunStatus.DONE)
    run = runs.filter(pk=number).first() if number is not None else runs.first()
    if run is None:
        what = f"no finished plan run #{number}" if number is not None else "no finished plan run yet"
        raise NoSuchRun(f"{collective.slug}: {what}")
    if not run.problem_doc:
        raise NoSuchRun(f"{collective.slug}: plan run #{run.pk} was made before runs kept their documents")
    return run


def _bare(ident: str) -> str:
    """``"n12"`` -> ``"12"``: the number the API shows."""
    return ident[1:] if ident[:1] in ("n", "o", "a") and ident[1:].isdigit() else ident


def problem_document(run: PlanRun) -> dict:
    """The run's problem (format v1) with the API's ids."""
    doc = copy.deepcopy(run.problem_doc)
    for place in doc.get("places", []):
        place["id"] = _bare(place["id"])
    for part in ("needs", "offers"):
        for row in doc.get(part, []):
            row["id"] = _bare(row["id"])
            row["place"] = _bare(row["place"])
    return doc


def plan_document(run: PlanRun) -> dict:
    """The run's plan (format v1) with the API's ids: allocations, every need's ``met``, the tiers."""
    doc = run.plan_doc
    summary = doc.get("summary", {})
    return {
        "version": doc.get("version", 1),
        "status": doc.get("status", "optimal"),
        "allocations": [{**row, "offer": _bare(row["offer"]), "need": _bare(row["need"])}
                        for row in doc.get("allocations", [])],
        "needs": [{**row, "id": _bare(row["id"])} for row in doc.get("needs", [])],
        "summary": {key: summary[key] for key in ("tiers", "distance_km", "quantity_resolution")
                    if key in summary},
    }
