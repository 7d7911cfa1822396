"""The people directory's read: members with their ticket counts in this tenant.

Shared by the directory page and the ``users/`` API. It reads ticket counts, which is why it
lives above tickets, in people, and not in accounts.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower

from accounts.models import Absence, Membership, Tenant
from accounts.services import today_in
from core.params import object_id
from tickets.models import Ticket

SORTS = {
    "name": Lower("user__name"),
    "email": Lower("user__email"),
    "role": "role__name",
    "joined": "joined_at",
    "last_seen": "last_seen_at",
    "requested": "tickets_requested",
    "handled": "tickets_handled",
}


def _count(tickets, field: str):
    """Count of this tenant's tickets whose ``field`` is the member, as a correlated subquery
    (one query for the whole page, whatever its length)."""
    counted = (
        tickets.filter(**{field: OuterRef("user_id")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _away(tenant: Tenant, field: str):
    """A field of the member's absence of today, as a subquery (the page stays one query)."""
    today = (
        Absence.objects.for_tenant(tenant)
        .on(today_in(tenant))
        .filter(member_id=OuterRef("pk"))
        .order_by("ends")
        .values(field)[:1]
    )
    return Subquery(today)


def directory(
    tenant: Tenant,
    *,
    q: str = "",
    role: str = "",
    status: str = "",
    organization: str = "",
    sort: str = "name",
):
    tickets = Ticket.objects.for_tenant(tenant)
    people = (
        Membership.objects.for_tenant(tenant)
        .select_related("user", "role", "organization")
        .annotate(
            tickets_requested=_count(tickets, "requester_id"),
            tickets_handled=_count(tickets, "assignee_id"),
            # Who is away today, until when, and who covers (named on the absence).
            away_until=_away(tenant, "ends"),
            covered_by_name=_away(tenant, "substitute__user__name"),
            covered_by_email=_away(tenant, "substitute__user__email"),
        )
    )
    if q:
        people = people.filter(Q(user__name__icontains=q) | Q(user__email__icontains=q))
    if role:
        people = people.filter(role__key=role)
    if status:
        people = people.filter(status=status)
    if organization == "none":
        people = people.filter(organization__isnull=True)
    elif object_id(organization):
        people = people.filter(organization_id=object_id(organization))
    descending = sort.startswith("-")
    key = SORTS.get(sort.lstrip("-"), SORTS["name"])
    if isinstance(key, str):
        order = f"-{key}" if descending else key
        return people.order_by(order, "pk")
    return people.order_by(key.desc() if descending else key.asc(), "pk")
