"""Who is told what: from one ticket event to the people to tell and the kind of telling.

- ``received``: the requester, when their request is made (the one notice of one's own act);
- ``reply`` and ``solved``: the requester, on a staff public reply and on a solve;
- ``new_request`` and ``customer_reply``: the assignee, or, unassigned, the agents who work
  the ticket's queue (a ticket in no queue: those who work every queue);
- ``mentioned``: staff named in an internal note as ``@`` + their e-mail address
  (``@alice@acme.example``): an address is unique and never a word of prose, where a name
  may be shared by two people or be part of a sentence;
- ``assigned``: the new assignee, unless they took it themselves;
- ``waiting``: supervisors (members who see every ticket), through ``tell_supervisors``;
- ``sla_warning``: the ticket's workers (as a new request), ``sla_breach``: supervisors,
  from the beat job in ``notifications.sla``.

Nobody is told of their own act, and whoever is told must still be allowed, by decide(), to
see the ticket (and, for a note, to read internal notes): a requester whose membership ended
or an agent taken off a queue hears nothing more. Internal notes reach staff only.
"""

from __future__ import annotations

import re

from accounts.access import can
from accounts.models import Membership
from tickets.access import works_queue
from tickets.models import Ticket, TicketEvent, works_every_queue

from .models import Kind

# "@" + an e-mail address, not preceded by a word character (so "bob@acme" is no mention).
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]+@[\w-]+(?:\.[\w-]+)+)")


def mentioned_addresses(text: str) -> list[str]:
    return list(dict.fromkeys(m.group(1).rstrip(".").lower() for m in MENTION.finditer(text)))


def _members(ticket: Ticket):
    return (
        Membership.objects.for_tenant(ticket.tenant)
        .active()
        .select_related("user", "role", "tenant")
        .order_by("pk")
    )


def _member_of(ticket: Ticket, user_id: int | None) -> Membership | None:
    if user_id is None:
        return None
    return _members(ticket).filter(user_id=user_id).first()


def _writes_for_helpdesk(ticket: Ticket, member: Membership | None) -> bool:
    """Whether the author of a reply answers for the helpdesk (not the requester's side)."""
    return (
        member is not None and member.user_id != ticket.requester_id and can(member, "work_tickets")
    )


def ticket_workers(ticket: Ticket) -> list[Membership]:
    """Who hears of a new request or a customer's reply: the assignee, else the queue's agents."""
    assignee = _member_of(ticket, ticket.assignee_id)
    if assignee is not None and can(assignee, "view_ticket", ticket):
        return [assignee]
    staff = [m for m in _members(ticket).staff() if can(m, "work_tickets")]
    if ticket.queue_id is not None:
        return [m for m in staff if works_queue(m, ticket.queue)]
    return [m for m in staff if works_every_queue(m)]


def supervisors(ticket: Ticket) -> list[Membership]:
    """Who hears that a ticket waits: members whose role sees every ticket and who work them."""
    return [m for m in _members(ticket).staff() if m.sees_all_tickets and can(m, "work_tickets")]


def _may_be_told(member: Membership, kind: str, ticket: Ticket) -> bool:
    if not can(member, "view_ticket", ticket):
        return False
    if kind == Kind.MENTIONED:
        return can(member, "view_internal_notes", ticket)
    if kind in (
        Kind.NEW_REQUEST,
        Kind.CUSTOMER_REPLY,
        Kind.ASSIGNED,
        Kind.WAITING,
        Kind.SLA_WARNING,
        Kind.SLA_BREACH,
    ):
        return can(member, "work_tickets")
    return True


def told_of(event: TicketEvent) -> list[tuple[Membership, str]]:
    """The (member, kind) pairs one event tells, each person at most once per kind."""
    ticket = event.ticket
    pairs: list[tuple[Membership, str]] = []
    requester = _member_of(ticket, ticket.requester_id)
    comment = event.comment
    if event.kind == TicketEvent.Kind.CREATED:
        if requester is not None:
            pairs.append((requester, Kind.RECEIVED))
        pairs += [(m, Kind.NEW_REQUEST) for m in ticket_workers(ticket)]
    elif event.kind == TicketEvent.Kind.REPLY and comment is not None and comment.is_public:
        if _writes_for_helpdesk(ticket, _member_of(ticket, comment.author_id)):
            if requester is not None:
                pairs.append((requester, Kind.REPLY))
        else:
            pairs += [(m, Kind.CUSTOMER_REPLY) for m in ticket_workers(ticket)]
    elif event.kind == TicketEvent.Kind.NOTE and comment is not None and not comment.is_public:
        addresses = mentioned_addresses(comment.body)
        if addresses:
            named = _members(ticket).filter(user__email__in=addresses)
            pairs += [(m, Kind.MENTIONED) for m in named]
    elif event.kind == TicketEvent.Kind.STATUS and event.new_value == Ticket.Status.SOLVED:
        if requester is not None:
            pairs.append((requester, Kind.SOLVED))
    elif event.kind == TicketEvent.Kind.ASSIGNEE and event.new_value:
        assignee = _member_of(ticket, ticket.assignee_id)
        if assignee is not None and assignee.user.email.lower() == event.new_value.lower():
            pairs.append((assignee, Kind.ASSIGNED))

    told, seen = [], set()
    for member, kind in pairs:
        own_act = member.user_id == event.actor_id and kind != Kind.RECEIVED
        if own_act or (member.user_id, kind) in seen or not _may_be_told(member, kind, ticket):
            continue
        seen.add((member.user_id, kind))
        told.append((member, kind))
    return told
