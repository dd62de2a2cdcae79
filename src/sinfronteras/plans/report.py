"""Turn a run's summary into what a coordinator reads: tiers, shortages, charts."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.utils.translation import npgettext
from django.utils.translation import pgettext

from sinfronteras.audit.models import Event
from sinfronteras.sharing.bounds import id_in_range
from sinfronteras.web.formats import amount, number, percent

TIER_NAMES = {1: gettext_lazy("Basic and urgent"), 2: gettext_lazy("Basic"),
              3: gettext_lazy("Other, urgent"), 4: gettext_lazy("Other")}


#: A need counts as fully met from this fraction on (rounding of thousandths).
FULL = 0.999


def promises(problem_needs: list[dict], results: list[dict]) -> dict:
    """What a plan promises, per tier: needs left with nothing, the lowest share, needs given
    at least half, needs fully met, and the share of everything asked that it delivers.

    ``problem_needs`` are the problem's needs (``id``, ``quantity``); ``results`` a plan's
    needs (``id``, ``met``, ``fraction``, ``tier``), from the plan or from one-request-at-a-
    time matching of the same problem.

    >>> needs = [{"id": "a", "quantity": 4}, {"id": "b", "quantity": 4}]
    >>> promises(needs, [{"id": "a", "met": 2, "fraction": 0.5, "tier": 1},
    ...                  {"id": "b", "met": 0, "fraction": 0.0, "tier": 1}])
    {'1': {'needs': 2, 'nothing': 1, 'lowest': 0.0, 'half': 1, 'full': 0, 'delivered': 0.25}}
    """
    asked = {row["id"]: float(row["quantity"]) for row in problem_needs}
    tiers: dict[str, dict] = {}
    sums: dict[str, list[float]] = {}
    for row in results:
        key = str(row["tier"])
        tier = tiers.setdefault(key, {"needs": 0, "nothing": 0, "lowest": 1.0, "half": 0,
                                      "full": 0, "delivered": 0.0})
        fraction = float(row["fraction"])
        tier["needs"] += 1
        tier["nothing"] += float(row["met"]) <= 0
        tier["lowest"] = min(tier["lowest"], round(fraction, 4))
        tier["half"] += fraction >= 0.5 - 1e-9
        tier["full"] += fraction >= FULL
        total = sums.setdefault(key, [0.0, 0.0])
        total[0] += float(row["met"])
        total[1] += asked.get(row["id"], 0.0)
    for key, (met, wanted) in sums.items():
        tiers[key]["delivered"] = round(met / wanted, 4) if wanted else 1.0
    return dict(sorted(tiers.items(), key=lambda item: int(item[0])))


def tier_rows(summary: dict) -> list[dict]:
    """Plan and one-request-at-a-time matching side by side, per tier.

    A run stores both plans' promises (``summary["promises"]``); an older run only the
    planner's tier summaries, so what it lacks stays ``None`` (shown as a dash).
    """
    plan, greedy = summary.get("plan", {}).get("tiers", {}), summary.get("greedy", {}).get("tiers", {})
    stored = summary.get("promises", {})
    rows = []
    for key in sorted(plan, key=int):
        ours, theirs = plan[key], greedy.get(key, {})
        rows.append({"tier": int(key), "name": str(TIER_NAMES[int(key)]), "needs": ours["needs"],
                     "plan": ours, "greedy": theirs,
                     "promise": {"plan": stored.get("plan", {}).get(key) or _from_tier(ours),
                                 "greedy": stored.get("greedy", {}).get(key) or _from_tier(theirs)}})
    for k, row in enumerate(rows):
        row["earlier_took"] = k > 0 and _worse_off(row["promise"]["plan"], row["promise"]["greedy"])
    return rows


def _worse_off(ours: dict, theirs: dict) -> bool:
    """Whether one-at-a-time matching left this tier's worst-off better off than the plan:
    only possible when an earlier tier (basic and urgent first) took what it gave them."""
    if ours.get("nothing") is not None and theirs.get("nothing") is not None \
            and ours["nothing"] > theirs["nothing"]:
        return True
    return (ours.get("lowest") is not None and theirs.get("lowest") is not None
            and ours["lowest"] < theirs["lowest"] - 1e-9)


def _from_tier(tier: dict) -> dict:
    return {"needs": tier.get("needs"), "nothing": tier.get("untouched"),
            "lowest": tier.get("min_fraction"), "half": None, "full": tier.get("fully_met"),
            "delivered": None}


def promise_lines(row: dict) -> list[dict]:
    """The comparison of one tier as lines a person reads: what, the plan, one at a time."""
    ours, theirs = row["promise"]["plan"], row["promise"]["greedy"]

    def pct(value):
        return None if value is None else percent(value)

    return [
        {"key": "nothing", "label": _("Left with nothing"), "plan": ours["nothing"],
         "greedy": theirs["nothing"]},
        {"key": "lowest", "label": _("Lowest share"), "plan": pct(ours["lowest"]),
         "greedy": pct(theirs["lowest"])},
        {"key": "half", "label": _("Given at least half"), "plan": ours["half"],
         "greedy": theirs["half"]},
        {"key": "full", "label": _("Fully met"), "plan": ours["full"], "greedy": theirs["full"]},
        {"key": "delivered", "label": _("Delivered, of all that was asked"),
         "plan": pct(ours["delivered"]), "greedy": pct(theirs["delivered"])},
    ]


#: A shortage of less than one whole unit (an hour, a kilo, a pack) is counted, not worded.
SHORTAGE_WORTH_A_SENTENCE = 1.0


def shortage_sentences(summary: dict, limit: int = 12) -> list[str]:
    """The shortages in words, lowest shares first; the smallest ones are only counted.

    A resource short in one area in two tiers is two rows: each then says its tier, so the
    two do not read as one listed twice.
    """
    names = summary.get("names", {})
    spanish = (get_language() or "en").startswith("es")
    rows = summary.get("plan", {}).get("shortage", [])
    worth = [row for row in rows if row["short"] >= SHORTAGE_WORTH_A_SENTENCE]
    pairs = Counter((row["resource"], row["place"]) for row in worth[:limit])
    sentences = []
    for row in worth[:limit]:
        resource = names.get("resources", {}).get(row["resource"], {})
        label = resource.get("name_es" if spanish else "name_en", row["resource"])
        unit = (spanish and resource.get("unit_es")) or row["unit"]
        area = names.get("places", {}).get(row["place"], row["place"])
        text = shortage_sentence(row, label, unit, area)
        if pairs[(row["resource"], row["place"])] > 1 and row.get("tier") in TIER_NAMES:
            text = pgettext("a shortage's tier", "%(tier)s: %(sentence)s") % {
                "tier": TIER_NAMES[row["tier"]], "sentence": text}
        sentences.append(text)
    if small := len(rows) - len(worth):
        sentences.append(ngettext(
            "And %(n)s smaller shortage, of less than one unit.",
            "And %(n)s smaller shortages, each of less than one unit.", small) % {"n": small})
    return sentences


def shortage_sentence(row: dict, label: str, unit: str, area: str) -> str:
    """One shortage in words. In Spanish the verbs agree with the amount ("Falta 1 hora",
    "Faltan 2 horas") and the nouns with the count of needs: one context for each."""
    words = {"short": amount(row["short"], unit, places=1), "resource": label, "area": area,
             "count": row["needs"]}
    if round(row["short"], 1) == 1:
        text = npgettext(
            "one unit short",
            "%(short)s of %(resource)s short in %(area)s: %(short)s more from a giver within "
            "reach would fully meet %(count)s need.",
            "%(short)s of %(resource)s short in %(area)s: %(short)s more from a giver within "
            "reach would fully meet %(count)s needs.", row["needs"])
    else:
        text = npgettext(
            "several units short",
            "%(short)s of %(resource)s short in %(area)s: %(short)s more from a giver within "
            "reach would fully meet %(count)s need.",
            "%(short)s of %(resource)s short in %(area)s: %(short)s more from a giver within "
            "reach would fully meet %(count)s needs.", row["needs"])
    text %= words
    if row.get("nothing_in_reach") and row["needs"] == 1:
        text += " " + _("Nobody who gives it is within its reach at all.")
    elif row.get("nothing_in_reach"):
        text += " " + ngettext("%(n)s of them has no giver of it within reach at all.",
                               "%(n)s of them have no giver of it within reach at all.",
                               row["nothing_in_reach"]) % {"n": row["nothing_in_reach"]}
    return text


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


def unmet_page(run, query, per_page: int) -> dict:
    """One page of a run's needs not fully met, filtered by tier and area, with the counts."""
    from django.core.paginator import Paginator

    everything = run.outcomes.filter(fraction__lt=FULL)
    tier, area = _choice(query.get("tier"), range(1, 5)), _choice(query.get("area"), None)
    rows = everything
    if tier:
        rows = rows.filter(tier=tier)
    if area:
        rows = rows.filter(need__area_id=area)
    rows = rows.select_related("need__resource", "need__area").order_by("tier", "fraction", "pk")
    page = Paginator(rows, per_page).get_page(query.get("page"))
    tier_counts = dict(everything.order_by().values_list("tier").annotate(n=Count("pk")))
    area_counts = list(everything.order_by().values("need__area_id", "need__area__name")
                       .annotate(n=Count("pk")).order_by("need__area__name"))
    keep = {k: v for k, v in (("tier", tier), ("area", area)) if v}
    return {
        "unmet": page, "unmet_total": everything.count(), "unmet_matching": page.paginator.count,
        "unmet_after": max(0, page.paginator.count - page.end_index()),
        "unmet_tier": tier, "unmet_area": area, "unmet_query": urlencode(keep),
        "unmet_tiers": [{"tier": t, "name": TIER_NAMES[t], "n": tier_counts.get(t, 0)}
                        for t in range(1, 5) if tier_counts.get(t)],
        "unmet_areas": [{"pk": a["need__area_id"], "name": a["need__area__name"], "n": a["n"]}
                        for a in area_counts],
    }


def _choice(value, allowed) -> int | None:
    """A whole number from the query string (an id at most: ``bounds.id_in_range``), or None
    when absent or not one we know ("²" or a 26-digit number is none)."""
    if not id_in_range(value):
        return None
    whole = int(value)
    if allowed is not None and whole not in allowed:
        return None
    return whole if whole > 0 else None


def trips(run) -> dict:
    """The plan's deliveries between areas: how many, and the kilometres they cover."""
    from django.db.models import Sum

    row = run.allocations.filter(km__gt=0).aggregate(n=Count("pk"), km=Sum("km"))
    return {"count": row["n"] or 0, "km": number(row["km"] or 0, 0)}


def carries_without_pickup(run) -> int:
    """How many carries went back to the plan since ``run`` because their givers gave no
    pickup point in time (housekeeping's audit events, which name no one)."""
    events = Event.objects.filter(collective_id=run.collective_id, action="plan.no_pickup",
                                  created_at__gte=run.finished_at or run.created_at)
    return sum(int(e.data.get("tasks", 0)) for e in events)
