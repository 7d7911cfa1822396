"""Replies and internal notes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from ..models import (
    Comment,
    Ticket,
    TicketEvent,
)
from .base import (
    REOPENED_BY_CUSTOMER_REPLY,
    TicketClosed,
    _event,
    _move,
    _notify_on_commit,
    _touch,
    _writes_for_helpdesk,
)
from .service_levels import recompute_service_levels


@transaction.atomic
def add_comment(
    *, ticket: Ticket, author: User, body: str, is_public: bool = True, at=None
) -> Comment:
    """A reply or an internal note. A public staff reply is the ticket's first response.

    A public reply from the requester's side (the requester, or a colleague the request is
    shared with) moves a pending or solved ticket back to open, recorded as a status change
    by them. A closed ticket refuses (TicketClosed).
    """
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == Ticket.Status.CLOSED:
        raise TicketClosed
    comment = Comment.objects.create(
        tenant_id=ticket.tenant_id,
        ticket=ticket,
        author=author,
        body=body,
        is_public=is_public,
        created_at=at,
    )
    fields = []
    by_staff = _writes_for_helpdesk(ticket=ticket, author=author)
    if is_public and by_staff and ticket.first_response_at is None:
        ticket.first_response_at = at
        fields.append("first_response_at")
    _touch(ticket, at, *fields)
    event = _event(
        ticket,
        author,
        TicketEvent.Kind.REPLY if is_public else TicketEvent.Kind.NOTE,
        at=at,
        comment=comment,
    )
    # Every public reply tells someone (the requester of a staff reply, the agents of a
    # customer's); a note only those it mentions (``@`` + an address), never a customer.
    if is_public or "@" in body:
        _notify_on_commit(event)
    if is_public and not by_staff and ticket.status in REOPENED_BY_CUSTOMER_REPLY:
        _move(ticket, Ticket.Status.OPEN, by=author, at=at, recompute=False)
    recompute_service_levels(ticket=ticket, at=at, reply_by_staff=by_staff if is_public else None)
    return comment
