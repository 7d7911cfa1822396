"""core.business_time: business minutes over weekly hours, holidays and time zones (pure)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.business_time import (
    NoBusinessTime,
    add_business_minutes,
    business_seconds_between,
    format_clock,
    parse_clock,
    weekly_spans,
)

LONDON = ZoneInfo("Europe/London")
JERUSALEM = ZoneInfo("Asia/Jerusalem")
# Monday to Friday, nine to five.
OFFICE = [(day, "09:00", "17:00") for day in range(5)]
# Israel: Sunday to Thursday 08:00-17:00, Friday short (08:00-13:00), Saturday closed.
ISRAEL = [(day, "08:00", "17:00") for day in (6, 0, 1, 2, 3)] + [(4, "08:00", "13:00")]
# A lunch break: two spans a day.
LUNCH = [
    (day, start, end) for day in range(5) for start, end in (("09:00", "12:00"), ("13:00", "17:00"))
]


def local(zone, *parts):
    return datetime(*parts, tzinfo=zone)


def test_within_one_day_it_is_plain_arithmetic():
    start = local(LONDON, 2026, 12, 2, 10, 0)  # a Wednesday
    assert add_business_minutes(start, 90, OFFICE, [], LONDON) == local(LONDON, 2026, 12, 2, 11, 30)


def test_a_span_over_the_night_resumes_next_morning():
    start = local(LONDON, 2026, 12, 2, 16, 0)
    due = add_business_minutes(start, 120, OFFICE, [], LONDON)
    assert due == local(LONDON, 2026, 12, 3, 10, 0)
    assert business_seconds_between(start, due, OFFICE, [], LONDON) == 7200


def test_a_friday_evening_ticket_does_not_count_its_weekend():
    friday_evening = local(LONDON, 2026, 12, 4, 19, 30)
    due = add_business_minutes(friday_evening, 60, OFFICE, [], LONDON)
    assert due == local(LONDON, 2026, 12, 7, 10, 0)  # Monday
    monday_noon = local(LONDON, 2026, 12, 7, 12, 0)
    assert business_seconds_between(friday_evening, monday_noon, OFFICE, [], LONDON) == 3 * 3600


def test_out_of_hours_start_counts_from_the_next_opening():
    early = local(LONDON, 2026, 12, 2, 6, 0)
    assert add_business_minutes(early, 1, OFFICE, [], LONDON) == local(LONDON, 2026, 12, 2, 9, 1)


def test_a_lunch_break_is_not_business_time():
    start = local(LONDON, 2026, 12, 2, 11, 0)
    assert add_business_minutes(start, 120, LUNCH, [], LONDON) == local(LONDON, 2026, 12, 2, 14, 0)
    day = (local(LONDON, 2026, 12, 2, 0, 0), local(LONDON, 2026, 12, 3, 0, 0))
    assert business_seconds_between(*day, LUNCH, [], LONDON) == 7 * 3600


def test_holidays_are_skipped():
    christmas_eve = local(LONDON, 2026, 12, 24, 16, 0)  # Thursday
    holidays = {date(2026, 12, 25)}
    due = add_business_minutes(christmas_eve, 120, OFFICE, holidays, LONDON)
    assert due == local(LONDON, 2026, 12, 28, 10, 0)  # Friday is Christmas, then the weekend
    without = add_business_minutes(christmas_eve, 120, OFFICE, [], LONDON)
    assert without == local(LONDON, 2026, 12, 25, 10, 0)


def test_israels_week_sunday_to_thursday_with_a_short_friday():
    thursday = local(JERUSALEM, 2026, 12, 3, 16, 0)
    # One hour on Thursday, five on Friday; Saturday closed; the rest on Sunday.
    due = add_business_minutes(thursday, 7 * 60, ISRAEL, [], JERUSALEM)
    assert due == local(JERUSALEM, 2026, 12, 6, 9, 0)
    friday = (local(JERUSALEM, 2026, 12, 4, 0, 0), local(JERUSALEM, 2026, 12, 5, 0, 0))
    assert business_seconds_between(*friday, ISRAEL, [], JERUSALEM) == 5 * 3600
    saturday = (local(JERUSALEM, 2026, 12, 5, 0, 0), local(JERUSALEM, 2026, 12, 6, 0, 0))
    assert business_seconds_between(*saturday, ISRAEL, [], JERUSALEM) == 0


def test_jerusalem_spring_forward_follows_the_wall_clock():
    # Israel moves to summer time on Friday 26 March 2027 at 02:00 (to 03:00).
    thursday = local(JERUSALEM, 2027, 3, 25, 16, 0)  # UTC+2
    due = add_business_minutes(thursday, 7 * 60, ISRAEL, [], JERUSALEM)
    assert due == local(JERUSALEM, 2027, 3, 28, 9, 0)  # Sunday, UTC+3
    assert due.astimezone(UTC) == datetime(2027, 3, 28, 6, 0, tzinfo=UTC)


def test_jerusalem_fall_back_counts_the_repeated_hour_once_per_occurrence():
    # 31 October 2027 at 02:00 clocks go back to 01:00: a 00:00-04:00 span lasts five hours.
    night = [(6, "00:00", "04:00")]
    day = (local(JERUSALEM, 2027, 10, 31, 0, 0), local(JERUSALEM, 2027, 11, 1, 0, 0))
    assert business_seconds_between(*day, night, [], JERUSALEM) == 5 * 3600
    due = add_business_minutes(day[0], 5 * 60, night, [], JERUSALEM)
    assert due == datetime(2027, 10, 31, 2, 0, tzinfo=UTC)  # 04:00 local, UTC+2


def test_london_spring_forward_shortens_a_span_that_crosses_it():
    # 28 March 2027 at 01:00 clocks go forward to 02:00: 00:00-04:00 is three real hours.
    night = [(6, "00:00", "04:00")]
    sunday = local(LONDON, 2027, 3, 28, 0, 0)
    assert (
        business_seconds_between(sunday, sunday + timedelta(days=1), night, [], LONDON) == 3 * 3600
    )
    assert add_business_minutes(sunday, 180, night, [], LONDON) == local(LONDON, 2027, 3, 28, 4, 0)


def test_london_office_hours_across_the_autumn_change():
    friday = local(LONDON, 2027, 10, 29, 16, 0)  # BST, UTC+1
    due = add_business_minutes(friday, 120, OFFICE, [], LONDON)
    assert due == local(LONDON, 2027, 11, 1, 10, 0)  # Monday, GMT
    assert due.astimezone(UTC) == datetime(2027, 11, 1, 10, 0, tzinfo=UTC)
    assert business_seconds_between(friday, due, OFFICE, [], LONDON) == 7200


def test_a_target_longer_than_a_week():
    start = local(LONDON, 2026, 12, 7, 9, 0)  # Monday morning
    # 64 business hours: a week is 40, then three more days of eight: the next Wednesday at five.
    due = add_business_minutes(start, 64 * 60, OFFICE, [], LONDON)
    assert due == local(LONDON, 2026, 12, 16, 17, 0)
    assert business_seconds_between(start, due, OFFICE, [], LONDON) == 64 * 3600


def test_no_hours_is_24_7_and_real_time_even_over_dst():
    start = local(LONDON, 2027, 3, 27, 12, 0)
    due = add_business_minutes(start, 24 * 60, [], [], LONDON)
    assert due - start == timedelta(hours=24)  # real time: 13:00 local on the Sunday
    assert due == local(LONDON, 2027, 3, 28, 13, 0)


def test_holidays_close_a_24_7_calendar_too():
    start = local(LONDON, 2026, 12, 24, 23, 0)
    due = add_business_minutes(start, 120, [], {date(2026, 12, 25)}, LONDON)
    assert due == local(LONDON, 2026, 12, 26, 1, 0)


def test_zero_minutes_and_reversed_intervals():
    start = local(LONDON, 2026, 12, 5, 12, 0)  # a Saturday
    assert add_business_minutes(start, 0, OFFICE, [], LONDON) == start
    assert business_seconds_between(start, start - timedelta(hours=5), OFFICE, [], LONDON) == 0


def test_adding_and_measuring_agree():
    start = local(JERUSALEM, 2027, 3, 24, 14, 17)
    for minutes in (1, 59, 600, 3000, 12345):
        due = add_business_minutes(start, minutes, ISRAEL, {date(2027, 3, 28)}, "Asia/Jerusalem")
        measured = business_seconds_between(start, due, ISRAEL, {date(2027, 3, 28)}, JERUSALEM)
        assert measured == minutes * 60


def test_a_calendar_that_never_opens_refuses():
    everything_closed = {date(2026, 12, 2) + timedelta(days=n) for n in range(366 * 31)}
    with pytest.raises(NoBusinessTime):
        add_business_minutes(local(LONDON, 2026, 12, 2, 9, 0), 1, OFFICE, everything_closed, LONDON)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        add_business_minutes(datetime(2026, 12, 2, 9, 0), 1, OFFICE, [], LONDON)  # noqa: DTZ001


@pytest.mark.parametrize(
    "hours",
    [
        [(0, "25:00", "26:00")],
        [(0, "17:00", "09:00")],
        [(0, "09:00", "09:00")],
        [(7, "09:00", "17:00")],
        [(0, "9", "17:00")],
        [{"weekday": -1, "start": "09:00", "end": "17:00"}],
    ],
)
def test_bad_hours_are_refused(hours):
    with pytest.raises(ValueError):
        weekly_spans(hours)


def test_spans_are_sorted_and_merged_and_the_day_may_end_at_24():
    spans = weekly_spans([(0, "13:00", "24:00"), (0, "09:00", "12:00"), (0, "11:00", "13:00")])
    assert spans == {0: [(540, 1440)]}
    assert parse_clock("24:00") == 1440
    assert format_clock(570) == "09:30"
