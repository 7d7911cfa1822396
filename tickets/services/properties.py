"""A ticket's properties: assignee, priority, queue and tags, one service each; and
update_ticket, which changes several at once by the one map of what each change needs."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.access import ensure
from accounts.models import Membership, User

from ..models import (
    Queue,
    Tag,
    Ticket,
    TicketEvent,
)
from .base import (
    _event,
    _notify_on_commit,
    _refuse_if_closed,
    _touch,
)
from .lifecycle import change_status
from .service_levels import recompute_service_levels


@transaction.atomic
def assign_ticket(*, ticket: Ticket, assignee: User | None, by: User | None, at=None) -> Ticket:
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return ticket
    _refuse_if_closed(ticket)
    old = ticket.assignee.email if ticket.assignee else ""
    ticket.assignee = assignee
    _touch(ticket, at, "assignee")
    event = _event(
        ticket, by, TicketEvent.Kind.ASSIGNEE, old, assignee.email if assignee else "", at=at
    )
    if assignee is not None and (by is None or assignee.pk != by.pk):
        _notify_on_commit(event)  # taking a ticket yourself needs no e-mail
    return ticket


@transaction.atomic
def change_priority(*, ticket: Ticket, to: str, by: User | None, at=None) -> Ticket:
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.priority == to:
        return ticket
    _refuse_if_closed(ticket)
    old, ticket.priority = ticket.priority, to
    _touch(ticket, at, "priority")
    _event(ticket, by, TicketEvent.Kind.PRIORITY, old, to, at=at)
    recompute_service_levels(ticket=ticket, at=at)
    return ticket


@transaction.atomic
def move_to_queue(*, ticket: Ticket, queue: Queue | None, by: User | None, at=None) -> Ticket:
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.queue_id == (queue.pk if queue else None):
        return ticket
    _refuse_if_closed(ticket)
    old = ticket.queue.name if ticket.queue else ""
    ticket.queue = queue
    _touch(ticket, at, "queue")
    _event(ticket, by, TicketEvent.Kind.QUEUE, old, queue.name if queue else "", at=at)
    recompute_service_levels(ticket=ticket, at=at)
    return ticket


@transaction.atomic
def set_tags(*, ticket: Ticket, names: list[str], by: User | None, at=None) -> Ticket:
    at = at or timezone.now()
    names = sorted({n.strip().lower()[:50] for n in names if n.strip()})
    old = sorted(ticket.tags.values_list("name", flat=True))
    if names == old:
        return ticket
    _refuse_if_closed(Ticket.objects.select_for_update().get(pk=ticket.pk))
    tags = [Tag.objects.get_or_create(tenant_id=ticket.tenant_id, name=n)[0] for n in names]
    ticket.tags.set(tags)
    _touch(ticket, at)
    _event(ticket, by, TicketEvent.Kind.TAGS, ", ".join(old), ", ".join(names), at=at)
    return ticket


# The one map of what a change to each field needs: the ticket page, the API's PATCH and the
# workspace's bulk actions all change a ticket through update_ticket, in this order.
FIELD_ACTIONS = {
    "priority": "change_ticket_status",
    "queue": "assign_ticket",
    "assignee": "assign_ticket",
    "tags": "change_ticket_status",
    "status": "change_ticket_status",
}


def _current(ticket: Ticket, field: str):
    """What the field holds now, in the form a change gives it (ids for queue and assignee)."""
    if field == "queue":
        return ticket.queue_id
    if field == "assignee":
        return ticket.assignee_id
    if field == "tags":
        return sorted(tag.name for tag in ticket.tags.all())
    return getattr(ticket, field)


def _asked(field: str, value):
    if field in ("queue", "assignee"):
        return value.pk if value is not None else None
    if field == "tags":
        return sorted({name.strip().lower()[:50] for name in value if name.strip()})
    return value


def _apply(ticket: Ticket, field: str, value, by: User) -> None:
    if field == "priority":
        change_priority(ticket=ticket, to=value, by=by)
    elif field == "queue":
        move_to_queue(ticket=ticket, queue=value, by=by)
    elif field == "assignee":
        assign_ticket(ticket=ticket, assignee=value, by=by)
    elif field == "tags":
        set_tags(ticket=ticket, names=value, by=by)
    else:
        change_status(ticket=ticket, to=value, by=by)


@transaction.atomic
def update_ticket(*, ticket: Ticket, member: Membership, by: User, changes: dict) -> list[str]:
    """Change a ticket's fields (keys of FIELD_ACTIONS), each by its own service; all or nothing.

    A field already holding its value is left alone. Every changed field's action is asked of
    decide() before the first write (Refused names the first one refused); the services then
    refuse a closed ticket (TicketClosed) or a move the lifecycle forbids (InvalidTransition).
    Returns the fields that changed.
    """
    unknown = set(changes) - set(FIELD_ACTIONS)
    if unknown:
        raise ValueError(f"Not a field update_ticket changes: {', '.join(sorted(unknown))}")
    changed = [
        field
        for field in FIELD_ACTIONS
        if field in changes and _asked(field, changes[field]) != _current(ticket, field)
    ]
    for field in changed:
        ensure(member, FIELD_ACTIONS[field], ticket)
    for field in changed:
        _apply(ticket, field, changes[field], by)
    return changed
