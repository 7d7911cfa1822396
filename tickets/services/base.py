"""What the ticket services share: their refusals, the event every change records, a move."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, User
from outbox.services import enqueue

from ..models import (
    Ticket,
    TicketEvent,
)
from .service_levels import recompute_service_levels


class InvalidTransition(Exception):  # noqa: N818
    """A status move the lifecycle does not allow; ``reason``, when given, says why in words."""

    def __init__(self, old: str, new: str, reason: str = ""):
        super().__init__(reason or f"A ticket cannot move from {old} to {new}.")
        self.old, self.new, self.reason = old, new, reason


class TicketClosed(Exception):  # noqa: N818 (a refusal, like InvalidTransition)
    """A closed ticket is final: it takes no more replies, notes or files, and its
    properties (assignee, priority, queue, tags) stay as they were when it closed."""

    def __init__(self, message: str = ""):
        self.message = message or _(
            "This ticket is closed: it takes no more replies, notes or files. "
            "Open a new request to follow up."
        )
        super().__init__(self.message)


def _refuse_if_closed(ticket: Ticket) -> None:
    """A property change to a closed ticket: refused (its record stays as it was closed)."""
    if ticket.status == Ticket.Status.CLOSED:
        raise TicketClosed(
            _("This ticket is closed: its assignee, priority, queue and tags no longer change.")
        )


# A reply from the requester's side hands these back to the helpdesk: pending was waiting
# on them, and a reply to a solved request means it was not solved after all (Zendesk's rule).
REOPENED_BY_CUSTOMER_REPLY = (Ticket.Status.PENDING, Ticket.Status.SOLVED)


def _event(
    ticket: Ticket,
    by: User | None,
    kind: str,
    old="",
    new="",
    at=None,
    comment=None,
    *,
    reason: str = "",
    about: str = "",
) -> TicketEvent:
    return TicketEvent.objects.create(
        tenant_id=ticket.tenant_id,
        ticket=ticket,
        actor=by,
        kind=kind,
        old_value=str(old or "")[:200],
        new_value=str(new or "")[:200],
        created_at=at or timezone.now(),
        comment=comment,
        reason=reason,
        reason_about=str(about or "")[:200],
    )


NOTIFY_TASK = "notifications.tasks.notify_event_task"


def _notify_on_commit(event: TicketEvent) -> None:
    """Tell whom this event concerns once the transaction commits (never while muted, e.g.
    the demo). The notifications app, a layer above, decides who and how; it is named here,
    not imported."""
    from ..notifications import is_muted

    if is_muted():
        return
    enqueue(NOTIFY_TASK, event.pk)


def _touch(ticket: Ticket, at, *fields: str) -> None:
    ticket.updated_at = at
    ticket.save(update_fields=[*fields, "updated_at"])


def _writes_for_helpdesk(*, ticket: Ticket, author: User) -> bool:
    """Whether this author writes for the helpdesk on this ticket (not as its requester)."""
    return (
        author.pk != ticket.requester_id
        and Membership.objects.for_tenant(ticket.tenant).staff().filter(user=author).exists()
    )


def _move(
    ticket: Ticket,
    to: str,
    *,
    by: User | None,
    at,
    reason: str = "",
    about: str = "",
    recompute: bool = True,
) -> Ticket:
    """Apply a legal move to a locked ticket and record it: the event metrics count from.
    Its due times move with it (``recompute=False``: the caller recomputes them itself)."""
    old = ticket.status
    ticket.status = to
    fields = ["status"]
    if to == Ticket.Status.SOLVED and ticket.solved_at is None:
        ticket.solved_at = at
        fields.append("solved_at")
    if old in (Ticket.Status.SOLVED, Ticket.Status.CLOSED) and to in Ticket.UNSOLVED:
        ticket.reopened_count += 1
        fields.append("reopened_count")
    _touch(ticket, at, *fields)
    event = _event(ticket, by, TicketEvent.Kind.STATUS, old, to, at=at, reason=reason, about=about)
    if recompute:
        recompute_service_levels(ticket=ticket, at=at)
    if to == Ticket.Status.SOLVED:
        _notify_on_commit(event)
    return ticket


def _iso(value):
    return value.isoformat() if value else None
