"""The list API's shortcuts write what DRF writes: instants, and the row plan kept per class."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from tickets.api.fields import DateTimeField
from tickets.api.tickets import TicketSerializer

ZONES = [
    "UTC",
    "Asia/Jerusalem",
    "America/St_Johns",  # -03:30 / -02:30
    "Asia/Kathmandu",  # +05:45
    "Pacific/Chatham",  # +12:45 / +13:45
    "America/Los_Angeles",
    "Europe/London",  # +00:00 in winter: written as +00:00 or Z by the same rule as DRF
    "Pacific/Kiritimati",  # +14:00
]


def instants():
    utc = datetime.UTC
    values = [
        datetime.datetime(2026, 12, 7, 23, 59, 59, tzinfo=utc),
        datetime.datetime(2026, 12, 7, 23, 59, 59, 1, tzinfo=utc),
        datetime.datetime(2026, 12, 7, 23, 59, 59, 999999, tzinfo=utc),
        datetime.datetime(2026, 3, 27, 0, 0, tzinfo=utc),  # Jerusalem's spring change
        datetime.datetime(2026, 10, 25, 1, 0, 0, 500000, tzinfo=utc),  # Europe's autumn one
        datetime.datetime(2024, 2, 29, 12, 0, tzinfo=utc),
        datetime.datetime(1970, 1, 1, tzinfo=utc),
        datetime.datetime(2026, 6, 1, 9, 30, tzinfo=ZoneInfo("Asia/Tokyo")),  # not UTC itself
        datetime.datetime(2026, 6, 1, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(0))),
    ]
    start = datetime.datetime(2025, 1, 1, tzinfo=utc)
    # Every 7 hours 13 minutes and some microseconds over two years: both sides of every change.
    step = datetime.timedelta(minutes=433, microseconds=7919)
    values += [start + step * i for i in range(2500)]
    return values


@pytest.mark.parametrize("zone", ZONES)
def test_the_page_writer_writes_what_drf_writes_for_every_instant(zone):
    drf = serializers.DateTimeField()
    ours = DateTimeField()
    with timezone.override(ZoneInfo(zone)):
        write = ours.writer()
        for value in instants():
            assert write(value) == drf.to_representation(value) == ours.to_representation(value)


def test_the_page_writer_keeps_drf_rules_for_naive_values_formats_and_a_fixed_zone():
    naive = datetime.datetime(2026, 12, 7, 10, 0, 0, 250)  # noqa: DTZ001 (naive on purpose)
    with timezone.override(ZoneInfo("Asia/Jerusalem")):
        assert DateTimeField().writer()(naive) == serializers.DateTimeField().to_representation(
            naive
        )
        formatted = DateTimeField(format="%Y-%m-%d %H:%M")
        value = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.UTC)
        assert formatted.writer()(value) == "2026-12-07 12:00"
        fixed = DateTimeField(default_timezone=ZoneInfo("Asia/Kathmandu"))
        assert fixed.writer()(value) == "2026-12-07T15:45:00+05:45"
        assert DateTimeField(format=None).writer()(value) is value


def test_the_row_plan_is_made_once_per_class_and_the_zone_once_per_page():
    row = {
        "id": 7,
        "number": 3,
        "subject": "S",
        "description": "D",
        "status": "open",
        "priority": "high",
        "queue_id": None,
        "requester_id": 5,
        "assignee_id": 9,
        "tag_names": ["a"],
        "channel": "portal",
        "created_at": datetime.datetime(2026, 12, 7, 10, 0, 0, 1, tzinfo=datetime.UTC),
        "updated_at": datetime.datetime(2026, 12, 7, 11, 0, tzinfo=datetime.UTC),
        "first_response_at": None,
        "solved_at": None,
        "first_response_due_at": None,
        "next_response_due_at": None,
        "resolution_due_at": None,
        "sla_breached": [],
    }
    with timezone.override(ZoneInfo("Asia/Jerusalem")):
        first = TicketSerializer([row], many=True).data[0]
    with timezone.override(ZoneInfo("UTC")):
        second = TicketSerializer([row], many=True).data[0]
    assert TicketSerializer._row_plan() is TicketSerializer._row_plan()
    assert first["created_at"] == "2026-12-07T12:00:00.000001+02:00"
    assert second["created_at"] == "2026-12-07T10:00:00.000001Z"
    assert first["queue"] is None and first["assignee"] == 9 and first["tags"] == ["a"]
    assert list(first) == TicketSerializer.Meta.fields
