"""Kudos: thank-you notes and good ratings, and the periodic e-mails that tell the team."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.tenancy import TenantOwned, TenantQuerySet
from tickets.models import Rating


class ThankYouNoteQuerySet(TenantQuerySet):
    def for_agent(self, user):
        return self.filter(to_user=user).select_related("from_user")


class ThankYouNote(TenantOwned):
    """A supervisor thanks an agent; shown on the agent's kudos page and in the weekly wins."""

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    message = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ThankYouNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["tenant", "to_user", "-created_at"], name="thanks_agent")]

    def __str__(self):
        return f"thanks to {self.to_user_id}"


def kudos_ratings(tenant):
    """Good ratings with a comment: the kudos an agent earned (Rating.agent)."""
    return Rating.objects.for_tenant(tenant).filter(score__gte=4).exclude(comment="")


class DigestSent(TenantOwned):
    """A periodic e-mail went out for this tenant and period: the beat jobs send each once."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("monthly digest")
        WINS = "wins", _("weekly wins")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    period_start = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "kind", "period_start"], name="digest_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.period_start}"
