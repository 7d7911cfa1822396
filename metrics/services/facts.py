"""What each rollup figure counts: the one definition, which both ways of computing use.

A day's figures are sums over *facts*: one row per ticket created (its cohort figures), per
ticket solved, per status change that opens or closes a ticket, and per rating, each with
the local day it happened and the queue, agent, organization and channel it counts for. The
facts are QuerySets: ``compute_days`` (the ORM, what SQLite runs for the demo) groups them
with the ORM, and PostgreSQL's rollup statement (``rollup_sql``) takes the same QuerySets
compiled to SQL. A change of definition is made here, once.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import (
    Case,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncDate

from accounts.models import Tenant
from tickets.models import Rating, Ticket, TicketEvent

from ..models import CHANNEL_REF, Dimension
from .days import day_start, tenant_zone

OPEN = [Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.PENDING]
DONE = [Ticket.Status.SOLVED, Ticket.Status.CLOSED]

# Service-level counters of a rollup row, each the sum of the fact column beside it.
SLA_INTO = {
    "fr_decided": "first_response_sla_decided",
    "fr_met": "first_response_sla_met",
    "res_decided": "resolution_sla_decided",
    "res_met": "resolution_sla_met",
    "fr_bn": "first_response_business_count",
    "fr_bs": "first_response_business_seconds_sum",
    "res_bn": "resolution_business_count",
    "res_bs": "resolution_business_seconds_sum",
}
SLA_COUNTERS = list(SLA_INTO.values())

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
    *SLA_COUNTERS,
]

# The columns of a fact, in order (the SQL reads them by name): the day and slice ids, then
# the numbers summed into a rollup row; ``fr`` and ``res`` are durations.
SLICES = ["q", "a", "o", "c", "p"]
NUMBERS = [
    "created",
    "responded",
    "fr",
    "solved",
    "res",
    "solved_on_day",
    "reopened",
    "open_delta",
    "ratings",
    "positive",
    *SLA_INTO,
]
# The fact column each slice is grouped by (the whole helpdesk: none).
SLICE_COLUMN = {
    Dimension.TENANT: None,
    Dimension.QUEUE: "q",
    Dimension.AGENT: "a",
    Dimension.ORGANIZATION: "o",
    Dimension.CHANNEL: "c",
    Dimension.POLICY: "p",
}


def _channel_ref(ticket: str = ""):
    return Case(
        *(When(**{f"{ticket}channel": key}, then=Value(n)) for key, n in CHANNEL_REF.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


# Status changes that move the backlog: closing takes a ticket out, reopening puts it back.
CLOSING = Q(old_value__in=OPEN, new_value__in=DONE)
REOPENING = Q(old_value__in=DONE, new_value__in=OPEN)


def _duration(end: str, start: str):
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def _flag(condition: Q):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _on_days(queryset: QuerySet, field: str, tenant: Tenant, ranges) -> QuerySet:
    """``queryset`` with its day ``d`` (local) of ``field``, kept to the days of ``ranges``.

    The outer bounds let an index serve a run of recent days; many scattered days (a reply
    on an old ticket touches the day it was created) are one hashed ``IN`` test per row
    instead of an OR per range.
    """
    first, last = ranges[0][0], ranges[-1][1]
    queryset = queryset.order_by().annotate(d=TruncDate(field, tzinfo=tenant_zone(tenant)))
    queryset = queryset.filter(
        **{
            f"{field}__gte": day_start(tenant, first),
            f"{field}__lt": day_start(tenant, last + timedelta(days=1)),
        }
    )
    if len(ranges) > 1:
        queryset = queryset.filter(d__in=list(days_of(ranges)))
    return queryset


def days_of(ranges):
    for first, last in ranges:
        for n in range((last - first).days + 1):
            yield first + timedelta(days=n)


def _fact(queryset: QuerySet, ticket: str = "", **numbers) -> QuerySet:
    """One fact per row: its day and slices, the given numbers, zero (or no duration) else."""
    no_duration = Cast(Value(None), DurationField())
    slices = {
        "q": F(f"{ticket}queue_id"),
        "a": numbers.pop("a", F(f"{ticket}assignee_id")),
        "o": F(f"{ticket}organization_id"),
        "c": _channel_ref(ticket),
        "p": F(f"{ticket}sla_policy_id"),
    }
    values = {
        name: numbers.get(name, no_duration if name in ("fr", "res") else Value(0))
        for name in NUMBERS
    }
    return queryset.annotate(**slices, **values).values("d", *SLICES, *NUMBERS)


def _service_levels() -> dict:
    """A created ticket's service-level numbers: each target counts once decided (met or
    breached when achieved), and each business duration once its policy counted it."""
    numbers = {}
    for short, target in (("fr", "first_response"), ("res", "resolution")):
        numbers[f"{short}_decided"] = _flag(Q(**{f"{target}_met__isnull": False}))
        numbers[f"{short}_met"] = _flag(Q(**{f"{target}_met": True}))
        business = f"{target}_business_seconds"
        numbers[f"{short}_bn"] = _flag(Q(**{f"{business}__isnull": False}))
        numbers[f"{short}_bs"] = Coalesce(business, Value(0), output_field=IntegerField())
    return numbers


def created_tickets(tenant: Tenant, ranges) -> QuerySet:
    """The tickets created on the days, each with its local day ``d`` (the cohort)."""
    tickets = Ticket.objects.for_tenant(tenant)
    return _on_days(tickets, "created_at", tenant, ranges)


def fact_sets(tenant: Tenant, ranges) -> list[QuerySet]:
    """The facts of the days, one QuerySet per kind; the same columns in each."""
    tickets = Ticket.objects.for_tenant(tenant)
    events = TicketEvent.objects.for_tenant(tenant).filter(
        CLOSING | REOPENING, kind=TicketEvent.Kind.STATUS
    )
    ratings = Rating.objects.for_tenant(tenant)
    return [
        # A ticket created: it is open from now on; its first response and first solve,
        # whenever they came, count for the day it was created.
        _fact(
            created_tickets(tenant, ranges),
            created=Value(1),
            responded=_flag(Q(first_response_at__isnull=False)),
            fr=_duration("first_response_at", "created_at"),
            solved=_flag(Q(solved_at__isnull=False)),
            res=_duration("solved_at", "created_at"),
            open_delta=Value(1),
            **_service_levels(),
        ),
        # A ticket solved for the first time.
        _fact(_on_days(tickets, "solved_at", tenant, ranges), solved_on_day=Value(1)),
        # A status change that closes a ticket (-1) or reopens it (+1).
        _fact(
            _on_days(events, "created_at", tenant, ranges),
            "ticket__",
            reopened=_flag(REOPENING),
            open_delta=Case(
                When(CLOSING, then=Value(-1)),
                When(REOPENING, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        ),
        # A rating; it counts for the agent who held the ticket when it was rated, or, when
        # the rating did not record one, for the ticket's assignee.
        _fact(
            _on_days(ratings, "created_at", tenant, ranges),
            "ticket__",
            a=Coalesce("agent_id", "ticket__assignee_id"),
            ratings=Value(1),
            positive=_flag(Q(score__gte=4)),
        ),
    ]


def solved_durations(tenant: Tenant, ranges) -> QuerySet:
    """The resolution time of each solved ticket created on the days, with its day and slices
    (exact medians and percentiles need every value)."""
    return (
        created_tickets(tenant, ranges)
        .filter(solved_at__isnull=False)
        .annotate(
            q=F("queue_id"),
            a=F("assignee_id"),
            o=F("organization_id"),
            c=_channel_ref(),
            p=F("sla_policy_id"),
        )
        .annotate(res=_duration("solved_at", "created_at"))
        .values("d", *SLICES, "res")
    )


def seconds(value) -> float:
    """A duration as the database returns it (a timedelta, or microseconds on SQLite)."""
    if value is None:
        return 0.0
    return value.total_seconds() if isinstance(value, timedelta) else value / 1_000_000
