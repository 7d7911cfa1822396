"""Reading the rollups: headline figures, series over time and breakdowns. Never tickets."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.db.models import Sum

from accounts.models import Tenant

from .models import CHANNEL_REF, DailyRollup, Dimension, MetricsState

SUMMED = [
    "created",
    "responded",
    "first_response_seconds_sum",
    "solved",
    "resolution_seconds_sum",
    "solved_on_day",
    "reopened",
    "ratings",
    "ratings_positive",
    "first_response_sla_decided",
    "first_response_sla_met",
    "resolution_sla_decided",
    "resolution_sla_met",
    "first_response_business_count",
    "first_response_business_seconds_sum",
    "resolution_business_count",
    "resolution_business_seconds_sum",
]


def merged(sorted_lists) -> list[float]:
    """One sorted list from the days' sorted durations.

    sorted() finds the runs already in order and merges them: a year of a busy helpdesk
    (hundreds of thousands of durations) in a third of heapq.merge's time.
    """
    return sorted(itertools.chain.from_iterable(sorted_lists))


def percentile(values: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont: linear interpolation between the closest ranks."""
    if not values:
        return None
    position = (len(values) - 1) * fraction
    lower = int(position)
    upper = min(lower + 1, len(values) - 1)
    return values[lower] + (values[upper] - values[lower]) * (position - lower)


def _ratio(part, whole):
    return part / whole if whole else None


def figures_of(totals: dict, durations: list[float], backlog: int | None) -> dict:
    """The published figures from summed counters (see the definitions page)."""
    return {
        "tickets_created": totals["created"],
        "response_rate": _ratio(totals["responded"], totals["created"]),
        "first_response_seconds_mean": _ratio(
            totals["first_response_seconds_sum"], totals["responded"]
        ),
        "resolution_seconds_mean": _ratio(totals["resolution_seconds_sum"], totals["solved"]),
        "resolution_seconds_median": percentile(durations, 0.5),
        "resolution_seconds_p90": percentile(durations, 0.9),
        "solved_count": totals["solved"],
        "solved_in_period": totals["solved_on_day"],
        "reopened_count": totals["reopened"],
        "backlog": backlog,
        "ratings_count": totals["ratings"],
        "csat": _ratio(totals["ratings_positive"], totals["ratings"]),
        **_service_levels(totals),
    }


def _service_levels(totals: dict) -> dict:
    """Service-level figures: targets met among those decided, breaches, business times."""
    figures = {}
    for target in ("first_response", "resolution"):
        decided, met = totals[f"{target}_sla_decided"], totals[f"{target}_sla_met"]
        figures[f"{target}_sla_met"] = _ratio(met, decided)
        figures[f"{target}_sla_breached"] = decided - met
        figures[f"{target}_business_seconds_mean"] = _ratio(
            totals[f"{target}_business_seconds_sum"], totals[f"{target}_business_count"]
        )
    return figures


def _slice(tenant: Tenant, dimension: str, ref: int):
    return DailyRollup.objects.for_tenant(tenant).of(dimension, ref)


def _backlog_at(tenant: Tenant, dimension: str, ref: int, day: date) -> int:
    row = _slice(tenant, dimension, ref).filter(day__lte=day).order_by("-day").first()
    return row.backlog if row else 0


def headline(
    tenant: Tenant, start: date, end: date, dimension: str = Dimension.TENANT, ref: int = 0
) -> dict:
    """The figures of one slice for the days ``start`` to ``end`` (inclusive, local)."""
    rows = list(
        _slice(tenant, dimension, ref).between(start, end).values(*SUMMED, "resolution_seconds")
    )
    totals = {field: sum(row[field] for row in rows) for field in SUMMED}
    durations = merged(row["resolution_seconds"] for row in rows)
    return figures_of(totals, durations, _backlog_at(tenant, dimension, ref, end))


def previous_period(start: date, end: date) -> tuple[date, date]:
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def change(current, previous):
    """Relative change, or None where it means nothing (no figure, or from zero)."""
    if current is None or previous in (None, 0):
        return None
    return (current - previous) / previous


def timeseries(
    tenant: Tenant, start: date, end: date, dimension: str = Dimension.TENANT, ref: int = 0
) -> list[dict]:
    """One point per day: created, solved that day, response rate, resolution, CSAT, backlog,
    targets met and resolution in business time."""
    rows = {row.day: row for row in _slice(tenant, dimension, ref).between(start, end)}
    backlog = _backlog_at(tenant, dimension, ref, start - timedelta(days=1))
    points = []
    day = start
    while day <= end:
        row = rows.get(day)
        if row is not None:
            backlog = row.backlog
        points.append(
            {
                "day": day,
                "tickets_created": row.created if row else 0,
                "solved": row.solved_on_day if row else 0,
                "response_rate": _ratio(row.responded, row.created) if row else None,
                "resolution_seconds_mean": (
                    _ratio(row.resolution_seconds_sum, row.solved) if row else None
                ),
                "resolution_seconds_median": (
                    percentile(row.resolution_seconds, 0.5) if row else None
                ),
                "reopened": row.reopened if row else 0,
                "backlog": backlog,
                "ratings_count": row.ratings if row else 0,
                "csat": _ratio(row.ratings_positive, row.ratings) if row else None,
                "first_response_sla_met": (
                    _ratio(row.first_response_sla_met, row.first_response_sla_decided)
                    if row
                    else None
                ),
                "resolution_sla_met": (
                    _ratio(row.resolution_sla_met, row.resolution_sla_decided) if row else None
                ),
                "resolution_business_seconds_mean": (
                    _ratio(row.resolution_business_seconds_sum, row.resolution_business_count)
                    if row
                    else None
                ),
            }
        )
        day += timedelta(days=1)
    return points


def breakdown(tenant: Tenant, start: date, end: date, dimension: str) -> dict[int, dict]:
    """Figures per queue, agent, organization, channel or SLA policy (by id; 0 = none) over
    the period."""
    rows = (
        DailyRollup.objects.for_tenant(tenant)
        .of(dimension)
        .between(start, end)
        .values("ref", *SUMMED, "resolution_seconds")
    )
    totals: dict[int, dict] = {}
    durations: dict[int, list[list[float]]] = {}
    for row in rows:
        sums = totals.setdefault(row["ref"], dict.fromkeys(SUMMED, 0))
        for field in SUMMED:
            sums[field] += row[field]
        durations.setdefault(row["ref"], []).append(row["resolution_seconds"])
    # The backlog at the end is the running total of open_delta (what each row's ``backlog``
    # holds): summing the deltas up to the end is one grouped scan, where looking up each
    # slice's latest row was a subquery per row (seconds at a million tickets).
    backlogs = dict(
        DailyRollup.objects.for_tenant(tenant)
        .of(dimension)
        .filter(day__lte=end)
        .order_by()
        .values("ref")
        .annotate(total=Sum("open_delta"))
        .values_list("ref", "total")
    )
    return {
        ref: figures_of(
            totals.get(ref, dict.fromkeys(SUMMED, 0)),
            merged(durations.get(ref, [])),
            backlogs.get(ref, 0),
        )
        for ref in set(totals) | {r for r, b in backlogs.items() if b}
    }


def freshness(tenant: Tenant) -> MetricsState | None:
    return MetricsState.objects.for_tenant(tenant).first()


def slice_names(tenant: Tenant, dimension: str, refs) -> dict[int, str]:
    """Display names of queue, agent, organization, channel or policy ids (0: none)."""
    from django.utils.translation import gettext as _

    from accounts.models import Membership, Organization
    from tickets.models import Queue, SlaPolicy, Ticket

    refs = [r for r in refs if r]
    if dimension == Dimension.QUEUE:
        names = dict(Queue.objects.for_tenant(tenant).filter(pk__in=refs).values_list("pk", "name"))
        none = _("No queue")
    elif dimension == Dimension.AGENT:
        names = {
            m.user_id: str(m.user)
            for m in Membership.objects.for_tenant(tenant)
            .filter(user_id__in=refs)
            .select_related("user")
        }
        none = _("Unassigned")
    elif dimension == Dimension.CHANNEL:
        labels = dict(Ticket.Channel.choices)
        names = {n: str(labels[channel]) for channel, n in CHANNEL_REF.items()}
        none = _("Unknown channel")
    elif dimension == Dimension.POLICY:
        names = dict(
            SlaPolicy.objects.for_tenant(tenant).filter(pk__in=refs).values_list("pk", "name")
        )
        none = _("No SLA policy")
    else:
        names = dict(
            Organization.objects.for_tenant(tenant).filter(pk__in=refs).values_list("pk", "name")
        )
        none = _("No organization")
    names[0] = none
    return names


def named_breakdown(tenant: Tenant, start: date, end: date, dimension: str) -> list[dict]:
    """breakdown() as rows with an id and a name, busiest first."""
    figures = breakdown(tenant, start, end, dimension)
    names = slice_names(tenant, dimension, figures)
    # A channel is named by its key ("email"), as tickets and the summary's filter name it.
    keys = {}
    if dimension == Dimension.CHANNEL:
        keys = {n: channel for channel, n in CHANNEL_REF.items()}
    rows = [
        {"id": keys.get(ref, ref or None), "name": names.get(ref, f"#{ref}"), **values}
        for ref, values in figures.items()
    ]
    return sorted(rows, key=lambda row: (-row["tickets_created"], row["name"]))
