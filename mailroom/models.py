"""Every message the mailroom received, kept until it is handled (and whole when it failed)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.tenancy import TenantQuerySet


class InboundMessage(models.Model):
    """One received message and what became of it.

    The tenant is unknown (null) when no support address matched. A message that could not
    be parsed or handled keeps its raw bytes so that an admin can retry or discard it."""

    class Outcome(models.TextChoices):
        TICKET = "ticket", _("Became a ticket")
        COMMENT = "comment", _("Became a comment")
        DUPLICATE = "duplicate", _("Seen before")
        DROPPED = "dropped", _("Dropped (auto-reply, bounce or loop)")
        REFUSED = "refused", _("Refused")
        FAILED = "failed", _("Could not be handled")
        DISCARDED = "discarded", _("Discarded by an admin")

    tenant = models.ForeignKey(
        "accounts.Tenant", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    mailbox = models.ForeignKey(
        "tickets.Mailbox", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message_id = models.CharField(max_length=998, blank=True)
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.TextField(blank=True)
    raw = models.BinaryField(null=True, blank=True)  # kept whole for FAILED, else dropped
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)
    # When the sender was told of a refusal: they are told once, not once per message.
    told_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["tenant", "outcome", "-received_at"], name="inbound_outcome"),
            models.Index(fields=["tenant", "message_id"], name="inbound_message_id"),
            models.Index(fields=["sender", "-received_at"], name="inbound_sender"),
        ]

    def __str__(self):
        return f"{self.sender}: {self.subject}"
