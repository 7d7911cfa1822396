"""Absences: a person (or whoever leads them) says when they are away and who covers."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access import can
from ..models import Absence, Membership, User, resolve_cover
from .audit import record_audit


def today_in(tenant) -> date:
    return timezone.localdate(timezone.now(), tenant.zone)


def _absence_state(absence: Absence) -> dict:
    return {
        "user": absence.member.user.email,
        "starts": absence.starts.isoformat(),
        "ends": absence.ends.isoformat(),
        "substitute": absence.substitute.user.email if absence.substitute else None,
        "reason": absence.reason,
        "hands_over": absence.hands_over,
    }


def _loop_day(absence: Absence) -> tuple[date, Membership] | None:
    """A day of the absence on which its cover would come back round to the absent person,
    with the substitute who passes it on; None when every day has an end to the chain."""
    others = list(
        Absence.objects.for_tenant(absence.tenant_id)
        .overlapping(absence.starts, absence.ends)
        .exclude(member_id=absence.member_id)
        .exclude(substitute__isnull=True)
    )
    # The chain changes only on days an absence begins: test those.
    days = {absence.starts} | {a.starts for a in others if a.starts > absence.starts}
    for day in sorted(d for d in days if d <= absence.ends):
        away = {a.member_id: a.substitute_id for a in others if a.starts <= day <= a.ends}
        away[absence.member_id] = absence.substitute_id
        if resolve_cover(away, absence.member_id) is None:
            return day, absence.substitute
    return None


@transaction.atomic
def set_absence(
    *,
    member: Membership,
    starts: date,
    ends: date,
    substitute: Membership | None = None,
    reason: str = "",
    hands_over: bool = True,
    by: User | None,
) -> Absence:
    """Record that ``member`` is away from ``starts`` to ``ends`` (both days), covered by
    ``substitute``. Refused with a ValidationError naming the field: an end before the start
    or in the past, a second absence over the same days, a substitute who is not active staff
    of the helpdesk (or the person themselves), or a cover that would go round in a circle."""
    errors: dict[str, str] = {}
    if not can(member, "work_tickets"):
        errors["__all__"] = _("Only people who work tickets are set away: others are given none.")
    if ends < starts:
        errors["ends"] = _("The last day away cannot be before the first.")
    elif ends < today_in(member.tenant):
        errors["ends"] = _("This absence would be over already.")
    elif (
        Absence.objects.for_tenant(member.tenant_id)
        .filter(member=member)
        .overlapping(starts, ends)
        .exists()
    ):
        errors["starts"] = _("%(name)s is already away on some of these days.") % {
            "name": member.user
        }
    if substitute is not None:
        if substitute.pk == member.pk:
            errors["substitute"] = _("Someone else must cover for an absence.")
        elif (
            substitute.tenant_id != member.tenant_id
            or not Membership.objects.for_tenant(member.tenant_id)
            .active()
            .staff()
            .filter(pk=substitute.pk)
            .exists()
        ):
            errors["substitute"] = _("The substitute must be an active member of the staff.")
    if errors:
        raise ValidationError(errors)
    absence = Absence(
        tenant_id=member.tenant_id,
        member=member,
        starts=starts,
        ends=ends,
        substitute=substitute,
        reason=reason.strip()[:200],
        hands_over=hands_over and substitute is not None,
        created_by=by,
    )
    if substitute is not None and (loop := _loop_day(absence)):
        raise ValidationError(
            {
                "substitute": _(
                    "On %(day)s %(name)s is away too, and their cover leads back here: "
                    "nobody would be at work. Choose someone else."
                )
                % {"day": loop[0].isoformat(), "name": loop[1].user}
            }
        )
    absence.save()
    record_audit(
        tenant=member.tenant,
        actor=by,
        action="absence.set",
        target=absence,
        after=_absence_state(absence),
    )
    return absence


@transaction.atomic
def cancel_absence(*, absence: Absence, by: User | None) -> None:
    """Withdraw an absence that has not begun (one under way ends on its last day)."""
    if absence.starts <= today_in(absence.member.tenant):
        raise ValidationError(_("This absence has begun: it ends on its last day."))
    record_audit(
        tenant=absence.member.tenant,
        actor=by,
        action="absence.cancelled",
        target=absence,
        before=_absence_state(absence),
        after=None,
    )
    absence.delete()
