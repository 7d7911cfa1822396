"""The service-level beat job: warn a ticket's workers before a target is due, and tell the
supervisors when it is missed; once per target and due time.

The once record is the ticket event itself (kinds ``sla_warn`` and ``sla_breach``, the
target as new_value and the due time as old_value, guarded by a unique constraint): it is
also the timeline's entry. A due time that moves (a new reply owed, a policy edit) is a new
due time and may warn again; the same due time never twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from tickets.models import SlaPolicy, Ticket, TicketEvent
from tickets.models.service_levels import TARGETS

from .models import Kind
from .rules import supervisors, ticket_workers
from .services import tell

# The target's name as the e-mail says it (translated for each reader).
TARGET_WORDS = {
    "first_response": gettext_noop("first response"),
    "next_response": gettext_noop("next response"),
    "resolution": gettext_noop("resolution"),
}

BATCH = 500  # tickets per policy and run; the next run takes the rest


def _pending(target: str, **due) -> Q:
    """The target owed and due as asked (the next response's due time is set only while an
    answer is owed; its ``met`` keeps an earlier late answer)."""
    owed = Q() if target == "next_response" else Q(**{f"{target}_met__isnull": True})
    return owed & Q(**{f"{target}_due_at__{lookup}": value for lookup, value in due.items()})


def _record(ticket: Ticket, kind: str, target: str, due) -> TicketEvent | None:
    """The warning or breach event, or None when it was recorded already."""
    try:
        with transaction.atomic():
            return TicketEvent.objects.create(
                tenant_id=ticket.tenant_id,
                ticket=ticket,
                actor=None,
                kind=kind,
                new_value=target,
                old_value=due.isoformat(),
            )
    except IntegrityError:
        return None


def _candidates(policy: SlaPolicy, target: str, kind: str, now):
    """Open tickets of a policy whose ``target`` is pending and due within its lead time
    (a warning) or past (a breach), not paused, oldest due first."""
    due = {"lte": now + timedelta(minutes=policy.warn_minutes_before), "gte": now}
    if kind == TicketEvent.Kind.SLA_BREACH:
        due = {"lt": now}
    return (
        Ticket.objects.for_tenant(policy.tenant_id)
        .filter(sla_policy=policy, status__in=Ticket.UNSOLVED, sla_paused_since__isnull=True)
        .filter(_pending(target, **due))
        .select_related("tenant", "requester", "queue")
        .order_by(f"{target}_due_at", "pk")
    )


def warn_of_service_levels(now=None) -> dict[str, int]:
    """Beat: the warnings and breaches due now, each told once. How many of each."""
    now = now or timezone.now()
    counts = {"warnings": 0, "breaches": 0}
    for policy in SlaPolicy.objects.order_by("tenant_id", "position", "pk"):
        for target in TARGETS:
            if policy.minutes_for(target) is None:
                continue
            for kind, key in (
                (TicketEvent.Kind.SLA_BREACH, "breaches"),
                (TicketEvent.Kind.SLA_WARNING, "warnings"),
            ):
                if kind == TicketEvent.Kind.SLA_WARNING and not policy.warn_minutes_before:
                    continue
                for ticket in _candidates(policy, target, kind, now)[:BATCH]:
                    due = getattr(ticket, f"{target}_due_at")
                    event = _record(ticket, kind, target, due)
                    if event is None:
                        continue
                    _tell(ticket, event, kind, target)
                    counts[key] += 1
    return counts


def _tell(ticket: Ticket, event: TicketEvent, kind: str, target: str) -> None:
    if kind == TicketEvent.Kind.SLA_WARNING:
        people, told_kind = ticket_workers(ticket), Kind.SLA_WARNING
    else:
        people, told_kind = supervisors(ticket), Kind.SLA_BREACH
    for member in people:
        tell(member=member, kind=told_kind, ticket=ticket, event=event, note=TARGET_WORDS[target])
    TicketEvent.objects.filter(pk=event.pk).update(notified_at=timezone.now())
