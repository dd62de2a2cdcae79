"""When a hand-over can happen: the common times of its people, as concrete windows.

Each person of a task (giver, receiver, carrier) may have said when they can, as
weekly slots ``(weekday, start, end)`` ("Saturdays 10:00–13:00"); someone who said
nothing can at any time. A task's window is the first stretch, between now and
the need's deadline, in which everyone who said a time is free, long enough for
what the task takes. Plain data in, plain data out: no database here.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

#: A slot: weekday (Monday 0 .. Sunday 6), start, end (local times, end after start).
Span = tuple[int, time, time]

#: Without a deadline, a timed task is looked for this many days ahead: every
#: weekday comes round at least once.
HORIZON_DAYS = 8


def _intersect(a: list[tuple[time, time]], b: list[tuple[time, time]]) -> list[tuple[time, time]]:
    out = []
    for start_a, end_a in a:
        for start_b, end_b in b:
            start, end = max(start_a, start_b), min(end_a, end_b)
            if start < end:
                out.append((start, end))
    return sorted(out)


def common_windows(schedules: list[list[Span]], earliest: datetime, latest: datetime,
                   minutes: float, tz) -> list[tuple[datetime, datetime]] | None:
    """The stretches between ``earliest`` and ``latest`` in which everyone is free.

    Parameters
    ----------
    schedules : list of list of Span
        One list of slots per person; an empty list means "at any time".
    earliest, latest : datetime
        Aware datetimes bounding the search (now and the need's deadline).
    minutes : float
        The least length a stretch must have to be of use.
    tz : tzinfo
        The collective's time zone, in which the slots are read.

    Returns
    -------
    list of (datetime, datetime) or None
        The stretches, soonest first (possibly none: no common time), or None
        when nobody said a time.

    Examples
    --------
    >>> from datetime import timezone as tzs
    >>> saturday = [(5, time(10), time(13))]
    >>> late = [(5, time(12), time(18))]
    >>> start = datetime(2026, 12, 2, 9, tzinfo=tzs.utc)  # a Wednesday
    >>> [f"{a:%a %d %H:%M}-{b:%H:%M}" for a, b in common_windows(
    ...     [saturday, late, []], start, start + timedelta(days=8), 30, tzs.utc)]
    ['Sat 05 12:00-13:00']
    >>> common_windows([[], []], start, start + timedelta(days=8), 30, tzs.utc) is None
    True
    """
    said = [spans for spans in schedules if spans]
    if not said:
        return None
    if latest <= earliest:
        return []
    found = []
    day = earliest.astimezone(tz).date()
    last = latest.astimezone(tz).date()
    need = timedelta(minutes=minutes)
    while day <= last:
        free = [(time.min, time.max)]
        for spans in said:
            free = _intersect(free, [(s, e) for weekday, s, e in spans if weekday == day.weekday()])
        for start, end in free:
            a = max(datetime.combine(day, start, tzinfo=tz), earliest)
            b = min(datetime.combine(day, end, tzinfo=tz), latest)
            if b - a >= need:
                found.append((a, b))
        day += timedelta(days=1)
    return found


def first_window(schedules, earliest, latest, minutes, tz):
    """The first common stretch; None when nobody said a time; ``False`` when there is none."""
    windows = common_windows(schedules, earliest, latest, minutes, tz)
    if windows is None:
        return None
    return windows[0] if windows else False


def week_start(now) -> datetime:
    """Monday 00:00 (local time) of the week ``now`` falls in."""
    today = timezone.localtime(now).date()
    return timezone.make_aware(datetime.combine(today - timedelta(days=today.weekday()), time.min))
