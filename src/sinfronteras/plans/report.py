"""Turn a run's summary into what a coordinator reads: tiers, shortages, charts."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from sinfronteras.web.formats import amount, number, percent

TIER_NAMES = {1: gettext_lazy("Basic and urgent"), 2: gettext_lazy("Basic"),
              3: gettext_lazy("Other, urgent"), 4: gettext_lazy("Other")}


def tier_rows(summary: dict) -> list[dict]:
    """Plan and one-request-at-a-time matching side by side, per tier."""
    plan, greedy = summary.get("plan", {}).get("tiers", {}), summary.get("greedy", {}).get("tiers", {})
    rows = []
    for key in sorted(plan, key=int):
        ours, theirs = plan[key], greedy.get(key, {})
        rows.append({"tier": int(key), "name": str(TIER_NAMES[int(key)]), "needs": ours["needs"],
                     "plan": ours, "greedy": theirs})
    return rows


def shortage_sentences(summary: dict, limit: int = 12) -> list[str]:
    names = summary.get("names", {})
    spanish = (get_language() or "en").startswith("es")
    sentences = []
    for row in summary.get("plan", {}).get("shortage", [])[:limit]:
        resource = names.get("resources", {}).get(row["resource"], {})
        label = resource.get("name_es" if spanish else "name_en", row["resource"])
        unit = (spanish and resource.get("unit_es")) or row["unit"]
        area = names.get("places", {}).get(row["place"], row["place"])
        text = ngettext(
            "%(short)s of %(resource)s short in %(area)s: %(short)s more from a giver within "
            "reach would fully meet %(count)s need.",
            "%(short)s of %(resource)s short in %(area)s: %(short)s more from a giver within "
            "reach would fully meet %(count)s needs.", row["needs"],
        ) % {"short": amount(row["short"], unit, places=1), "resource": label, "area": area,
             "count": row["needs"]}
        if row.get("nothing_in_reach"):
            text += " " + ngettext("%(n)s of them has no giver of it within reach at all.",
                                   "%(n)s of them have no giver of it within reach at all.",
                                   row["nothing_in_reach"]) % {"n": row["nothing_in_reach"]}
        sentences.append(text)
    return sentences


def bars(rows: list[dict], width: int = 320) -> dict:
    """An SVG bar chart: share of needs fully met per tier, plan against greedy."""
    bar_h, gap, label_w = 14, 10, 110
    scale = width - label_w - 40
    items = []
    for index, row in enumerate(rows):
        y = index * (2 * bar_h + gap)
        needs = max(1, row["needs"])
        for offset, (kind, stats) in enumerate((("plan", row["plan"]), ("greedy", row["greedy"]))):
            share = stats.get("fully_met", 0) / needs
            items.append({"kind": kind, "x": label_w, "y": y + offset * bar_h,
                          "w": round(share * scale, 1), "h": bar_h - 2,
                          "label_x": label_w + round(share * scale, 1) + 4,
                          "label": percent(share)})
        items.append({"kind": "name", "x": 0, "y": y + bar_h + 3, "label": row["name"]})
    return {"width": width, "height": max(1, len(rows)) * (2 * bar_h + gap), "items": items}


def trips(run) -> dict:
    """The plan's deliveries between areas: how many, and the kilometres they cover."""
    from django.db.models import Count, Sum

    row = run.allocations.filter(km__gt=0).aggregate(n=Count("pk"), km=Sum("km"))
    return {"count": row["n"] or 0, "km": number(row["km"] or 0, 0)}
