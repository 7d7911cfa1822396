"""The one service that moves a ticket's service-level fields: which policy applies, when each
target is due, and whether it was met or breached.

Every event that moves them calls ``recompute_service_levels`` on the locked ticket, after the
event is recorded: opening, a reply (``reply_by_staff`` says whose), a status move, a priority
or queue change; a policy or calendar edit recomputes the tenant's open tickets through
``recompute_open_tickets`` (an outbox task). Due times are business time on the policy's
calendar (core.business_time); time in ``pending`` is left out where the policy pauses, read
back from the ticket's status events. A target is decided (met or breached) once, when it is
achieved (the first response, the answer to a customer's reply, the first solve), against
its due time at that moment; a decided target is not moved again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Tenant
from core import versions
from core.business_time import NoBusinessTime, add_business_minutes, business_seconds_between

from ..models import SlaPolicy, Ticket, TicketEvent

SLA_VERSION = "sla_policies:{tenant}"
# How long, at most, a target may be (a year of minutes): the arithmetic stays bounded.
MAX_TARGET_MINUTES = int(timedelta(days=366).total_seconds() // 60)
RECOMPUTE_TASK = "tickets.tasks.recompute_service_levels_task"
SLA_FIELDS = [
    "sla_policy",
    "first_response_due_at",
    "next_response_due_at",
    "resolution_due_at",
    "first_response_met",
    "next_response_met",
    "resolution_met",
    "sla_awaiting_since",
    "sla_paused_since",
    "first_response_business_seconds",
    "resolution_business_seconds",
    "sla_due_at",
]


@dataclass(frozen=True)
class PolicyTerms:
    """A policy as matching and timing read it, with its calendar: plain data, cached per
    tenant under SLA_VERSION (bumped by every policy, calendar or holiday change)."""

    id: int
    name: str
    conditions: dict
    first_response_minutes: int | None
    next_response_minutes: int | None
    resolution_minutes: int | None
    pause_when_pending: bool
    calendar_id: int
    hours: dict
    holidays: frozenset
    time_zone: str

    def minutes_for(self, target: str) -> int | None:
        return getattr(self, f"{target}_minutes")

    def add(self, start: datetime, seconds: float) -> datetime | None:
        """The instant ``seconds`` of business time after ``start``; None if the calendar
        never gets there (e.g. every working day a holiday): no due time to promise."""
        try:
            return add_business_minutes(
                start, seconds / 60, self.hours, self.holidays, self.time_zone
            )
        except NoBusinessTime:
            return None

    def between(self, a: datetime, b: datetime) -> int:
        return business_seconds_between(a, b, self.hours, self.holidays, self.time_zone)

    def clock_seconds(self, start: datetime, end: datetime, pauses) -> int:
        """Business seconds from ``start`` to ``end``, less the pauses (for the metrics)."""
        total, cursor = 0, start
        for begin, finish in pauses:
            if begin > cursor:
                total += self.between(cursor, min(begin, end))
            cursor = max(cursor, finish or end)
            if cursor >= end:
                return total
        return total + self.between(cursor, end)


def sla_version(tenant_id: int) -> str:
    return SLA_VERSION.format(tenant=tenant_id)


def policies_changed(tenant_id: int) -> None:
    """A policy, calendar or holiday changed: cached terms are stale and open tickets move."""
    from outbox.services import enqueue

    versions.bump(sla_version(tenant_id))
    # Again once committed: a request that read the terms between the bump and the commit
    # cached the old ones (a deleted policy a new ticket would then point at).
    transaction.on_commit(lambda: versions.bump(sla_version(tenant_id)))
    enqueue(RECOMPUTE_TASK, tenant_id)


def _read_terms(tenant_id: int) -> list[PolicyTerms]:
    policies = (
        SlaPolicy.objects.for_tenant(tenant_id).in_order().prefetch_related("calendar__holidays")
    )
    return [
        PolicyTerms(
            id=policy.pk,
            name=policy.name,
            conditions=policy.conditions or {},
            first_response_minutes=policy.first_response_minutes,
            next_response_minutes=policy.next_response_minutes,
            resolution_minutes=policy.resolution_minutes,
            pause_when_pending=policy.pause_when_pending,
            calendar_id=policy.calendar_id,
            hours=policy.calendar.spans(),
            holidays=policy.calendar.holiday_dates(),
            time_zone=policy.calendar.time_zone,
        )
        for policy in policies
    ]


def policy_terms(tenant_id: int) -> list[PolicyTerms]:
    """The tenant's policies in the order they are tried (no query while cached)."""
    return versions.cached(
        sla_version(tenant_id), f"sla_terms:{tenant_id}", lambda: _read_terms(tenant_id)
    )


def _facts(ticket: Ticket) -> dict:
    return {
        "priority": ticket.priority,
        "queue": ticket.queue_id,
        "organization": ticket.organization_id,
        "channel": ticket.channel,
    }


def _requester_role(ticket: Ticket) -> str | None:
    member = (
        Membership.objects.for_tenant(ticket.tenant_id)
        .filter(user_id=ticket.requester_id)
        .values_list("role__key", flat=True)
        .first()
    )
    return member


def conditions_match(conditions: dict, facts: dict, role=lambda: None) -> bool:
    """Whether every condition set holds for the ticket's facts (an empty one holds always).
    ``role`` gives the requester's role key, asked only when a policy names roles."""
    for key in SlaPolicy.CONDITIONS:
        wanted = conditions.get(key)
        if not wanted:
            continue
        value = role() if key == "role" else facts.get(key)
        if value not in wanted:
            return False
    return True


def applicable_policy(ticket: Ticket, terms: list[PolicyTerms] | None = None):
    """The first policy whose conditions all match the ticket, or None."""
    terms = policy_terms(ticket.tenant_id) if terms is None else terms
    facts, known = _facts(ticket), {}

    def role():
        if "role" not in known:
            known["role"] = _requester_role(ticket)
        return known["role"]

    return next((t for t in terms if conditions_match(t.conditions, facts, role)), None)


def pending_spans(ticket: Ticket) -> list[tuple[datetime, datetime | None]]:
    """When the ticket was pending, from its status events: (start, end or None if still)."""
    moves = (
        TicketEvent.objects.filter(ticket_id=ticket.pk, kind=TicketEvent.Kind.STATUS)
        .order_by("created_at", "pk")
        .values_list("created_at", "new_value")
    )
    spans, since = [], None
    for at, status in moves:
        if status == Ticket.Status.PENDING and since is None:
            since = at
        elif status != Ticket.Status.PENDING and since is not None:
            spans.append((since, at))
            since = None
    if since is not None:
        spans.append((since, None))
    return spans


def due_with_pauses(terms: PolicyTerms, start: datetime, minutes: int, pauses):
    """When ``minutes`` of business time have run from ``start``, the clock stopped in the
    pauses; None while paused before that point (the due time is not known until it resumes)."""
    remaining, cursor = float(minutes * 60), start
    for begin, finish in pauses:
        if finish is not None and finish <= cursor:
            continue
        if begin > cursor:
            run = terms.between(cursor, begin)
            if run >= remaining:
                return terms.add(cursor, remaining)
            remaining -= run
        if finish is None:
            return None
        cursor = max(cursor, finish)
    return terms.add(cursor, remaining)


def _on_time(done: datetime, due: datetime | None) -> bool:
    # No due time when it was achieved: the clock was paused before the target ran out.
    return due is None or done <= due


def _still_there(policy_id: int) -> bool:
    return SlaPolicy.objects.filter(pk=policy_id).exists()


def plan_service_levels(
    *, ticket: Ticket, at: datetime | None = None, reply_by_staff: bool | None = None
) -> dict:
    """The service-level fields the ticket should hold now (no write): see the module."""
    at = at or timezone.now()
    now = {field: getattr(ticket, _attribute(field)) for field in SLA_FIELDS}
    terms = applicable_policy(ticket)
    if terms is not None and terms.id != now["sla_policy"] and not _still_there(terms.id):
        # Terms kept by another process (no shared cache) named a policy deleted since.
        versions.bump(sla_version(ticket.tenant_id))
        terms = applicable_policy(ticket)
    plan = dict(now, sla_policy=terms.id if terms else None)
    if reply_by_staff is False and ticket.first_response_at and not now["sla_awaiting_since"]:
        plan["sla_awaiting_since"] = at  # the customer wrote again: an answer is owed
    pausing = terms is not None and terms.pause_when_pending
    # A new ticket was never pending (nothing moves back to new): no events to read.
    pauses = pending_spans(ticket) if pausing and ticket.status != Ticket.Status.NEW else []
    paused = ticket.status == Ticket.Status.PENDING and pausing
    plan["sla_paused_since"] = pauses[-1][0] if paused and pauses else None
    starts = {
        "first_response": ticket.created_at,
        "next_response": plan["sla_awaiting_since"],
        "resolution": ticket.created_at,
    }
    for target, start in starts.items():
        if plan[f"{target}_met"] is not None and target != "next_response":
            continue  # decided: its due time stays as it was then
        minutes = terms.minutes_for(target) if terms else None
        if minutes is None or start is None:
            plan[f"{target}_due_at"] = None
        else:
            plan[f"{target}_due_at"] = due_with_pauses(terms, start, minutes, pauses)
    _decide(plan, ticket, terms, at, reply_by_staff)
    _measure(plan, ticket, terms, pauses)
    plan["sla_due_at"] = next_due(plan)
    return plan


def _measure(plan: dict, ticket: Ticket, terms, pauses) -> None:
    """The business time to the first response and to the first solve, once each is known
    (the metrics' durations): counted on the policy's calendar, less the pauses."""
    if terms is None:
        return
    for target, done in (
        ("first_response", ticket.first_response_at),
        ("resolution", ticket.solved_at),
    ):
        field = f"{target}_business_seconds"
        if plan[field] is None and done is not None:
            plan[field] = terms.clock_seconds(ticket.created_at, done, pauses)


def next_due(fields: dict):
    """The earliest due time still owed: a target not decided yet (the next response's is
    set only while an answer is owed), or None."""
    owed = [
        fields["first_response_due_at"] if fields["first_response_met"] is None else None,
        fields["next_response_due_at"],
        fields["resolution_due_at"] if fields["resolution_met"] is None else None,
    ]
    return min((due for due in owed if due is not None), default=None)


def _decide(plan: dict, ticket: Ticket, terms, at: datetime, reply_by_staff) -> None:
    """Met or breached, for the targets achieved by ``at`` and not decided yet. A solve
    answers what is owed too: the customer waits for nothing more."""
    solved = ticket.status in (Ticket.Status.SOLVED, Ticket.Status.CLOSED)
    if plan["first_response_met"] is None and plan["first_response_due_at"] is not None:
        done = ticket.first_response_at or ((ticket.solved_at or at) if solved else None)
        if done is not None:
            plan["first_response_met"] = _on_time(done, plan["first_response_due_at"])
    if plan["sla_awaiting_since"] and (reply_by_staff is True or solved):
        if terms is not None and terms.next_response_minutes is not None:
            on_time = _on_time(at, plan["next_response_due_at"])
            plan["next_response_met"] = on_time and plan["next_response_met"] is not False
        plan["sla_awaiting_since"] = None
        plan["next_response_due_at"] = None
    due = plan["resolution_due_at"]
    if plan["resolution_met"] is None and due is not None and ticket.solved_at is not None:
        plan["resolution_met"] = _on_time(ticket.solved_at, due)


def _attribute(field: str) -> str:
    """The ticket's attribute for a field: the policy's id, never the policy (no query)."""
    return "sla_policy_id" if field == "sla_policy" else field


def _apply(ticket: Ticket, plan: dict) -> list[str]:
    changed = []
    for field in SLA_FIELDS:
        attribute = _attribute(field)
        if getattr(ticket, attribute) != plan[field]:
            setattr(ticket, attribute, plan[field])
            changed.append(field)
    if changed:
        ticket.save(update_fields=changed)
    return changed


def recompute_service_levels(
    *, ticket: Ticket, at: datetime | None = None, reply_by_staff: bool | None = None
) -> Ticket:
    """Bring the ticket's service-level fields up to date; the caller holds its row lock.

    ``reply_by_staff``: the event is a public reply, by the helpdesk (True) or the
    customer's side (False). Writes only the fields that changed (none when no policy
    applies and none ever did: no query but the cached policies').
    """
    _apply(ticket, plan_service_levels(ticket=ticket, at=at, reply_by_staff=reply_by_staff))
    return ticket


def preview_service_levels(*, ticket: Ticket, at: datetime | None = None) -> dict:
    """The dry run: which policy the ticket would get now and its due times (no write)."""
    plan = plan_service_levels(ticket=ticket, at=at)
    terms = next((t for t in policy_terms(ticket.tenant_id) if t.id == plan["sla_policy"]), None)
    return {
        "policy": terms,
        "first_response_due_at": plan["first_response_due_at"],
        "next_response_due_at": plan["next_response_due_at"],
        "resolution_due_at": plan["resolution_due_at"],
        "paused_since": plan["sla_paused_since"],
    }


def recompute_open_tickets(*, tenant: Tenant | int, batch: int = 500) -> int:
    """Recompute every unsolved ticket of the tenant (after a policy or calendar edit), each
    under its row lock, a batch per transaction. Safe to run twice. Returns how many moved."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    moved, last = 0, 0
    while True:
        with transaction.atomic():
            tickets = list(
                Ticket.objects.for_tenant(tenant_id)
                .open()
                .filter(pk__gt=last)
                .order_by("pk")
                .select_for_update(of=("self",))[:batch]
            )
            for ticket in tickets:
                moved += bool(_apply(ticket, plan_service_levels(ticket=ticket)))
        if len(tickets) < batch:
            return moved
        last = tickets[-1].pk
