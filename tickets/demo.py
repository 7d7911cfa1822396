"""Queues, grants and a believable ticket history for the demo helpdesk."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .models import Queue, Ticket
from .services import (
    add_comment,
    assign_ticket,
    change_priority,
    change_status,
    grant_queue,
    open_ticket,
    rate_ticket,
    set_tags,
)

QUEUES = [
    ("Billing", "Invoices, payments, refunds and plan changes."),
    ("Technical", "Errors, outages, integrations and anything that does not work."),
    ("Accounts", "Sign-in, passwords, users and permissions."),
]
GRANTS = {  # agent e-mail -> queues they work
    "agent@demo.example": ["Billing", "Technical"],
    "omar@demo.example": ["Technical"],
    "lena@demo.example": ["Accounts", "Billing"],
}
SUBJECTS = {
    "Billing": [
        "Charged twice for the March invoice",
        "How do I change my billing address?",
        "Refund for the unused seats",
        "Invoice shows the wrong VAT number",
        "Upgrade to the annual plan",
        "Credit card was declined but money left the account",
    ],
    "Technical": [
        "Export to CSV times out",
        "API returns 502 since this morning",
        "Webhook deliveries are delayed",
        "Dashboard shows a blank page in Safari",
        "Attachments over 5 MB fail to upload",
        "SSO login loops back to the start page",
    ],
    "Accounts": [
        "Cannot reset my password",
        "Please add two colleagues to our account",
        "Remove a former employee's access",
        "Two-factor codes are not accepted",
        "Change the owner of our workspace",
    ],
}
REPLIES = [
    "Thanks for reaching out — I'm looking into this now.",
    "Could you send us a screenshot of what you see?",
    "We found the cause and deployed a fix. Could you try again?",
    "I've corrected this on our side; you should see the change within the hour.",
]
CUSTOMER_REPLIES = [
    "Here is the screenshot.",
    "It works now, thank you!",
    "Still happening for me.",
]
NOTES = [
    "Known issue, linked to the incident from Tuesday.",
    "Checked the logs: retry storm from their side.",
    "Escalated to engineering.",
]
RATING_COMMENTS = {
    5: "Fast and friendly, thank you!",
    4: "Solved, took a little while.",
    3: "OK in the end.",
    2: "Too many back-and-forths.",
    1: "Still not happy.",
}


def seed(ctx) -> str:
    rng, tenant = ctx.rng, ctx.tenant
    admin = ctx.people["admin@demo.example"]
    queues = {
        name: Queue.objects.create(tenant=tenant, name=name, description=description)
        for name, description in QUEUES
    }
    for email, names in GRANTS.items():
        for name in names:
            grant_queue(queue=queues[name], user=ctx.people[email], by=admin)
    workers = {name: [ctx.people[e] for e, qs in GRANTS.items() if name in qs] for name in queues}
    customers = ctx.by_role("customer")
    now = timezone.now()
    created = 0
    for day in range(90, -1, -1):
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            queue_name = rng.choice(list(queues))
            at = now - timedelta(days=day, hours=rng.randint(0, 20), minutes=rng.randint(0, 59))
            ticket = open_ticket(
                tenant=tenant,
                requester=rng.choice(customers),
                subject=rng.choice(SUBJECTS[queue_name]),
                description="Hello,\n\nWe noticed this today. Can you help?\n\nThanks",
                queue=queues[queue_name],
                at=at,
            )
            created += 1
            _work(ctx, ticket, workers[queue_name], at, now)
    ctx.extra["queues"] = queues
    return f"{len(queues)} queues, {created} tickets with replies, notes and ratings"


def _work(ctx, ticket: Ticket, workers, at, now):
    """Play a plausible life for one ticket, never past ``now``."""
    rng = ctx.rng

    def later(minutes_low, minutes_high):
        nonlocal at
        at = min(at + timedelta(minutes=rng.randint(minutes_low, minutes_high)), now)
        return at

    if rng.random() < 0.2:
        change_priority(
            ticket=ticket, to=rng.choice(["high", "urgent", "low"]), by=None, at=later(1, 5)
        )
    if rng.random() < 0.08 and (now - at).days < 3:
        return  # still new and unassigned
    agent = rng.choice(workers)
    assign_ticket(ticket=ticket, assignee=agent, by=agent, at=later(5, 240))
    change_status(ticket=ticket, to="open", by=agent, at=at)
    if rng.random() < 0.3:
        add_comment(
            ticket=ticket, author=agent, body=rng.choice(NOTES), is_public=False, at=later(5, 60)
        )
        set_tags(
            ticket=ticket,
            names=rng.sample(["vip", "bug", "refund", "sso", "outage"], 2),
            by=agent,
            at=at,
        )
    add_comment(ticket=ticket, author=agent, body=rng.choice(REPLIES), at=later(10, 600))
    if rng.random() < 0.5:
        add_comment(
            ticket=ticket,
            author=ticket.requester,
            body=rng.choice(CUSTOMER_REPLIES),
            at=later(30, 900),
        )
        add_comment(ticket=ticket, author=agent, body=rng.choice(REPLIES), at=later(10, 300))
    if (now - at).days < 2 and rng.random() < 0.5:
        change_status(ticket=ticket, to="pending", by=agent, at=later(1, 10))
        return
    change_status(ticket=ticket, to="solved", by=agent, at=later(30, 2000))
    if rng.random() < 0.7:
        score = rng.choices([5, 4, 3, 2, 1], weights=[50, 25, 10, 8, 7])[0]
        rate_ticket(
            ticket=ticket,
            score=score,
            comment=RATING_COMMENTS[score],
            by=ticket.requester,
            at=later(10, 600),
        )
    if rng.random() < 0.1:
        change_status(ticket=ticket, to="open", by=ticket.requester, at=later(60, 600))
        add_comment(ticket=ticket, author=agent, body=rng.choice(REPLIES), at=later(10, 300))
        change_status(ticket=ticket, to="solved", by=agent, at=later(30, 600))
    elif rng.random() < 0.4 and (now - at).days > 7:
        change_status(ticket=ticket, to="closed", by=None, at=later(60 * 24 * 4, 60 * 24 * 5))
