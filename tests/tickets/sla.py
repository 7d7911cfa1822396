"""What the service-level stories share: calendars and policies made through the services."""

from datetime import UTC, datetime

from tickets.services import create_calendar, create_sla_policy

OFFICE = [{"weekday": day, "start": "09:00", "end": "17:00"} for day in range(5)]


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def always_open(tenant, name="24/7"):
    return create_calendar(tenant=tenant, by=None, name=name, time_zone="UTC")


def office(tenant, name="Office", time_zone="Europe/London", holidays=()):
    return create_calendar(
        tenant=tenant, by=None, name=name, time_zone=time_zone, hours=OFFICE, holidays=holidays
    )


def policy(tenant, calendar, name="Standard", **fields):
    fields.setdefault("first_response_minutes", 60)
    fields.setdefault("next_response_minutes", 30)
    fields.setdefault("resolution_minutes", 8 * 60)
    return create_sla_policy(tenant=tenant, by=None, name=name, calendar=calendar, **fields)
