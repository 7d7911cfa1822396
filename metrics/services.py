"""Computing the daily rollups from ticket history, and sending the report e-mails.

Every figure is computed with GROUP BY in the database, day by day in the tenant's time zone,
for a set of days at a time: the incremental job recomputes the days that changes since its
last run touched, a rebuild recomputes them all. Both replace whole days inside one
transaction that holds the tenant's ``MetricsState`` row (select_for_update), so two runs at
once queue up instead of interleaving, and the watermark moves only when the new rollups
commit: a worker killed mid-run leaves the old rollups and the old watermark.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Case, Count, DurationField, ExpressionWrapper, F, Q, Sum, When
from django.db.models.functions import Coalesce, TruncDate
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Membership, Tenant, User
from helpdesk.mail import subject_line
from tickets.models import Rating, Ticket, TicketEvent

from .models import DailyRollup, Dimension, MetricsState, ReportSubscription

log = logging.getLogger(__name__)

# Events are stamped when written but committed a little later; looking back this far past
# the watermark catches a transaction that committed after a run had started. Re-counting a
# day twice is harmless: days are replaced, never added to.
SAFETY_LAG = timedelta(minutes=10)

OPEN = [Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.PENDING]
DONE = [Ticket.Status.SOLVED, Ticket.Status.CLOSED]

# How each slice finds its id on a ticket, an event and a rating (None: the whole helpdesk).
TICKET_REF = {
    Dimension.TENANT: None,
    Dimension.QUEUE: "queue_id",
    Dimension.AGENT: "assignee_id",
    Dimension.ORGANIZATION: "organization_id",
}
EVENT_REF = {d: f and f"ticket__{f}" for d, f in TICKET_REF.items()}
RATING_REF = {
    Dimension.TENANT: None,
    Dimension.QUEUE: "ticket__queue_id",
    # Who held the ticket when it was rated; a rating that did not record one falls back on
    # the ticket's assignee.
    Dimension.AGENT: Coalesce("agent_id", "ticket__assignee_id"),
    Dimension.ORGANIZATION: "ticket__organization_id",
}
COUNTERS = [
    "created",
    "responded",
    "first_response_seconds_sum",
    "solved",
    "resolution_seconds_sum",
    "solved_on_day",
    "reopened",
    "open_delta",
    "ratings",
    "ratings_positive",
]


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


def _within(field: str, tenant: Tenant, ranges) -> Q:
    """Instants of ``field`` that fall on one of the days (local), index-friendly."""
    q = Q()
    for first, last in ranges:
        q |= Q(
            **{
                f"{field}__gte": day_start(tenant, first),
                f"{field}__lt": day_start(tenant, last + timedelta(days=1)),
            }
        )
    return q


def _seconds(value) -> float:
    if value is None:
        return 0.0
    return value.total_seconds() if isinstance(value, timedelta) else value / 1_000_000


def _duration(end: str, start: str):
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def _grouped(queryset, day_field: str, ref_field, tz: ZoneInfo, **aggregates):
    """``queryset`` counted per local day (and slice id): rows of {"d", "ref", ...}."""
    queryset = queryset.order_by().annotate(d=TruncDate(day_field, tzinfo=tz))
    keys = ["d"]
    if ref_field is not None:
        ref = F(ref_field) if isinstance(ref_field, str) else ref_field
        queryset = queryset.annotate(slice_ref=ref)
        keys.append("slice_ref")
    for row in queryset.values(*keys).annotate(**aggregates):
        row["ref"] = row.pop("slice_ref", None) or 0
        yield row


def compute_days(tenant: Tenant, ranges) -> list[DailyRollup]:
    """The rollup rows of the given days, computed from tickets, events and ratings."""
    tz = tenant_zone(tenant)
    rows: dict[tuple[str, int, date], dict] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    arrays: dict[tuple[str, int, date], list[float]] = defaultdict(list)
    tickets = Ticket.objects.for_tenant(tenant)
    created = tickets.filter(_within("created_at", tenant, ranges))
    solved = tickets.filter(_within("solved_at", tenant, ranges))
    closing = Q(old_value__in=OPEN, new_value__in=DONE)
    reopening = Q(old_value__in=DONE, new_value__in=OPEN)
    # Only the status changes that open or close a ticket move a figure.
    status_events = TicketEvent.objects.for_tenant(tenant).filter(
        closing | reopening, _within("created_at", tenant, ranges), kind=TicketEvent.Kind.STATUS
    )
    ratings = Rating.objects.for_tenant(tenant).filter(_within("created_at", tenant, ranges))

    for dimension in Dimension.values:
        ref = TICKET_REF[dimension]
        for row in _grouped(
            created,
            "created_at",
            ref,
            tz,
            n=Count("id"),
            responded=Count("id", filter=Q(first_response_at__isnull=False)),
            fr=Sum(_duration("first_response_at", "created_at")),
            solved=Count("id", filter=Q(solved_at__isnull=False)),
            res=Sum(_duration("solved_at", "created_at")),
        ):
            counters = rows[dimension, row["ref"], row["d"]]
            counters["created"] = row["n"]
            counters["responded"] = row["responded"]
            counters["first_response_seconds_sum"] = _seconds(row["fr"])
            counters["solved"] = row["solved"]
            counters["resolution_seconds_sum"] = _seconds(row["res"])
            counters["open_delta"] += row["n"]  # a new ticket is open
        for d, ref_id, seconds in _durations(created.filter(solved_at__isnull=False), ref, tz):
            arrays[dimension, ref_id, d] = seconds
        for row in _grouped(solved, "solved_at", ref, tz, n=Count("id")):
            rows[dimension, row["ref"], row["d"]]["solved_on_day"] = row["n"]
        for row in _grouped(
            status_events,
            "created_at",
            EVENT_REF[dimension],
            tz,
            reopened=Count("id", filter=reopening),
            delta=Sum(Case(When(closing, then=-1), When(reopening, then=1), default=0)),
        ):
            counters = rows[dimension, row["ref"], row["d"]]
            counters["reopened"] = row["reopened"]
            counters["open_delta"] += row["delta"] or 0
        for row in _grouped(
            ratings,
            "created_at",
            RATING_REF[dimension],
            tz,
            n=Count("id"),
            positive=Count("id", filter=Q(score__gte=4)),
        ):
            counters = rows[dimension, row["ref"], row["d"]]
            counters["ratings"] = row["n"]
            counters["ratings_positive"] = row["positive"]

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


def _durations(solved_tickets, ref_field: str | None, tz: ZoneInfo):
    """(day, slice id, sorted resolution seconds) per day: exact medians need every value."""
    duration = _duration("solved_at", "created_at")
    keys = ["d"] + ([ref_field] if ref_field else [])
    base = solved_tickets.order_by().annotate(d=TruncDate("created_at", tzinfo=tz))
    if settings.IS_POSTGRES:
        from django.contrib.postgres.aggregates import ArrayAgg

        for row in base.values(*keys).annotate(seconds=ArrayAgg(duration, order_by=duration)):
            ref_id = (row[ref_field] or 0) if ref_field else 0
            yield row["d"], ref_id, [_seconds(v) for v in row["seconds"]]
        return
    # SQLite (the demo): the same values grouped here instead.
    grouped: dict[tuple, list[float]] = defaultdict(list)
    for row in base.annotate(seconds=duration).values_list(*keys, "seconds"):
        ref_id = (row[1] or 0) if ref_field else 0
        grouped[row[0], ref_id].append(_seconds(row[-1]))
    for (d, ref_id), values in grouped.items():
        yield d, ref_id, sorted(values)


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


# --- PostgreSQL: the rollups computed and written by the database ---------------------------
#
# The same figures as compute_days(), without a round trip through Python: one pass over the
# tickets, status events and ratings of the days, grouped four ways at once (GROUPING SETS)
# into a temporary table, then only the rows that differ from the stored ones are written. A
# million tickets make some 550 000 rollup rows (1 000 organizations x 730 days); building
# them as objects took minutes, and rewriting unchanged rows most of the rest.
# tests/metrics/test_rollup_sql.py holds both ways equal on a generated history.

# Every stored column of a rollup row but its key.
_FIGURES = [*COUNTERS, "resolution_seconds", "backlog"]

# One row per fact: a ticket created (its cohort figures), a ticket solved, a status change
# that opens or closes it, a rating; each with the queue, agent and organization it counts for.
_FACTS = """
SELECT (t.created_at AT TIME ZONE %(zone)s)::date AS d, t.queue_id AS q, t.assignee_id AS a,
       t.organization_id AS o, 1 AS created, (t.first_response_at IS NOT NULL)::int AS responded,
       t.first_response_at - t.created_at AS fr, (t.solved_at IS NOT NULL)::int AS solved,
       t.solved_at - t.created_at AS res, 0 AS solved_on_day, 0 AS reopened, 1 AS open_delta,
       0 AS ratings, 0 AS positive
FROM {ticket} t WHERE t.tenant_id = %(tenant)s AND ({created_in})
UNION ALL
SELECT (t.solved_at AT TIME ZONE %(zone)s)::date, t.queue_id, t.assignee_id, t.organization_id,
       0, 0, NULL, 0, NULL, 1, 0, 0, 0, 0
FROM {ticket} t WHERE t.tenant_id = %(tenant)s AND ({solved_in})
UNION ALL
SELECT (e.created_at AT TIME ZONE %(zone)s)::date, t.queue_id, t.assignee_id, t.organization_id,
       0, 0, NULL, 0, NULL, 0, (e.new_value = ANY(%(open)s))::int,
       CASE WHEN e.new_value = ANY(%(open)s) THEN 1 ELSE -1 END, 0, 0
FROM {event} e JOIN {ticket} t ON t.id = e.ticket_id
WHERE e.tenant_id = %(tenant)s AND e.kind = %(status_kind)s AND ({event_in})
  AND ((e.old_value = ANY(%(open)s) AND e.new_value = ANY(%(done)s))
       OR (e.old_value = ANY(%(done)s) AND e.new_value = ANY(%(open)s)))
UNION ALL
SELECT (r.created_at AT TIME ZONE %(zone)s)::date, t.queue_id, COALESCE(r.agent_id, t.assignee_id),
       t.organization_id, 0, 0, NULL, 0, NULL, 0, 0, 0, 1, (r.score >= 4)::int
FROM {rating} r JOIN {ticket} t ON t.id = r.ticket_id
WHERE r.tenant_id = %(tenant)s AND ({rating_in})
"""

_SLICE_KEYS = """
    CASE WHEN GROUPING(q) = 0 THEN 'queue' WHEN GROUPING(a) = 0 THEN 'agent'
         WHEN GROUPING(o) = 0 THEN 'organization' ELSE 'tenant' END AS dimension,
    COALESCE(q, a, o, 0) AS ref, d AS day
"""
_BY_SLICE = "GROUP BY GROUPING SETS ((d), (d, q), (d, a), (d, o))"

# Counters hash-aggregate; the sorted durations need a sort per group, so they are grouped
# apart over the solved tickets only (one epoch per ticket, not one per slice).
_NEW_ROWS = f"""
WITH facts AS ({{facts}}),
counters AS (
    SELECT {_SLICE_KEYS},
        SUM(created) AS created, SUM(responded) AS responded,
        COALESCE(EXTRACT(EPOCH FROM SUM(fr)), 0) AS first_response_seconds_sum,
        SUM(solved) AS solved, COALESCE(EXTRACT(EPOCH FROM SUM(res)), 0) AS resolution_seconds_sum,
        SUM(solved_on_day) AS solved_on_day, SUM(reopened) AS reopened,
        SUM(open_delta) AS open_delta, SUM(ratings) AS ratings, SUM(positive) AS ratings_positive
    FROM facts {_BY_SLICE}
),
durations AS (
    SELECT {_SLICE_KEYS}, to_jsonb(array_agg(e ORDER BY e)) AS resolution_seconds
    FROM (
        SELECT (t.created_at AT TIME ZONE %(zone)s)::date AS d, t.queue_id AS q,
               t.assignee_id AS a, t.organization_id AS o,
               EXTRACT(EPOCH FROM t.solved_at - t.created_at) AS e
        FROM {{ticket}} t
        WHERE t.tenant_id = %(tenant)s AND t.solved_at IS NOT NULL AND ({{created_in}})
    ) solved {_BY_SLICE}
)
SELECT c.*, COALESCE(s.resolution_seconds, '[]') AS resolution_seconds, {{backlog}} AS backlog
FROM counters c LEFT JOIN durations s USING (dimension, ref, day) {{join}}
"""  # noqa: S608 (table names are ours; values are parameters)


def _on_days(column: str, ranges, *, local: bool = True) -> str:
    """SQL: ``column`` (an instant, or a local date when not ``local``) on one of the days.

    The outer bounds let an index serve a run of recent days; many scattered days (a reply
    on an old ticket touches the day it was created) are one hashed ``= ANY`` test per row
    instead of an OR per range.
    """
    day = f"({column} AT TIME ZONE %(zone)s)::date" if local else column
    bounds = (
        f"{column} >= %(first_instant)s AND {column} < %(end_instant)s"
        if local
        else f"{column} >= %(first_day)s AND {column} <= %(last_day)s"
    )
    return bounds if len(ranges) == 1 else f"{bounds} AND {day} = ANY(%(days)s)"


def _replace_days_in_sql(tenant: Tenant, ranges, *, full: bool) -> None:
    """Bring the stored rollups of ``ranges`` (every day when ``full``) to what they should be."""
    first_day, last_day = ranges[0][0], ranges[-1][1]
    params = {
        "first_day": first_day,
        "last_day": last_day,
        "first_instant": day_start(tenant, first_day),
        "end_instant": day_start(tenant, last_day + timedelta(days=1)),
        "days": [
            first + timedelta(days=n)
            for first, last in ranges
            for n in range((last - first).days + 1)
        ],
    }
    within = {
        name: _on_days(column, ranges)
        for name, column in [
            ("created_in", "t.created_at"),
            ("solved_in", "t.solved_at"),
            ("event_in", "e.created_at"),
            ("rating_in", "r.created_at"),
        ]
    }
    params.update(
        tenant=tenant.pk,
        zone=tenant.time_zone or "UTC",
        open=list(OPEN),
        done=list(DONE),
        status_kind=TicketEvent.Kind.STATUS,
    )
    tables = {
        "ticket": Ticket._meta.db_table,
        "event": TicketEvent._meta.db_table,
        "rating": Rating._meta.db_table,
    }
    table = DailyRollup._meta.db_table
    if full:
        # Every day is computed: the backlog is the running total, made with the rows.
        backlog, join = (
            "SUM(c.open_delta) OVER (PARTITION BY c.dimension, c.ref ORDER BY c.day)",
            "",
        )
    else:
        # A slice keeps its stored backlog unless its open_delta changed (recounted below).
        backlog = "COALESCE(old.backlog, 0)"
        join = (
            f"LEFT JOIN {table} old ON old.tenant_id = %(tenant)s AND old.dimension = c.dimension"
            " AND old.ref = c.ref AND old.day = c.day"
        )
    new_rows = _NEW_ROWS.format(
        facts=_FACTS.format(**tables, **within), backlog=backlog, join=join, **tables, **within
    )
    stored = f"{table}.tenant_id = %(tenant)s"
    if not full:
        stored += " AND " + _on_days(f"{table}.day", ranges, local=False)
    figures = ", ".join(_FIGURES)
    with connection.cursor() as cursor:
        # Sorts and hashes of a whole history fit in memory; compiling the plan costs more
        # than it saves here.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(f"CREATE TEMPORARY TABLE metrics_new AS {new_rows}", params)
        if not full:
            _note_changed_slices(cursor, stored, params)
        # Rows of these days that no longer have a fact (a ticket moved to another queue)...
        cursor.execute(
            f"""DELETE FROM {table} WHERE {stored} AND NOT EXISTS (
                SELECT 1 FROM metrics_new n WHERE n.dimension = {table}.dimension
                AND n.ref = {table}.ref AND n.day = {table}.day)""",  # noqa: S608
            params,
        )
        # ...and the rows that are new or differ: a rebuild of an unchanged history writes
        # nothing, so it neither bloats the table nor the write-ahead log.
        cursor.execute(
            f"""MERGE INTO {table} r USING metrics_new n
            ON r.tenant_id = %(tenant)s AND r.dimension = n.dimension AND r.ref = n.ref
               AND r.day = n.day
            WHEN MATCHED AND ({", ".join(f"r.{f}" for f in _FIGURES)})
                IS DISTINCT FROM ({", ".join(f"n.{f}" for f in _FIGURES)}) THEN
                UPDATE SET {", ".join(f"{f} = n.{f}" for f in _FIGURES)}
            WHEN NOT MATCHED THEN
                INSERT (tenant_id, dimension, ref, day, {figures})
                VALUES (%(tenant)s, n.dimension, n.ref, n.day,
                        {", ".join(f"n.{f}" for f in _FIGURES)})""",  # noqa: S608
            params,
        )
        if not full:
            _recount_changed_slices(cursor, params)
        cursor.execute("DROP TABLE metrics_new")


def _note_changed_slices(cursor, stored: str, params: dict) -> None:
    """The slices whose open_delta changes on one of the days, and the first such day."""
    table = DailyRollup._meta.db_table
    cursor.execute(
        f"""CREATE TEMPORARY TABLE metrics_changed AS
        SELECT COALESCE(n.dimension, o.dimension) AS dimension, COALESCE(n.ref, o.ref) AS ref,
               MIN(COALESCE(n.day, o.day)) AS since
        FROM metrics_new n FULL JOIN (SELECT * FROM {table} WHERE {stored}) o
             ON o.dimension = n.dimension AND o.ref = n.ref AND o.day = n.day
        WHERE n.day IS NULL OR o.day IS NULL OR n.open_delta <> o.open_delta
        GROUP BY 1, 2""",  # noqa: S608
        params,
    )


def _recount_changed_slices(cursor, params: dict) -> None:
    """Rewrite the backlog of each changed slice from the first day its open_delta changed."""
    table = DailyRollup._meta.db_table
    cursor.execute(
        f"""
        WITH totals AS (
            SELECT r.id, COALESCE((
                SELECT p.backlog FROM {table} p
                WHERE p.tenant_id = r.tenant_id AND p.dimension = r.dimension
                  AND p.ref = r.ref AND p.day < c.since
                ORDER BY p.day DESC LIMIT 1
            ), 0) + SUM(r.open_delta) OVER (
                PARTITION BY r.dimension, r.ref ORDER BY r.day ROWS UNBOUNDED PRECEDING
            ) AS total
            FROM {table} r JOIN metrics_changed c ON c.dimension = r.dimension AND c.ref = r.ref
            WHERE r.tenant_id = %(tenant)s AND r.day >= c.since
        )
        UPDATE {table} SET backlog = totals.total FROM totals
        WHERE {table}.id = totals.id AND {table}.backlog <> totals.total
        """,  # noqa: S608
        params,
    )
    cursor.execute("DROP TABLE metrics_changed")


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


# --- Report subscriptions -----------------------------------------------------------------


def subscribe_to_report(*, tenant: Tenant, user: User, frequency: str) -> ReportSubscription:
    subscription, _created = ReportSubscription.objects.get_or_create(
        tenant=tenant, user=user, frequency=frequency
    )
    return subscription


def unsubscribe_from_report(*, tenant: Tenant, user: User, frequency: str) -> None:
    ReportSubscription.objects.for_tenant(tenant).filter(user=user, frequency=frequency).delete()


def report_period(frequency: str, today: date) -> tuple[date, date]:
    """The last complete week (Monday to Sunday) or month before ``today``."""
    if frequency == ReportSubscription.Frequency.MONTHLY:
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    end = today - timedelta(days=today.weekday() + 1)
    return end - timedelta(days=6), end


def send_reports(*, frequency: str) -> int:
    """Send each subscriber the report of the last complete period, once per period."""
    from .queries import headline

    sent = 0
    for subscription in ReportSubscription.objects.due(frequency):
        tenant = subscription.tenant
        start, end = report_period(frequency, local_today(tenant))
        with transaction.atomic():
            locked = ReportSubscription.objects.select_for_update().get(pk=subscription.pk)
            if locked.last_period_start is not None and locked.last_period_start >= start:
                continue  # already sent for this period
            member = Membership.objects.for_tenant(tenant).filter(user=locked.user).first()
            if member is None or not member.is_active:
                continue
            figures = headline(tenant, start, end)
            url = settings.SITE_URL + reverse("metrics:dashboard", args=[tenant.slug])
            with translation.override(locked.user.language or settings.LANGUAGE_CODE):
                context = {
                    "tenant": tenant,
                    "start": start,
                    "end": end,
                    "figures": figures,
                    "url": f"{url}?from={start}&to={end}",
                    "frequency": locked.get_frequency_display(),
                }
                subject = render_to_string("metrics/email/report_subject.txt", context).strip()
                body = render_to_string("metrics/email/report.txt", context)
            send_mail(subject_line(subject), body, settings.DEFAULT_FROM_EMAIL, [locked.user.email])
            locked.last_period_start = start
            locked.save(update_fields=["last_period_start"])
            sent += 1
    return sent
