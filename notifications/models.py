"""What a person was told (in the app, by e-mail) and how each person wants to be told."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from accounts.tenancy import TenantOwned, TenantQuerySet
from tickets.models import NotificationTemplate, Ticket, TicketEvent

Kind = NotificationTemplate.Kind

# Kinds the requester's side is told of; the others go to staff.
REQUESTER_KINDS = frozenset({Kind.RECEIVED, Kind.REPLY, Kind.SOLVED})


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    IN_APP = "in_app", _("In the app")
    BOTH = "both", _("E-mail and in the app")


# Without a choice: customers hear by e-mail (few of them open the helpdesk to look), staff
# both ways (they live in the app, and the mail reaches them when they are away).
DEFAULT_CHANNELS = {kind: Channel.BOTH for kind in Kind.values} | {
    Kind.RECEIVED: Channel.EMAIL,
    Kind.REPLY: Channel.EMAIL,
    Kind.SOLVED: Channel.EMAIL,
}


class NotificationQuerySet(TenantQuerySet):
    def visible_to(self, member: Membership):
        """A member's own in-app notifications in this helpdesk, nobody else's."""
        return self.for_tenant(member.tenant).filter(recipient_id=member.user_id, shows_in_app=True)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def newest_first(self):
        return self.order_by("-created_at", "-pk")


class Notification(TenantOwned):
    """One person told of one thing about a ticket: the in-app entry and the e-mail's stamp.

    A row per (event, recipient, kind) is claimed before its e-mail goes out, so a task run
    twice, or retried after a failure halfway through the recipients, sends each mail once.
    Rows of people who chose e-mail only are kept (for that stamp) but not listed."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    # None for a notice no event caused (a ticket that waits too long).
    event = models.ForeignKey(
        TicketEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)  # why a ticket waits
    shows_in_app = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient", "kind"],
                condition=Q(event__isnull=False),
                name="notification_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["ticket", "recipient", "kind", "note"],
                condition=Q(event__isnull=True),
                name="notification_once_per_notice",
            ),
        ]
        indexes = [
            # The list page: a person's notifications in one helpdesk, newest first.
            models.Index(fields=["tenant", "recipient", "-created_at"], name="notification_list"),
            # The header's unread count.
            models.Index(
                fields=["tenant", "recipient"],
                condition=Q(read_at__isnull=True, shows_in_app=True),
                name="notification_unread",
            ),
        ]

    def __str__(self):
        return f"{self.kind} to {self.recipient_id} on {self.ticket_id}"


class NotificationPreferenceQuerySet(TenantQuerySet):
    pass


class NotificationPreference(TenantOwned):
    """How one person wants to be told of one kind in one helpdesk (no row: the default)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)

    objects = NotificationPreferenceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "user", "kind"], name="notification_preference_unique"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.channel}"
