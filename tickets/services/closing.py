"""Solved tickets close by themselves after the days their helpdesk sets (auto_close_days)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Tenant

from ..models import Ticket, TicketEvent
from .base import _move


def solved_long_enough(tenant: Tenant, *, now):
    """The tenant's solved tickets whose last move to solved is older than its setting.

    Counted from the last time a ticket was solved (a reopened and solved again ticket waits
    its days again), or from ``solved_at`` where no event says it (tickets made by the demo).
    """
    last_solved = (
        TicketEvent.objects.filter(
            ticket=OuterRef("pk"), kind=TicketEvent.Kind.STATUS, new_value=Ticket.Status.SOLVED
        )
        .order_by()
        .values("ticket")
        .annotate(at=Max("created_at"))
        .values("at")
    )
    cutoff = now - timedelta(days=tenant.auto_close_days)
    return (
        Ticket.objects.for_tenant(tenant)
        .filter(status=Ticket.Status.SOLVED)
        .annotate(last_solved=Coalesce(Subquery(last_solved), "solved_at", "updated_at"))
        .filter(Q(last_solved__lte=cutoff))
    )


def close_solved_tickets(*, now=None) -> int:
    """Close every solved ticket whose helpdesk's waiting days are over; returns how many.

    Each close is its own transaction under the ticket's row lock, rechecked there, so a
    reply that reopened the ticket meanwhile wins and a run twice closes once. The event has
    no actor (the helpdesk) and says the rule and its days.
    """
    now = now or timezone.now()
    closed = 0
    for tenant in Tenant.objects.filter(auto_close_days__gt=0).order_by("pk"):
        for ticket_id in solved_long_enough(tenant, now=now).values_list("pk", flat=True):
            with transaction.atomic():
                ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
                if ticket is None or ticket.status != Ticket.Status.SOLVED:
                    continue
                _move(
                    ticket,
                    Ticket.Status.CLOSED,
                    by=None,
                    at=now,
                    reason=TicketEvent.Reason.AUTO_CLOSED,
                    about=str(tenant.auto_close_days),
                )
                closed += 1
    return closed
