"""Replies and internal notes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, User

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
from .properties import check_changes, update_ticket
from .service_levels import recompute_service_levels


@transaction.atomic
def add_comment(
    *,
    ticket: Ticket,
    author: User,
    body: str,
    is_public: bool = True,
    at=None,
    opens_new: bool = True,
) -> Comment:
    """A reply or an internal note. A public staff reply is the ticket's first response, and
    moves a new ticket to open (someone is on it), unless ``opens_new`` is False: the caller
    then moves it itself in the same step (answer_ticket, with a status).

    A public reply from the requester's side (the requester, or a colleague the request is
    shared with) moves a pending or solved ticket back to open, recorded as a status change
    by them, and marks the ticket "customer replied" until a public staff reply. A closed
    ticket refuses (TicketClosed).
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
    # The list's "customer replied" marker: since the requester side's first public word
    # after the helpdesk's last public reply, until the helpdesk answers again (notes don't).
    if is_public and by_staff and ticket.customer_replied_at is not None:
        ticket.customer_replied_at = None
        fields.append("customer_replied_at")
    elif is_public and not by_staff and ticket.customer_replied_at is None:
        ticket.customer_replied_at = at
        fields.append("customer_replied_at")
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
    if is_public and (
        (not by_staff and ticket.status in REOPENED_BY_CUSTOMER_REPLY)
        or (by_staff and opens_new and ticket.status == Ticket.Status.NEW)
    ):
        _move(ticket, Ticket.Status.OPEN, by=author, at=at, recompute=False)
    recompute_service_levels(ticket=ticket, at=at, reply_by_staff=by_staff if is_public else None)
    return comment


@transaction.atomic
def answer_ticket(
    *,
    ticket: Ticket,
    member: Membership,
    body: str,
    is_public: bool = True,
    changes: dict | None = None,
    at=None,
) -> Comment:
    """A reply (or note) and changes to the ticket's fields, made together: one step, one
    moment of its timeline ("Send and set pending", a macro). Each change still needs its
    action (update_ticket asks decide() before its first write); all or nothing.
    """
    at = at or timezone.now()
    changes = {field: value for field, value in (changes or {}).items() if value is not None}
    if changes:
        check_changes(ticket=ticket, member=member, changes=changes)
    comment = add_comment(
        ticket=ticket,
        author=member.user,
        body=body,
        is_public=is_public,
        at=at,
        opens_new="status" not in changes,
    )
    if changes:
        ticket = Ticket.objects.get(pk=ticket.pk)  # as the reply left it
        update_ticket(ticket=ticket, member=member, by=member.user, changes=changes, at=at)
    return comment
