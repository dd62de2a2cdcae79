"""The numbers people want to see, per month and per action, and their SVG charts.

Counts only: copies distributed, conversations, follow-ups done, people who
joined. Conversations expire; their counts stay in :class:`MonthlyTally`.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from sinfronteras.web.formats import number

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


#: About how many characters of 11-pixel text fit on one line of the 320-unit chart.
LINE_CHARS = 48


def _lines(label: str, most: int = 2) -> list[str]:
    """The label in lines that fit the chart's width, never cut mid-word; "…" past ``most``."""
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > LINE_CHARS:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][:LINE_CHARS - 1].rstrip() + "…"
    return lines


def bar_chart(pairs: list[tuple[str, int]], width: int = 320, bar_h: int = 16) -> dict:
    """Horizontal bars, one per (label, value), scaled to the largest: a dict the template draws.

    Short labels (months) sit beside their bar; long ones (actions' titles) go whole on
    their own lines above it, so no label is cut.
    """
    labels = [str(label) for label, _value in pairs]
    beside = all(len(label) <= 12 for label in labels)
    label_w, gap, line_h = (96 if beside else 0), 6, 13
    scale = width - label_w - 44
    top = max([value for _label, value in pairs] + [1])
    items, y = [], 0
    for label, (_label, value) in zip(labels, pairs):
        lines = [] if beside else _lines(label)
        above = len(lines) * line_h
        bar_y = y + above
        w = round(value / top * scale, 1)
        items.append({"label": label if beside else "", "full": label, "value": number(value),
                      "lines": [{"y": y + (k + 1) * line_h - 2, "text": t}
                                for k, t in enumerate(lines)],
                      "y": bar_y, "text_y": bar_y + bar_h - 4, "x": label_w, "w": w, "h": bar_h,
                      "value_x": label_w + w + 4})
        y = bar_y + bar_h + gap
    return {"width": width, "height": max(y, bar_h + gap), "items": items}


def charts(collective, today=None) -> list[dict]:
    rows = per_month(collective, today)
    return [{"key": key, "title": title,
             "chart": bar_chart([(row["label"], row[key]) for row in rows])}
            for key, title in METRICS]


def action_chart(actions: list[Action]) -> dict:
    return bar_chart([(a.title, a.copies_distributed or 0) for a in actions])
