"""Side effects a committed change still owes: a Celery task and its arguments, one row each.

A row is written in the same transaction as the change that causes it, so the two commit or
roll back together; it is deleted once the broker has accepted the task.
"""

from django.db import models
from django.utils import timezone


class PendingTaskQuerySet(models.QuerySet["PendingTask"]):
    def due(self, now=None) -> "PendingTaskQuerySet":
        return self.filter(available_at__lte=now or timezone.now()).order_by("available_at", "pk")


class PendingTask(models.Model):
    task = models.CharField(max_length=200)  # the Celery task's registered name
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    # The relay leaves a row alone until then: a grace period for the hand-off after commit,
    # and a growing pause after each failed attempt.
    available_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)

    objects = PendingTaskQuerySet.as_manager()

    class Meta:
        indexes = [
            # The relay: due rows, oldest first.
            models.Index(fields=["available_at"], name="outbox_due"),
        ]

    def __str__(self) -> str:
        # Never the arguments: some carry a link's token, and this ends up in logs.
        return f"{self.task} (outbox #{self.pk})"
