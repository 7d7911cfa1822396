"""Automatic assignment: which of a queue's available agents a ticket goes to, and why.

One service, ``assign_automatically``, called when a ticket is opened in a queue that assigns
by itself and when a ticket moves into one. It runs under the queue's row lock, so that two
tickets opened at once take their turns one after the other (the round robin's cursor is the
queue's ``last_assignee``, read and moved under that lock) and never race to the last slot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.access import can
from accounts.models import Absence, Membership

from ..access import works_queue
from ..models import Queue, Ticket, TicketEvent, granted_queue_ids
from .properties import assign_ticket

# Rules that lower a member's capacity, plugged in by apps above tickets (knowledge lowers
# it while the member's onboarding checklist is not done): rule(member, capacity) -> capacity.
_CAPACITY_RULES: list[Callable[[Membership, int], int]] = []


def register_capacity_rule(rule: Callable[[Membership, int], int]) -> None:
    if rule not in _CAPACITY_RULES:
        _CAPACITY_RULES.append(rule)


def capacity_of(member: Membership) -> int | None:
    """Most open tickets automatic assignment gives the member (None: no limit)."""
    if member.capacity is None:
        return None
    capacity = member.capacity
    for rule in _CAPACITY_RULES:
        capacity = min(capacity, rule(member, capacity))
    return capacity


@dataclass(frozen=True)
class Candidate:
    member: Membership
    open_tickets: int
    capacity: int | None

    @property
    def has_room(self) -> bool:
        return self.capacity is None or self.open_tickets < self.capacity


def is_agent_of(member: Membership, queue: Queue) -> bool:
    """Whether the queue's automatic assignment counts the member among its agents: a grant
    of the queue, or an agent's role where the tenant lets agents work every queue.
    Supervisors and admins see every queue, but take turns only in those granted to them."""
    if member.works_queues and member.tenant.agents_work_all_queues:
        return True
    return queue.pk in granted_queue_ids(member)


def away_member_ids(tenant_id: int, day) -> set[int]:
    return set(Absence.objects.for_tenant(tenant_id).on(day).values_list("member_id", flat=True))


def open_tickets_by_assignee(tenant_id: int, user_ids) -> dict[int, int]:
    """Each person's open (unsolved) tickets in the helpdesk: their load, whatever the queue."""
    counts = (
        Ticket.objects.for_tenant(tenant_id)
        .filter(status__in=Ticket.UNSOLVED, assignee_id__in=list(user_ids))
        .order_by()
        .values("assignee_id")
        .annotate(n=Count("pk"))
    )
    return {row["assignee_id"]: row["n"] for row in counts}


def available_agents(queue: Queue, *, now=None) -> list[Candidate]:
    """The queue's agents who may get a ticket now, in a stable order (by user id): active,
    allowed to work tickets, agents of this queue, not away today, and under their capacity."""
    now = now or timezone.now()
    day = timezone.localdate(now, queue.tenant.zone)
    away = away_member_ids(queue.tenant_id, day)
    members = [
        member
        for member in Membership.objects.for_tenant(queue.tenant_id)
        .active()
        .staff()
        .select_related("role", "user", "tenant")
        .order_by("user_id")
        if member.pk not in away and can(member, "work_tickets") and is_agent_of(member, queue)
    ]
    load = open_tickets_by_assignee(queue.tenant_id, [m.user_id for m in members])
    candidates = [Candidate(m, load.get(m.user_id, 0), capacity_of(m)) for m in members]
    return [candidate for candidate in candidates if candidate.has_room]


def _round_robin(queue: Queue, candidates: list[Candidate]) -> Candidate:
    """The first agent after the one who got the last ticket, by user id, wrapping around."""
    last = queue.last_assignee_id or 0
    after = [c for c in candidates if c.member.user_id > last]
    return (after or candidates)[0]


def _least_loaded(candidates: list[Candidate]) -> Candidate:
    return min(candidates, key=lambda c: (c.open_tickets, c.member.user_id))


@transaction.atomic
def assign_automatically(ticket: Ticket, *, at=None, moved: bool = False) -> Ticket:
    """Give the ticket to one of its queue's available agents, by the queue's rule.

    Nothing happens in a manual queue, for a ticket solved or closed, when nobody is
    available, or (after a move, ``moved``) when its assignee already works the new queue.
    The change is an assignee event with its reason (round robin or least loaded) and the
    queue's name, by the helpdesk itself (no actor).
    """
    if ticket.queue_id is None or ticket.status not in Ticket.UNSOLVED:
        return ticket
    # The lock that makes turns exact: concurrent assignments in this queue wait here.
    queue = (
        Queue.objects.select_for_update(of=("self",))
        .select_related("tenant")
        .get(pk=ticket.queue_id)
    )
    if not queue.assigns_automatically:
        return ticket
    if moved and ticket.assignee_id is not None:
        holder = Membership.objects.for_tenant(queue.tenant_id).filter(user_id=ticket.assignee_id)
        holder = holder.select_related("role", "tenant").first()
        if holder is not None and holder.is_active and works_queue(holder, queue):
            return ticket
    candidates = available_agents(queue, now=at)
    if not candidates:
        return ticket
    if queue.assignment == Queue.Assignment.ROUND_ROBIN:
        chosen, reason = _round_robin(queue, candidates), TicketEvent.Reason.ROUND_ROBIN
    else:
        chosen, reason = _least_loaded(candidates), TicketEvent.Reason.LEAST_LOADED
    queue.last_assignee_id = chosen.member.user_id
    queue.save(update_fields=["last_assignee"])
    return assign_ticket(
        ticket=ticket,
        assignee=chosen.member.user,
        by=None,
        at=at,
        reason=reason,
        about=queue.name,
    )
