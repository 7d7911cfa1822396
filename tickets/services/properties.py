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
def assign_ticket(
    *,
    ticket: Ticket,
    assignee: User | None,
    by: User | None,
    at=None,
    reason: str = "",
    about: str = "",
) -> Ticket:
    """Give the ticket to ``assignee`` (None: nobody). ``reason`` and ``about`` say why when a
    rule chose (TicketEvent.Reason: round robin in a queue, cover for an absent person)."""
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return ticket
    _refuse_if_closed(ticket)
    old = ticket.assignee.email if ticket.assignee else ""
    ticket.assignee = assignee
    _touch(ticket, at, "assignee")
    new = assignee.email if assignee else ""
    event = _event(
        ticket, by, TicketEvent.Kind.ASSIGNEE, old, new, at=at, reason=reason, about=about
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
def move_to_queue(
    *, ticket: Ticket, queue: Queue | None, by: User | None, at=None, auto_assign: bool = True
) -> Ticket:
    """Move the ticket; a queue that assigns automatically gives it an assignee who works it
    (unless ``auto_assign`` is off: the same change names the assignee)."""
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
    if auto_assign and queue is not None and queue.assigns_automatically:
        from .assignment import assign_automatically

        return assign_automatically(ticket, at=at, moved=True)
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


def _apply(ticket: Ticket, field: str, value, by: User, changed: list[str], at=None) -> None:
    if field == "priority":
        change_priority(ticket=ticket, to=value, by=by, at=at)
    elif field == "queue":
        # The queue's automatic assignment waits when the same change names the assignee.
        move_to_queue(
            ticket=ticket, queue=value, by=by, at=at, auto_assign="assignee" not in changed
        )
    elif field == "assignee":
        assign_ticket(ticket=ticket, assignee=value, by=by, at=at)
    elif field == "tags":
        set_tags(ticket=ticket, names=value, by=by, at=at)
    else:
        change_status(ticket=ticket, to=value, by=by, at=at)


def _changed(ticket: Ticket, changes: dict) -> list[str]:
    unknown = set(changes) - set(FIELD_ACTIONS)
    if unknown:
        raise ValueError(f"Not a field update_ticket changes: {', '.join(sorted(unknown))}")
    return [
        field
        for field in FIELD_ACTIONS
        if field in changes and _asked(field, changes[field]) != _current(ticket, field)
    ]


def check_changes(*, ticket: Ticket, member: Membership, changes: dict) -> list[str]:
    """What update_ticket would ask before its first write: Refused names the first change
    this member may not make. Returns the fields that would change."""
    changed = _changed(ticket, changes)
    for field in changed:
        ensure(member, FIELD_ACTIONS[field], ticket)
    return changed


@transaction.atomic
def update_ticket(
    *, ticket: Ticket, member: Membership, by: User, changes: dict, at=None
) -> list[str]:
    """Change a ticket's fields (keys of FIELD_ACTIONS), each by its own service; all or nothing.

    A field already holding its value is left alone. Every changed field's action is asked of
    decide() before the first write (Refused names the first one refused); the services then
    refuse a closed ticket (TicketClosed) or a move the lifecycle forbids (InvalidTransition).
    Returns the fields that changed.
    """
    changed = check_changes(ticket=ticket, member=member, changes=changes)
    for field in changed:
        _apply(ticket, field, changes[field], by, changed, at)
    return changed
