"""Bringing a tenant's rollups up to date: incrementally, or rebuilt.

Every figure is computed with GROUP BY in the database, day by day in the tenant's time zone,
for a set of days at a time: the incremental job recomputes the days that changes since its
last run touched, a rebuild recomputes them all. Both replace whole days inside one
transaction that holds the tenant's ``MetricsState`` row (select_for_update), so two runs at
once queue up instead of interleaving, and the watermark moves only when the new rollups
commit: a worker killed mid-run leaves the old rollups and the old watermark.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Tenant
from tickets.models import Rating, Ticket, TicketEvent

from ..models import DailyRollup, MetricsState
from .days import contiguous_ranges, local_today, tenant_zone
from .rollup_sql import _replace_days_in_sql
from .rollups import _recount_backlog, _replace_days, compute_days

log = logging.getLogger(__name__)

# Events are stamped when written but committed a little later; looking back this far past
# the watermark catches a transaction that committed after a run had started. Re-counting a
# day twice is harmless: days are replaced, never added to.
SAFETY_LAG = timedelta(minutes=10)


def _lock_state(tenant: Tenant) -> MetricsState:
    MetricsState.objects.get_or_create(tenant=tenant)
    # Two runs for one tenant queue up here; web pages read the row without locking it.
    return MetricsState.objects.for_tenant(tenant).select_for_update().get()


def touched_days(tenant: Tenant, since: datetime) -> set[date]:
    """Every day whose rollups a change after ``since`` may have altered.

    A changed ticket alters the day it was created (cohort figures), the day it was first
    solved, the days of its status changes (backlog, reopens: its queue or assignee may have
    moved, which moves all of them) and the day it was rated.
    """
    tz = tenant_zone(tenant)
    # The changed tickets' ids first, each from its own index: a few hundred ids then find
    # their rows by primary key and ticket id instead of the planner joining whole tables.
    changed = set(
        Ticket.objects.for_tenant(tenant)
        .filter(updated_at__gt=since)
        .values_list("pk", flat=True)
        .order_by()
    )
    for rows in (
        TicketEvent.objects.for_tenant(tenant).filter(created_at__gt=since),
        Rating.objects.for_tenant(tenant).filter(updated_at__gt=since),
    ):
        changed.update(rows.values_list("ticket_id", flat=True).order_by())
    if not changed:
        return set()
    ids = list(changed)
    days: set[date] = set()
    for queryset, field in [
        (Ticket.objects.for_tenant(tenant).filter(pk__in=ids), "created_at"),
        (
            Ticket.objects.for_tenant(tenant).filter(pk__in=ids, solved_at__isnull=False),
            "solved_at",
        ),
        (
            TicketEvent.objects.for_tenant(tenant).filter(
                ticket_id__in=ids, kind=TicketEvent.Kind.STATUS
            ),
            "created_at",
        ),
        (Rating.objects.for_tenant(tenant).filter(ticket_id__in=ids), "created_at"),
    ]:
        days.update(
            queryset.order_by()
            .annotate(d=TruncDate(field, tzinfo=tz))
            .values_list("d", flat=True)
            .distinct()
        )
    return days


def update_metrics(*, tenant: Tenant, full: bool = False, now: datetime | None = None) -> int:
    """Bring a tenant's rollups up to date; returns how many days were recomputed.

    Incremental unless ``full`` (or never computed): only the days touched since the
    watermark. Safe to run twice or concurrently: the second run waits for the first's
    commit, then finds nothing new (or recomputes the same days to the same values).
    """
    with transaction.atomic():
        state = _lock_state(tenant)
        started = now or timezone.now()
        full = full or state.watermark is None
        if full:
            ranges = _all_days(tenant)
            if not settings.IS_POSTGRES:  # PostgreSQL rewrites only the rows that differ
                DailyRollup.objects.for_tenant(tenant).delete()
            state.rebuilt_at = started
        else:
            ranges = contiguous_ranges(touched_days(tenant, state.watermark - SAFETY_LAG))
        if ranges and settings.IS_POSTGRES:
            _replace_days_in_sql(tenant, ranges, full=full)
        elif ranges:
            _replace_days(tenant, ranges, compute_days(tenant, ranges))
            _recount_backlog(tenant, ranges[0][0])
        days = sum((last - first).days + 1 for first, last in ranges)
        state.watermark = started
        state.computed_at = timezone.now()
        state.days_recomputed = days
        state.save()
    log.info("metrics of %s: %s days recomputed (full=%s)", tenant.slug, days, full)
    return days


def _all_days(tenant: Tenant) -> list[tuple[date, date]]:
    first = Ticket.objects.for_tenant(tenant).order_by("created_at").first()
    if first is None:
        return []
    start = first.created_at.astimezone(tenant_zone(tenant)).date()
    return [(start, max(start, local_today(tenant)))]


def update_all_tenants(*, full: bool = False) -> int:
    total = 0
    for tenant in Tenant.objects.order_by("pk"):
        total += update_metrics(tenant=tenant, full=full)
    return total
