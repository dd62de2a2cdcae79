"""The numbers people want to see, per month and per action, and their SVG charts.

Counts only: copies distributed, conversations, follow-ups done, people who
joined. Conversations expire; their counts stay in :class:`MonthlyTally`.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .models import Action, MonthlyTally

METRICS = [("copies", _("Copies distributed")), ("conversations", _("Conversations")),
           ("follow_ups_done", _("Follow-ups done")), ("joined", _("People who joined"))]


def last_months(today: date, count: int = 6) -> list[date]:
    months, year, month = [], today.year, today.month
    for _step in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def per_month(collective, today=None, count: int = 6) -> list[dict]:
    months = last_months(today or timezone.localdate(), count)
    tallies = {t.month: t for t in MonthlyTally.objects.filter(collective=collective,
                                                               month__gte=months[0])}
    copies: dict[date, int] = {}
    for action in Action.objects.filter(collective=collective, copies_distributed__isnull=False,
                                        starts_at__date__gte=months[0]):
        month = timezone.localdate(action.starts_at).replace(day=1)
        copies[month] = copies.get(month, 0) + action.copies_distributed
    rows = []
    for month in months:
        tally = tallies.get(month)
        rows.append({"month": month, "label": formats.date_format(month, "M"),
                     "copies": copies.get(month, 0),
                     "conversations": tally.conversations if tally else 0,
                     "follow_ups_done": tally.follow_ups_done if tally else 0,
                     "joined": tally.joined if tally else 0})
    return rows


def per_action(collective, limit: int = 12) -> list[Action]:
    return list(Action.objects.filter(collective=collective, results_at__isnull=False)
                .select_related("area").order_by("-starts_at")[:limit])


def totals(collective) -> dict:
    tally = MonthlyTally.objects.filter(collective=collective).aggregate(
        conversations=Sum("conversations"), follow_ups_done=Sum("follow_ups_done"),
        joined=Sum("joined"))
    copies = Action.objects.filter(collective=collective).aggregate(c=Sum("copies_distributed"))["c"]
    return {"copies": copies or 0, **{k: v or 0 for k, v in tally.items()}}


def bar_chart(pairs: list[tuple[str, int]], width: int = 320, bar_h: int = 16) -> dict:
    """Horizontal bars, one per (label, value), scaled to the largest: a dict the template draws."""
    label_w, gap = 96, 6
    scale = width - label_w - 44
    top = max([value for _label, value in pairs] + [1])
    items = []
    for index, (label, value) in enumerate(pairs):
        y = index * (bar_h + gap)
        w = round(value / top * scale, 1)
        items.append({"label": str(label)[:16], "value": value, "y": y, "text_y": y + bar_h - 4,
                      "x": label_w, "w": w, "h": bar_h, "value_x": label_w + w + 4})
    return {"width": width, "height": max(1, len(pairs)) * (bar_h + gap), "items": items}


def charts(collective, today=None) -> list[dict]:
    rows = per_month(collective, today)
    return [{"key": key, "title": title,
             "chart": bar_chart([(row["label"], row[key]) for row in rows])}
            for key, title in METRICS]


def action_chart(actions: list[Action]) -> dict:
    return bar_chart([(a.title, a.copies_distributed or 0) for a in actions])
