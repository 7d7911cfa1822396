"""Notification templates: a tenant's wording, per language, for the messages tickets cause."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.tenancy import TenantOwned


class NotificationTemplate(TenantOwned):
    """A tenant's wording for one kind of notification in one language; without one, the
    default wording in that language is used."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("We received a request (to its requester)")
        REPLY = "reply", _("Staff replied to a request")
        SOLVED = "solved", _("A request was solved")
        NEW_REQUEST = "new_request", _("A new request arrived (to its agents)")
        CUSTOMER_REPLY = "customer_reply", _("A requester replied (to its agents)")
        MENTIONED = "mentioned", _("An agent was mentioned in an internal note")
        ASSIGNED = "assigned", _("A ticket was assigned to an agent")
        WAITING = "waiting", _("A ticket waits too long (to supervisors)")
        SLA_WARNING = "sla_warning", _("A service-level target is due soon (to its agents)")
        SLA_BREACH = "sla_breach", _("A service-level target was missed (to supervisors)")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), max_length=10_000)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "kind", "language"], name="notification_kind_language_unique"
            )
        ]

    def __str__(self):
        return f"{self.kind} ({self.language})"
