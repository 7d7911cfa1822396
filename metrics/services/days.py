"""Days in the tenant's time zone: every rollup row is one local day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Tenant


def tenant_zone(tenant: Tenant) -> ZoneInfo:
    return ZoneInfo(tenant.time_zone or "UTC")


def local_today(tenant: Tenant) -> date:
    return timezone.now().astimezone(tenant_zone(tenant)).date()


def day_start(tenant: Tenant, day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tenant_zone(tenant))


def contiguous_ranges(days) -> list[tuple[date, date]]:
    """[d1, d2, d3, d7] -> [(d1, d3), (d7, d7)]."""
    ranges: list[list[date]] = []
    for day in sorted(set(days)):
        if ranges and day - ranges[-1][1] == timedelta(days=1):
            ranges[-1][1] = day
        else:
            ranges.append([day, day])
    return [(first, last) for first, last in ranges]
