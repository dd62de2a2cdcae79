"""A collective's open needs as final demands of an input-output table.

The bridge between the collective (Django) and the economy planner (pure): the
``sinfronteras economy --needs-from-collective NAME --mapping FILE`` command
calls :func:`collective_demands`. Needs are summed by resource and tier, so no
demand names a person or an area.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sinfronteras.economy.errors import TableError
from sinfronteras.economy.plan import Demand
from sinfronteras.economy.rows import csv_rows, number
from sinfronteras.members.models import Collective

from .models import Need, NeedStatus


def read_mapping(path: str) -> dict[str, tuple[str, float]]:
    """``resource,code,factor`` rows: a need of one unit of RESOURCE (its key) takes FACTOR of CODE."""
    mapping = {}
    for line, row in csv_rows(path, ("resource", "code", "factor")):
        factor = number(path, line, "factor", row["factor"])
        if factor < 0:
            raise TableError(f"{path} row {line}, column factor", "factor must be 0 or more")
        mapping[(row["resource"] or "").strip()] = ((row["code"] or "").strip(), factor)
    return mapping


def collective_demands(name: str, mapping_path: str, codes) -> list:
    """The open needs of the collective named (or slugged) ``name``, summed by resource and tier."""
    collective = (Collective.objects.filter(slug=name).first()
                  or Collective.objects.filter(name=name).first())
    if collective is None:
        raise TableError("--needs-from-collective", f"no collective named {name!r}")
    mapping = read_mapping(mapping_path)
    index = {c: k for k, c in enumerate(codes)}
    for resource, (code, _) in mapping.items():
        if code not in index:
            raise TableError(f"{mapping_path} resource {resource}", f"unknown product code {code!r}")
    totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    needs = Need.objects.filter(collective=collective, status=NeedStatus.OPEN).select_related("resource")
    for need in needs:
        tier = (1 if need.urgent else 2) if need.resource.basic else (3 if need.urgent else 4)
        totals[(need.resource.key, tier)] += need.quantity
    unmapped = sorted({key for key, _ in totals} - set(mapping))
    if unmapped:
        raise TableError(mapping_path, f"no row for resource(s) {', '.join(unmapped)}: add "
                                       "resource,code,factor for each")
    return [Demand(f"{key}/tier{tier}", index[mapping[key][0]], float(quantity) * mapping[key][1], tier)
            for (key, tier), quantity in sorted(totals.items())]
