"""The rollups computed by the ORM from the facts (what SQLite runs for the demo), and written
back day by day. PostgreSQL computes the same rows in one statement (``rollup_sql``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import connection
from django.db.models import Q, Sum

from accounts.models import Tenant

from ..models import DailyRollup
from .facts import (
    COUNTERS,
    NUMBERS,
    SLA_INTO,
    SLICE_COLUMN,
    fact_sets,
    seconds,
    solved_durations,
)

# Where each summed fact column goes in a rollup row (durations as seconds).
INTO = {
    "created": "created",
    "responded": "responded",
    "fr": "first_response_seconds_sum",
    "solved": "solved",
    "res": "resolution_seconds_sum",
    "solved_on_day": "solved_on_day",
    "reopened": "reopened",
    "open_delta": "open_delta",
    "ratings": "ratings",
    "positive": "ratings_positive",
    **SLA_INTO,
}


def compute_days(tenant: Tenant, ranges) -> list[DailyRollup]:
    """The rollup rows of the given days: the facts summed per local day and slice."""
    rows: dict[tuple[str, int, date], dict] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    sums = {f"sum_{name}": Sum(name) for name in NUMBERS}
    facts = fact_sets(tenant, ranges)
    for dimension, column in SLICE_COLUMN.items():
        keys = ["d", column] if column else ["d"]
        for queryset in facts:
            for row in queryset.values(*keys).annotate(**sums):
                counters = rows[dimension, (row[column] or 0) if column else 0, row["d"]]
                for name, field in INTO.items():
                    value = row[f"sum_{name}"]
                    counters[field] += seconds(value) if name in ("fr", "res") else value or 0
    arrays = _sorted_durations(tenant, ranges)
    return [
        DailyRollup(
            tenant=tenant,
            dimension=dimension,
            ref=ref_id,
            day=day,
            resolution_seconds=arrays.get((dimension, ref_id, day), []),
            **counters,
        )
        for (dimension, ref_id, day), counters in rows.items()
    ]


def _sorted_durations(tenant: Tenant, ranges) -> dict[tuple[str, int, date], list[float]]:
    """Every resolution time of each day and slice, sorted: exact medians need every value."""
    grouped: dict[tuple[str, int, date], list[float]] = defaultdict(list)
    for row in solved_durations(tenant, ranges):
        for dimension, column in SLICE_COLUMN.items():
            ref_id = (row[column] or 0) if column else 0
            grouped[dimension, ref_id, row["d"]].append(seconds(row["res"]))
    return {key: sorted(values) for key, values in grouped.items()}


def _replace_days(tenant: Tenant, ranges, rollups: list[DailyRollup]) -> None:
    day_q = Q()
    for first, last in ranges:
        day_q |= Q(day__gte=first, day__lte=last)
    DailyRollup.objects.for_tenant(tenant).filter(day_q).delete()
    DailyRollup.objects.bulk_create(rollups, batch_size=2000)


def _recount_backlog(tenant: Tenant, since: date) -> None:
    """backlog = running total of open_delta per slice, rewritten from ``since`` on.

    Rows before ``since`` are untouched and already right: each slice's total starts from
    its last backlog before ``since``, so an incremental run sums a few days of rows, not
    every row of the tenant's history (hundreds of thousands with many organizations).
    """
    table = DailyRollup._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} SET backlog = totals.total
            FROM (
                SELECT r.id, COALESCE((
                    SELECT p.backlog FROM {table} p
                    WHERE p.tenant_id = r.tenant_id AND p.dimension = r.dimension
                      AND p.ref = r.ref AND p.day < %s
                    ORDER BY p.day DESC LIMIT 1
                ), 0) + SUM(r.open_delta) OVER (
                    PARTITION BY r.dimension, r.ref ORDER BY r.day ROWS UNBOUNDED PRECEDING
                ) AS total
                FROM {table} r WHERE r.tenant_id = %s AND r.day >= %s
            ) AS totals
            WHERE {table}.id = totals.id AND {table}.backlog <> totals.total
            """,  # noqa: S608 (the table name is ours; values are parameters)
            [since, tenant.pk, since],
        )
