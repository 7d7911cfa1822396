"""Service levels: business-hours calendars with their holidays, ordered SLA policies, and the
fields every ticket carries for the targets that apply to it.

The arithmetic is core.business_time's; choosing a policy and moving a ticket's due times is
tickets.services.service_levels' (``recompute_service_levels``), the one writer of the
ticket's fields below.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.tenancy import TenantOwned, TenantQuerySet
from core.business_time import weekly_spans

# The targets a policy sets, in the order they are shown and listed in ``sla_breached``.
TARGETS = ("first_response", "next_response", "resolution")


# The columns breached_targets reads (a list reads them as values).
BREACH_COLUMNS = tuple(f"{target}_{part}" for target in TARGETS for part in ("due_at", "met"))


def breached_targets(values, now) -> list[str]:
    """The targets missed, from a ticket's fields (a mapping of BREACH_COLUMNS): decided as
    breached, or not decided and owed past the due time."""
    missed = []
    for target in TARGETS:
        met, due = values[f"{target}_met"], values[f"{target}_due_at"]
        if met is False or (met is None and due is not None and due < now):
            missed.append(target)
    return missed


class CalendarQuerySet(TenantQuerySet):
    def with_holidays(self):
        return self.prefetch_related(
            models.Prefetch("holidays", queryset=Holiday.objects.order_by("date"))
        )


class Calendar(TenantOwned):
    """Business hours in one time zone: wall-clock spans per weekday (several a day, e.g.
    around a lunch break), and holidays. No hours at all is a 24/7 calendar."""

    name = models.CharField(_("name"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # [{"weekday": 0-6 (0 = Monday), "start": "09:00", "end": "17:00"}, ...], as the API has it.
    hours = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CalendarQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="sla_calendar_name_unique")
        ]

    def __str__(self):
        return self.name

    @property
    def is_always_open(self) -> bool:
        return not self.hours

    def spans(self) -> dict[int, list[tuple[int, int]]]:
        """The hours as core.business_time reads them: {weekday: [(start, end) minutes]}."""
        return weekly_spans(self.hours)

    def holiday_dates(self) -> frozenset:
        """Its holidays' dates (prefetched by ``with_holidays`` where a list reads many)."""
        return frozenset(holiday.date for holiday in self.holidays.all())


class Holiday(models.Model):
    """A day a calendar is closed: entered by hand or loaded for a country (``holidays``)."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="sla_holiday_date_unique")
        ]

    def __str__(self):
        return f"{self.date} {self.name}"


class SlaPolicyQuerySet(TenantQuerySet):
    def in_order(self):
        """The order in which policies are tried, with what matching and timing read."""
        return self.order_by("position", "id").select_related("calendar")


class SlaPolicy(TenantOwned):
    """Targets in business time for the tickets its conditions match; the first policy (by
    ``position``) whose conditions all match a ticket applies. A condition left empty matches
    every ticket; a target left empty (None) is not measured."""

    # Condition keys: values a ticket's field may take (any one of them matches).
    CONDITIONS = ("priority", "queue", "organization", "channel", "role")

    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(default=0)
    calendar = models.ForeignKey(Calendar, on_delete=models.PROTECT, related_name="policies")
    # {"priority": [...], "queue": [ids], "organization": [ids], "channel": [...],
    #  "role": [role keys of the requester]}
    conditions = models.JSONField(default=dict, blank=True)
    first_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    next_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(null=True, blank=True)
    pause_when_pending = models.BooleanField(default=True)
    # How long before a due time the assignee (or the queue's agents) is warned.
    warn_minutes_before = models.PositiveIntegerField(
        _("warn minutes before"), default=30, validators=[MaxValueValidator(10_080)]
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = SlaPolicyQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "SLA policies"

    def __str__(self):
        return self.name

    def minutes_for(self, target: str) -> int | None:
        return getattr(self, f"{target}_minutes")


class TicketServiceLevels(models.Model):
    """The ticket's service-level fields (Ticket derives from this): the policy that applies,
    the due time of each target, and whether it was met (True), breached (False) or is not
    decided yet (None). Written by tickets.services.service_levels alone.

    ``next_response_*``: the answer owed to the customer's latest reply after the first
    response (``sla_awaiting_since`` is that reply's time; None when no answer is owed);
    ``next_response_met`` is False once any such answer came late, True while all were on
    time. ``sla_paused_since``: the ticket is pending and its policy pauses the clock (the
    due times are None meanwhile; the time paused is read back from the status events).
    """

    sla_policy = models.ForeignKey(
        "tickets.SlaPolicy", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    next_response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    first_response_met = models.BooleanField(null=True, blank=True)
    next_response_met = models.BooleanField(null=True, blank=True)
    resolution_met = models.BooleanField(null=True, blank=True)
    sla_awaiting_since = models.DateTimeField(null=True, blank=True)
    sla_paused_since = models.DateTimeField(null=True, blank=True)
    # Creation to the first response and to the first solve in the policy's business time
    # (pending time left out where it pauses), counted once when each happens: the metrics
    # sum them instead of walking calendars over every ticket of a rebuild.
    first_response_business_seconds = models.PositiveIntegerField(null=True, blank=True)
    resolution_business_seconds = models.PositiveIntegerField(null=True, blank=True)
    # The earliest due time still owed (None: nothing owed, or paused): the workspace's "Due"
    # column, its sort and the "breaching soon" view read this one indexed column.
    sla_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def sla_breached_at(self, now) -> list[str]:
        return breached_targets({column: getattr(self, column) for column in BREACH_COLUMNS}, now)

    def sla_targets(self, now=None) -> list[dict]:
        """Each target the policy measures, as the ticket page lists it: its due time and
        state (``met``, ``breached``, ``paused`` or ``due``)."""
        now = now or timezone.now()
        rows = []
        for target in TARGETS:
            due, met = getattr(self, f"{target}_due_at"), getattr(self, f"{target}_met")
            owed = due is not None and (met is None or target == "next_response")
            if owed:
                state = "breached" if due < now else "due"
            elif met is not None:
                state = "met" if met else "breached"
            elif self.sla_paused_since is not None and self.sla_policy_id is not None:
                state = "paused"
            else:
                continue
            rows.append({"target": target, "due": due, "state": state})
        return rows

    @property
    def sla_breached(self) -> list[str]:
        return self.sla_breached_at(timezone.now())
