"""The supervisor's workload board: per person on staff, their open tickets, the oldest one
waiting for the helpdesk, those due within the hour and those breached this week.

A constant number of queries however many agents: the staff list (cached), one grouped
query over the open tickets (index ticket_assignee) and one over this week's breach events
(index event_recent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Tenant
from accounts.staff import active_staff
from tickets.models import Ticket, TicketEvent
from tickets.workspace import SOON, week_start

# Waiting for the helpdesk: new or open (pending waits for the customer).
WAITING = (Ticket.Status.NEW, Ticket.Status.OPEN)


@dataclass
class Load:
    user_id: int
    name: str
    email: str
    open: int = 0
    oldest_waiting: datetime | None = None  # since when the oldest one waits
    due_within_hour: int = 0
    breached_this_week: int = 0


def workload(tenant: Tenant, now=None) -> list[Load]:
    now = now or timezone.now()
    board = {
        person.pk: Load(user_id=person.pk, name=person.name, email=person.email)
        for person in active_staff(tenant)
    }
    rows = (
        Ticket.objects.for_tenant(tenant)
        .open()
        .filter(assignee_id__in=list(board))
        .values("assignee_id")
        .annotate(
            open=Count("pk"),
            oldest_waiting=Min(
                Coalesce("customer_replied_at", "created_at"), filter=Q(status__in=WAITING)
            ),
            due_within_hour=Count("pk", filter=Q(sla_due_at__gte=now, sla_due_at__lte=now + SOON)),
        )
        .order_by()
    )
    for row in rows if board else ():
        load = board[row["assignee_id"]]
        load.open, load.oldest_waiting = row["open"], row["oldest_waiting"]
        load.due_within_hour = row["due_within_hour"]
    breaches = (
        TicketEvent.objects.filter(
            tenant_id=tenant.pk,
            kind=TicketEvent.Kind.SLA_BREACH,
            created_at__gte=week_start(),
            ticket__assignee_id__in=list(board),
        )
        .values("ticket__assignee_id")
        .annotate(tickets=Count("ticket_id", distinct=True))
        .order_by()
    )
    for row in breaches if board else ():
        board[row["ticket__assignee_id"]].breached_this_week = row["tickets"]
    return sorted(board.values(), key=lambda load: (-load.open, load.name, load.email))
