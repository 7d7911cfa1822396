"""Ratings: a requester's satisfaction with a solved ticket."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.tenancy import TenantOwned

from .tickets import Ticket


class Rating(TenantOwned):
    """The requester's satisfaction with a solved ticket: one per ticket, a second replaces it."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=5000)
    # The agent who held the ticket when it was rated: kudos and per-agent CSAT.
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratings_received",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_range"
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "updated_at"], name="rating_recent"),
            # Metrics: the ratings given on the days an incremental run recomputes.
            models.Index(fields=["tenant", "created_at"], name="rating_given"),
        ]

    def __str__(self):
        return f"{self.score}/5 for {self.ticket_id}"
