"""Colleagues a requester added to their request: people of their own organization who then
see it and take part in it as the requester's side."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.tenancy import TenantOwned, TenantQuerySet

from .tickets import Ticket


class TicketColleagueQuerySet(TenantQuerySet):
    def of_ticket(self, ticket: Ticket):
        return self.for_tenant(ticket.tenant_id).filter(ticket=ticket)


class TicketColleague(TenantOwned):
    """One person a request is shared with by its requester (tickets.services.add_colleague)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="colleagues")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shared_tickets"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TicketColleagueQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "user"], name="ticket_colleague_unique")
        ]
        indexes = [
            # TicketQuerySet.visible_to: the requests shared with one person in a tenant.
            models.Index(fields=["tenant", "user"], name="ticket_colleague_user"),
        ]

    def __str__(self):
        return f"{self.user_id} on {self.ticket_id}"
