"""Absences (out of office): who is away when, and who covers for them."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..tenancy import TenantOwned, TenantQuerySet
from .memberships import Membership
from .users import User


class AbsenceQuerySet(TenantQuerySet):
    def on(self, day: date):
        """Absences that cover this day (both ends are days away)."""
        return self.filter(starts__lte=day, ends__gte=day)

    def not_over(self, day: date):
        """Absences now or to come: what the pages list."""
        return self.filter(ends__gte=day)

    def overlapping(self, starts: date, ends: date):
        return self.filter(starts__lte=ends, ends__gte=starts)


class Absence(TenantOwned):
    """A member is away from ``starts`` to ``ends`` (both days included); ``substitute`` covers."""

    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="absences")
    starts = models.DateField(_("first day away"))
    ends = models.DateField(_("last day away"))
    substitute = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="covering",
        verbose_name=_("covered by"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    hands_over = models.BooleanField(
        _("hand open tickets to the substitute"),
        default=True,
        help_text=_("They come back when the absence ends, if still open and still with them."),
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The cover job's stamps: a run twice hands over (and back) once.
    handed_over_at = models.DateTimeField(null=True, blank=True)
    handed_back_at = models.DateTimeField(null=True, blank=True)

    objects = AbsenceQuerySet.as_manager()

    class Meta:
        ordering = ["starts", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gte=F("starts")), name="absence_ends_after")
        ]
        indexes = [
            # Who is away today, and the cover job's absences that began or ended.
            models.Index(fields=["tenant", "ends", "starts"], name="absence_current"),
        ]

    def __str__(self):
        return f"{self.member.user} away {self.starts}–{self.ends}"


def resolve_cover(away: dict[int, int | None], member_id: int) -> int | None:
    """Who covers for ``member_id`` given ``away`` (absent membership id -> their substitute's).

    A substitute who is away passes the work to their own substitute, and so on; a chain that
    comes back to someone already asked stops there (nobody covers: a loop has no one at work).
    """
    seen = {member_id}
    current = away.get(member_id)
    while current is not None and current in away:
        if current in seen:
            return None
        seen.add(current)
        current = away[current]
    return None if current in seen else current
