"""Daily rollups of ticket history, the job's state per tenant, and report subscriptions.

A dashboard reads only these tables: it never scans tickets.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.tenancy import TenantOwned, TenantQuerySet


class Dimension(models.TextChoices):
    TENANT = "tenant", _("Whole helpdesk")
    QUEUE = "queue", _("Queue")
    AGENT = "agent", _("Agent")
    ORGANIZATION = "organization", _("Organization")
    CHANNEL = "channel", _("Channel")
    POLICY = "policy", _("SLA policy")


# A channel's number in a rollup's ``ref`` (refs are numbers; 0 stays "none"). Appended to,
# never renumbered: stored rollups keep these numbers.
CHANNEL_REF = {"portal": 1, "email": 2, "api": 3, "staff": 4}


class DailyRollupQuerySet(TenantQuerySet):
    def of(self, dimension: str, ref: int | None = None):
        rows = self.filter(dimension=dimension)
        return rows if ref is None else rows.filter(ref=ref)

    def between(self, start, end):
        return self.filter(day__gte=start, day__lte=end)


class DailyRollup(TenantOwned):
    """One day of one slice of a tenant (the whole helpdesk, a queue, an agent, an organization,
    a channel, an SLA policy).

    Cohort figures (created .. resolution_seconds) are about the tickets *created* that day
    (the published definition of metrics/summary/); ``solved_on_day``, ``reopened``,
    ``open_delta``/``backlog`` and the ratings are about what *happened* that day.
    ``resolution_seconds`` keeps every duration, sorted, so medians and percentiles over any
    period are exact: the read merges the days' arrays (a day holds at most its tickets).
    """

    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    # The queue, assignee, organization or SLA policy id, or the channel's number
    # (CHANNEL_REF); 0 for the whole helpdesk or for "none".
    ref = models.BigIntegerField(default=0)
    day = models.DateField()  # in the tenant's time zone
    created = models.PositiveIntegerField(default=0)
    responded = models.PositiveIntegerField(default=0)
    first_response_seconds_sum = models.FloatField(default=0)
    solved = models.PositiveIntegerField(default=0)
    resolution_seconds_sum = models.FloatField(default=0)
    resolution_seconds = models.JSONField(default=list)
    solved_on_day = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    # Tickets that became open minus those that stopped being open that day; ``backlog`` is
    # the running total: open at the end of the day.
    open_delta = models.IntegerField(default=0)
    backlog = models.IntegerField(default=0)
    ratings = models.PositiveIntegerField(default=0)
    ratings_positive = models.PositiveIntegerField(default=0)
    # Service levels of the tickets created that day: targets decided (met or breached, once
    # achieved) and met, and the business-time durations their policy's calendar counted.
    first_response_sla_decided = models.PositiveIntegerField(default=0)
    first_response_sla_met = models.PositiveIntegerField(default=0)
    resolution_sla_decided = models.PositiveIntegerField(default=0)
    resolution_sla_met = models.PositiveIntegerField(default=0)
    first_response_business_count = models.PositiveIntegerField(default=0)
    first_response_business_seconds_sum = models.BigIntegerField(default=0)
    resolution_business_count = models.PositiveIntegerField(default=0)
    resolution_business_seconds_sum = models.BigIntegerField(default=0)

    objects = DailyRollupQuerySet.as_manager()

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "dimension", "ref", "day"], name="rollup_slice_day_unique"
            )
        ]
        indexes = [
            # Dashboards: one slice's days in a period; replace-the-day writes.
            models.Index(fields=["tenant", "dimension", "day"], name="rollup_period"),
        ]

    def __str__(self):
        return f"{self.dimension}:{self.ref} {self.day}"


class MetricsStateQuerySet(TenantQuerySet):
    pass


class MetricsState(TenantOwned):
    """Where a tenant's rollups stand. Its row is also the job's lock (select_for_update)."""

    # Changes at or after this instant (minus a safety lag) are not in the rollups yet.
    watermark = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    days_recomputed = models.PositiveIntegerField(default=0)

    objects = MetricsStateQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="metrics_state_unique")]

    def __str__(self):
        return f"metrics of {self.tenant_id} at {self.computed_at}"


class ReportSubscriptionQuerySet(TenantQuerySet):
    def due(self, frequency: str):
        return self.filter(frequency=frequency).select_related("user", "tenant")


class ReportSubscription(TenantOwned):
    """An admin receives the headline figures by e-mail every week or month."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(
        _("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    # The start of the last period sent: a second run for the same period sends nothing.
    last_period_start = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReportSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "user", "frequency"], name="report_subscription_unique"
            )
        ]

    def __str__(self):
        return f"{self.frequency} report for {self.user_id}"
