"""Notification templates: a tenant's wording for the e-mails tickets cause."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.tenancy import TenantOwned


class NotificationTemplate(TenantOwned):
    """A tenant's wording for one kind of e-mail; without one, the default text is used."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Staff replied to a request")
        SOLVED = "solved", _("A request was solved")
        ASSIGNED = "assigned", _("A ticket was assigned to an agent")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), max_length=10_000)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "kind"], name="notification_kind_unique")
        ]

    def __str__(self):
        return self.kind
