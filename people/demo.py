"""Access in the demo once queues and tickets exist (seed_demo runs this after tickets.demo):
a Light agent at work, a temporary queue grant and a waiting access request."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.access import decide
from accounts.demo import DEMO_PASSWORD, LIGHT_AGENT
from accounts.models import Membership
from accounts.services import add_member, find_or_create_user, request_access
from tickets.models import Queue, Ticket
from tickets.services import grant_queue


def seed(ctx) -> str:
    tenant = ctx.tenant
    admin = ctx.people["admin@demo.example"]
    queues = {q.name: q for q in Queue.objects.for_tenant(tenant)}
    if not queues:
        return "no queues yet: skipped"
    # A Light agent who reads the Technical queue and writes internal notes only.
    email, name = LIGHT_AGENT
    liam = find_or_create_user(email=email, password=DEMO_PASSWORD, name=name, verified=True)
    add_member(tenant=tenant, user=liam, role=ctx.extra["light_agent_role"], by=admin)
    first_queue = queues.get("Technical") or next(iter(queues.values()))
    grant_queue(queue=first_queue, user=liam, by=admin)
    # Omar covers Accounts for two weeks: a grant that ends by itself.
    omar = ctx.people.get("omar@demo.example")
    temporary = queues.get("Accounts") or first_queue
    if omar is not None:
        grant_queue(
            queue=temporary, user=omar, by=admin, expires_at=timezone.now() + timedelta(days=14)
        )
    # Omar was refused a Billing ticket and asked for access in one click.
    asked = 0
    billing = queues.get("Billing")
    ticket = (
        Ticket.objects.for_tenant(tenant).filter(queue=billing).order_by("number").first()
        if billing
        else None
    )
    member = Membership.objects.for_tenant(tenant).filter(user=omar).first() if omar else None
    if ticket is not None and member is not None:
        decision = decide(member, "view_ticket", ticket)
        if decision.can_request:
            request_access(
                membership=member,
                action="view_ticket",
                ticket_number=ticket.number,
                reason=" ".join(str(r) for r in decision.reasons),
                note="The customer wrote to me directly; I'd like to help on this one.",
            )
            asked = 1
    return (
        f"Liam works {first_queue.name} as Light agent; Omar covers {temporary.name} for 14 "
        f"days; {asked} access request waiting"
    )
