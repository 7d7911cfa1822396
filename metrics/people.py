"""People analytics: tenure, last seen, activity and each person's figures, and cohorts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.models import Membership, Tenant
from tickets.models import Rating, Ticket, TicketEvent

from .models import DailyRollup, Dimension
from .queries import SUMMED, figures_of, merged, percentile
from .services import day_start, local_today, tenant_zone


def quarter_start(day: date) -> date:
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


def directory(tenant: Tenant):
    """The members for the people analytics directory (one query for any length)."""
    return (
        Membership.objects.for_tenant(tenant)
        .exclude(status=Membership.Status.PENDING)
        .select_related("user", "role", "organization")
        .order_by("user__name", "user__email")
    )


def figures_of_refs(tenant: Tenant, start: date, end: date, dimension: str, refs) -> dict:
    """The figures of several slices taken together (a cohort of agents, say)."""
    rows = list(
        DailyRollup.objects.for_tenant(tenant)
        .of(dimension)
        .filter(ref__in=list(refs))
        .between(start, end)
        .values(*SUMMED, "resolution_seconds")
    )
    totals = {field: sum(row[field] for row in rows) for field in SUMMED}
    durations = merged(row["resolution_seconds"] for row in rows)
    return figures_of(totals, durations, None)


def agent_cohorts(tenant: Tenant, start: date, end: date) -> list[dict]:
    """Agents who joined this quarter against the rest."""
    since = day_start(tenant, quarter_start(local_today(tenant)))
    staff = list(
        Membership.objects.for_tenant(tenant).staff().active().values_list("user_id", "joined_at")
    )
    new = [user for user, joined in staff if joined >= since]
    rest = [user for user, joined in staff if joined < since]
    return [
        {
            "key": key,
            "size": len(refs),
            **figures_of_refs(tenant, start, end, Dimension.AGENT, refs),
        }
        for key, refs in [("new", new), ("rest", rest)]
    ]


def requested_counts(tenant: Tenant, start: date, end: date, user_ids) -> dict[int, int]:
    """Tickets each of these customers requested in the period (index: tenant, requester)."""
    rows = (
        Ticket.objects.for_tenant(tenant)
        .filter(
            requester_id__in=list(user_ids),
            created_at__gte=day_start(tenant, start),
            created_at__lt=day_start(tenant, end + timedelta(days=1)),
        )
        .order_by()
        .values("requester_id")
        .annotate(n=Count("id"))
    )
    return {row["requester_id"]: row["n"] for row in rows}


def requested_figures(tenant: Tenant, user_id: int, start: date, end: date) -> dict:
    """One customer's requests in the period: counts, resolution times and their ratings."""
    tickets = Ticket.objects.for_tenant(tenant).filter(
        requester_id=user_id,
        created_at__gte=day_start(tenant, start),
        created_at__lt=day_start(tenant, end + timedelta(days=1)),
    )
    durations = sorted(
        (solved - created).total_seconds()
        for created, solved in tickets.filter(solved_at__isnull=False).values_list(
            "created_at", "solved_at"
        )
    )
    counts = tickets.aggregate(
        n=Count("id"),
        open=Count("id", filter=Q(status__in=Ticket.UNSOLVED)),
    )
    ratings = Rating.objects.for_tenant(tenant).filter(ticket__in=tickets.values("pk"))
    rated = ratings.aggregate(
        n=Count("id"), positive=Count("id", filter=Q(score__gte=4)), mean=Avg("score")
    )
    return {
        "tickets_created": counts["n"],
        "open": counts["open"],
        "solved_count": len(durations),
        "resolution_seconds_mean": sum(durations) / len(durations) if durations else None,
        "resolution_seconds_median": percentile(durations, 0.5),
        "ratings_count": rated["n"],
        "csat": rated["positive"] / rated["n"] if rated["n"] else None,
    }


def weekly_activity(tenant: Tenant, user_id: int, weeks: int = 12) -> list[dict]:
    """Ticket events the person caused per week, the last ``weeks`` weeks (oldest first)."""
    tz = tenant_zone(tenant)
    today = local_today(tenant)
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    since = datetime.combine(first_monday, time.min, tzinfo=tz)
    counts = {
        row["week"]: row["n"]
        for row in TicketEvent.objects.for_tenant(tenant)
        .filter(actor_id=user_id, created_at__gte=since)
        .order_by()
        .annotate(week=TruncWeek("created_at", tzinfo=tz))
        .values("week")
        .annotate(n=Count("id"))
    }
    by_day = {
        (week.date() if isinstance(week, datetime) else week): n for week, n in counts.items()
    }
    return [
        {
            "week": first_monday + timedelta(weeks=i),
            "events": by_day.get(first_monday + timedelta(weeks=i), 0),
        }
        for i in range(weeks)
    ]


def kind_words(tenant: Tenant, user_id: int, limit: int = 10):
    """Ratings of 4 or 5 with a comment that customers left this agent, newest first."""
    return (
        Rating.objects.for_tenant(tenant)
        .filter(Q(agent_id=user_id) | Q(agent__isnull=True, ticket__assignee_id=user_id))
        .filter(score__gte=4)
        .exclude(comment="")
        .select_related("ticket")
        .order_by("-created_at")[:limit]
    )


def tenure_days(membership: Membership) -> int:
    return (timezone.now() - membership.joined_at).days
