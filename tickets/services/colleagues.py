"""The requester shares their request with a colleague of their own organization."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import ensure
from accounts.models import Membership

from ..models import Ticket, TicketColleague, TicketEvent
from .base import TicketClosed, _event


class ColleagueRefused(Exception):  # noqa: N818 (a refusal, like TicketClosed)
    """Not someone this requester can add: ``message`` says why in words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def colleagues_to_add(*, ticket: Ticket, member: Membership):
    """The active members of the requester's organization not yet on the request (none for a
    requester of no organization)."""
    if not member.organization_id:
        return Membership.objects.none()
    already = TicketColleague.objects.of_ticket(ticket).values("user_id")
    return (
        Membership.objects.for_tenant(member.tenant)
        .active()
        .filter(organization_id=member.organization_id)
        .exclude(user_id=ticket.requester_id)
        .exclude(user_id__in=already)
        .select_related("user")
        .order_by("user__name", "user__email")
    )


@transaction.atomic
def add_colleague(
    *, ticket: Ticket, member: Membership, colleague: Membership, at=None
) -> TicketColleague:
    """The requester (decide(): "add_colleague") adds a member of their own organization, who
    then sees the request and writes on it as the requester's side; recorded as an event.
    Adding someone already on it changes nothing."""
    ensure(member, "add_colleague", ticket)
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == Ticket.Status.CLOSED:
        raise TicketClosed(_("This request is closed: no one can be added to it any more."))
    if (
        not member.organization_id
        or colleague.tenant_id != ticket.tenant_id
        or colleague.organization_id != member.organization_id
        or not colleague.is_active
        or colleague.user_id == ticket.requester_id
    ):
        raise ColleagueRefused(_("You can add only an active colleague of your organization."))
    shared, created = TicketColleague.objects.get_or_create(
        ticket=ticket,
        user_id=colleague.user_id,
        defaults={"tenant_id": ticket.tenant_id, "added_by": member.user, "created_at": at},
    )
    if created:
        ticket.updated_at = at
        ticket.save(update_fields=["updated_at"])
        _event(ticket, member.user, TicketEvent.Kind.COLLEAGUE, "", colleague.user.email, at=at)
    return shared
