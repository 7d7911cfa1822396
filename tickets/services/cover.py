"""Cover for absent colleagues: an absence's open tickets go to whoever covers when it
begins, and those still open and still with them go back when it ends. Run by a beat job
(and at once when an absence is set that has begun); stamped on the absence, so twice is once."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import Absence, Membership, Tenant, resolve_cover

from ..models import Ticket, TicketEvent
from .properties import assign_ticket


def cover_for(member: Membership, day) -> Membership | None:
    """Who covers for the member on ``day``: their substitute, or (if away) that one's, and
    so on; nobody when the chain loops or ends with nobody."""
    away = dict(
        Absence.objects.for_tenant(member.tenant_id)
        .on(day)
        .values_list("member_id", "substitute_id")
    )
    cover_id = resolve_cover(away, member.pk)
    if cover_id is None:
        return None
    return (
        Membership.objects.for_tenant(member.tenant_id)
        .active()
        .select_related("user")
        .filter(pk=cover_id)
        .first()
    )


def _hand_over(absence: Absence, *, day, now) -> int:
    member = absence.member
    cover = cover_for(member, day)
    if cover is None:
        return 0  # nobody at work to cover today: tried again on the next run
    tickets = Ticket.objects.for_tenant(absence.tenant_id).filter(
        assignee_id=member.user_id, status__in=Ticket.UNSOLVED
    )
    handed = 0
    for ticket in tickets.order_by("pk"):
        assign_ticket(
            ticket=ticket,
            assignee=cover.user,
            by=None,
            at=now,
            reason=TicketEvent.Reason.HANDED_OVER,
            about=member.user.email,
        )
        handed += 1
    absence.handed_over_at = now
    absence.save(update_fields=["handed_over_at"])
    return handed


def _hand_back(absence: Absence, *, now) -> int:
    """Tickets handed over for this absence that are still open and still with the one they
    were handed to go back to the person who returned."""
    member = absence.member
    day = timezone.localdate(now, member.tenant.zone)
    if Absence.objects.for_tenant(member.tenant_id).on(day).filter(member=member).exists():
        return 0  # away again: the tickets stay with whoever covers until the return
    handed = (
        TicketEvent.objects.for_tenant(absence.tenant_id)
        .filter(
            kind=TicketEvent.Kind.ASSIGNEE,
            reason=TicketEvent.Reason.HANDED_OVER,
            reason_about=member.user.email,
            created_at__gte=absence.handed_over_at,
        )
        .select_related("ticket__assignee")
        .order_by("pk")
    )
    back = 0
    # Gone (deactivated): the tickets stay with whoever covered.
    for event in handed if member.is_active else []:
        ticket = event.ticket
        holder = ticket.assignee.email if ticket.assignee else ""
        if ticket.status in Ticket.UNSOLVED and holder == event.new_value:
            assign_ticket(
                ticket=ticket,
                assignee=member.user,
                by=None,
                at=now,
                reason=TicketEvent.Reason.HANDED_BACK,
                about=holder,
            )
            back += 1
    absence.handed_back_at = now
    absence.save(update_fields=["handed_back_at"])
    return back


def cover_absences(*, now=None, tenant: Tenant | None = None) -> tuple[int, int]:
    """Hand over the tickets of absences that have begun and back those of absences that
    ended; returns (handed over, handed back). Each absence is done in its own transaction
    under its row lock (another run skips it)."""
    now = now or timezone.now()
    tenants = [tenant] if tenant is not None else Tenant.objects.order_by("pk")
    over = back = 0
    for each in tenants:
        day = timezone.localdate(now, each.zone)
        absences = Absence.objects.for_tenant(each)
        begun = absences.on(day).filter(hands_over=True, handed_over_at__isnull=True)
        ended = absences.filter(
            ends__lt=day, handed_over_at__isnull=False, handed_back_at__isnull=True
        )
        for absence_id in begun.values_list("pk", flat=True):
            with transaction.atomic():
                absence = _locked(absence_id)
                if absence is not None and absence.handed_over_at is None:
                    over += _hand_over(absence, day=day, now=now)
        for absence_id in ended.values_list("pk", flat=True):
            with transaction.atomic():
                absence = _locked(absence_id)
                if absence is not None and absence.handed_back_at is None:
                    back += _hand_back(absence, now=now)
    return over, back


def _locked(absence_id: int) -> Absence | None:
    return (
        Absence.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("member__user", "member__tenant")
        .filter(pk=absence_id)
        .first()
    )
