"""Status moves (Ticket.NEXT_STATUSES), the requester's own (reopen, solve) and rating."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import ensure
from accounts.models import Membership, User

from ..models import (
    Rating,
    Ticket,
    TicketEvent,
)
from .base import (
    InvalidTransition,
    _event,
    _move,
)


@transaction.atomic
def change_status(*, ticket: Ticket, to: str, by: User | None, at=None) -> Ticket:
    """Any legal move (Ticket.NEXT_STATUSES) by staff, or by a job such as closing."""
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == to:
        return ticket
    if not ticket.can_move_to(to):
        raise InvalidTransition(ticket.status, to)
    return _move(ticket, to, by=by, at=at)


@transaction.atomic
def reopen_ticket(*, ticket: Ticket, by: User, at=None) -> Ticket:
    """The requester's side says a solved request is not solved after all: open again.

    The one status move a customer makes by hand (portal button, API PATCH). New and pending
    tickets are the helpdesk's to move (a reply hands a pending one back by itself), and a
    closed one is final.
    """
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == Ticket.Status.OPEN:
        return ticket
    if ticket.status == Ticket.Status.CLOSED:
        raise InvalidTransition(
            ticket.status,
            Ticket.Status.OPEN,
            _(
                "This request is closed and cannot be reopened. "
                "Open a new request if you need more help."
            ),
        )
    if ticket.status != Ticket.Status.SOLVED:
        raise InvalidTransition(
            ticket.status, Ticket.Status.OPEN, _("Only a solved request can be reopened.")
        )
    return _move(ticket, Ticket.Status.OPEN, by=by, at=at)


@transaction.atomic
def rate_ticket(*, ticket: Ticket, score: int, comment: str = "", by: User, at=None) -> Rating:
    """The requester's rating of a solved ticket; a second rating replaces the first.

    Only while solved: a closed ticket is final, its rating included (as in Zendesk, where a
    rating may change until the ticket closes).
    """
    at = at or timezone.now()
    if not 1 <= int(score) <= 5:
        raise ValueError("A rating is a score from 1 to 5.")
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == Ticket.Status.CLOSED:
        raise InvalidTransition(
            ticket.status, "rated", _("This request is closed: its rating can no longer change.")
        )
    if ticket.status != Ticket.Status.SOLVED:
        raise InvalidTransition(
            ticket.status, "rated", _("You can rate a request once it is solved.")
        )
    rating, created = Rating.objects.update_or_create(
        ticket=ticket,
        defaults={
            "tenant_id": ticket.tenant_id,
            "score": score,
            "comment": comment,
            "agent_id": ticket.assignee_id,
            "updated_at": at,
        },
        create_defaults={
            "tenant_id": ticket.tenant_id,
            "score": score,
            "comment": comment,
            "agent_id": ticket.assignee_id,
            "created_at": at,
            "updated_at": at,
        },
    )
    _event(ticket, by, TicketEvent.Kind.RATED, "", str(score), at=at)
    return rating


@transaction.atomic
def solve_own_request(*, ticket: Ticket, member: Membership, at=None) -> Ticket:
    """The requester says their request needs nothing more: solved, recorded as their move.

    Besides reopening, the one status move a customer makes; only the request's own
    requester may (decide(): "solve_own_request", tickets.access.REQUESTER_ACTIONS). A
    solved request stays so; a closed one is final.
    """
    ensure(member, "solve_own_request", ticket)
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == Ticket.Status.SOLVED:
        return ticket
    if ticket.status == Ticket.Status.CLOSED:
        raise InvalidTransition(
            ticket.status, Ticket.Status.SOLVED, _("This request is closed: it stays as it is.")
        )
    return _move(ticket, Ticket.Status.SOLVED, by=member.user, at=at)
