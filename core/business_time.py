"""Business-time arithmetic: when a number of working minutes has passed, and how many working
seconds lie between two instants, over weekly hours, holidays and a time zone.

Pure functions, no app imports. Hours are wall-clock spans in the calendar's time zone; a
span's length is the real time between its ends, so a span that crosses a DST change counts
the hour that was skipped or repeated as it happened. No hours at all means 24/7. Holidays are
local dates with no business time, also on a 24/7 calendar. Pauses (a ticket waiting on its
customer) are the caller's: it adds up the business time of the spans that count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Far enough for any target (a year of minutes on one hour a week), short enough to stop a
# calendar whose every working day is a holiday.
MAX_DAYS = 366 * 30
DAY_MINUTES = 24 * 60
_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")

Span = tuple[int, int, int]  # weekday (0 = Monday), start and end in minutes after midnight


class NoBusinessTime(ValueError):  # noqa: N818 (a refusal: the calendar never opens)
    """The calendar has no business time within MAX_DAYS of the start."""


def parse_clock(value: str) -> int:
    """ "09:30" → 570 minutes after midnight; "24:00" (the end of a day) → 1440."""
    found = _CLOCK.match(value or "")
    if not found:
        raise ValueError(f"Not a time of day as HH:MM: {value!r}")
    minutes = int(found[1]) * 60 + int(found[2])
    if minutes > DAY_MINUTES:
        raise ValueError(f"Not a time of day as HH:MM: {value!r}")
    return minutes


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(value) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, time):
        return value.hour * 60 + value.minute
    return parse_clock(value)


def weekly_spans(hours: Iterable) -> dict[int, list[tuple[int, int]]]:
    """Normalise hours to {weekday: [(start, end), ...]} in minutes, sorted and merged.

    ``hours`` holds (weekday, start, end) tuples or {"weekday", "start", "end"} mappings;
    start and end are "HH:MM", ``datetime.time`` or minutes. Refuses (ValueError) a weekday
    outside 0-6 and a span that does not end after it starts.
    """
    days: dict[int, list[tuple[int, int]]] = {}
    for entry in hours:
        if isinstance(entry, dict):
            weekday, start, end = entry["weekday"], entry["start"], entry["end"]
        else:
            weekday, start, end = entry
        if not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise ValueError(f"A weekday is 0 (Monday) to 6 (Sunday), not {weekday!r}.")
        begin, finish = _minutes(start), _minutes(end)
        if not 0 <= begin < finish <= DAY_MINUTES:
            raise ValueError("A span of hours must end after it starts, within one day.")
        days.setdefault(weekday, []).append((begin, finish))
    for weekday, spans in days.items():
        merged: list[tuple[int, int]] = []
        for begin, finish in sorted(spans):
            if merged and begin <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
            else:
                merged.append((begin, finish))
        days[weekday] = merged
    return days


def _zone(tz) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(str(tz))


def _instant(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time on a local day (24:00 is the next midnight).

    A wall time that does not exist (skipped by a DST change) maps past the change, one that
    happens twice to its first occurrence (zoneinfo's fold=0), so spans stay ordered."""
    if minutes >= DAY_MINUTES:
        day, minutes = day + timedelta(days=1), minutes - DAY_MINUTES
    local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
    return local.astimezone(UTC)


def _open_spans(start: datetime, days, holidays, zone: ZoneInfo):
    """The business spans (UTC start, UTC end) from the local day of ``start`` on."""
    day = start.astimezone(zone).date() - timedelta(days=1)  # a span of yesterday may reach today
    whole_day = [(0, DAY_MINUTES)]
    for _offset in range(MAX_DAYS):
        if day not in holidays:
            for begin, finish in days.get(day.weekday(), []) if days else whole_day:
                yield _instant(day, begin, zone), _instant(day, finish, zone)
        day += timedelta(days=1)
    raise NoBusinessTime("This calendar has no business time left to count.")


def _prepare(hours, holidays, tz):
    days = hours if isinstance(hours, dict) else weekly_spans(hours or [])
    return days, frozenset(holidays or ()), _zone(tz)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("Business time needs aware datetimes.")
    return value.astimezone(UTC)


def add_business_minutes(start: datetime, minutes, hours, holidays, tz) -> datetime:
    """The instant at which ``minutes`` of business time have passed since ``start`` (UTC).

    ``hours``: see weekly_spans (or its result); empty means 24/7. ``holidays``: local dates.
    ``tz``: a zone name or ZoneInfo. Zero minutes is the start itself, even out of hours.
    """
    start = _aware(start)
    remaining = timedelta(minutes=minutes)
    if remaining <= timedelta(0):
        return start
    days, holidays, zone = _prepare(hours, holidays, tz)
    for begin, finish in _open_spans(start, days, holidays, zone):
        if finish <= start:
            continue
        begin = max(begin, start)
        available = finish - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
    raise NoBusinessTime("This calendar has no business time left to count.")  # pragma: no cover


def business_seconds_between(a: datetime, b: datetime, hours, holidays, tz) -> int:
    """Whole seconds of business time from ``a`` to ``b`` (0 when ``b`` is not after ``a``)."""
    a, b = _aware(a), _aware(b)
    if b <= a:
        return 0
    days, holidays, zone = _prepare(hours, holidays, tz)
    total = timedelta(0)
    try:
        for begin, finish in _open_spans(a, days, holidays, zone):
            if begin >= b:
                break
            if finish <= a:
                continue
            total += min(finish, b) - max(begin, a)
    except NoBusinessTime:  # nothing more opens before b
        pass
    return int(total.total_seconds())
