"""Queues, grants and a believable ticket history for the demo helpdesk."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Membership, Role

from . import presence
from .models import Queue, Ticket
from .notifications import muted
from .services import (
    add_comment,
    add_macro,
    assign_ticket,
    attach_file,
    change_priority,
    change_status,
    create_calendar,
    create_sla_policy,
    grant_queue,
    open_ticket,
    rate_ticket,
    save_filter,
    save_notification_template,
    set_tags,
    share_team_view,
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
    # Months of history are replayed here: nobody should get e-mails about them.
    with muted():
        return _seed(ctx)


def _seed(ctx) -> str:
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
    _service_levels(ctx, admin)
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
    files = _attachments(ctx)
    _saved_filters(ctx)
    _notification_wording(ctx, admin)
    _macros(ctx)
    viewed = _being_viewed(ctx)
    return (
        f"{len(queues)} queues, {created} tickets with replies, notes, tags and ratings, "
        f"{files} attachments, saved and team views, custom e-mail wording, macros, "
        f"#{viewed} being viewed"
    )


def _png(width=24, height=24, rgb=(11, 92, 173)) -> bytes:
    """A small solid PNG, made here so the demo ships no binary files."""
    row = b"\x00" + bytes(rgb) * width
    raw = row * height

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _attachments(ctx) -> int:
    """Screenshots and logs on some recent tickets, from the requester and from agents."""
    # A closed ticket takes no more files or replies.
    tickets = list(
        Ticket.objects.for_tenant(ctx.tenant)
        .exclude(status=Ticket.Status.CLOSED)
        .select_related("requester")[:6]
    )
    count = 0
    for index, ticket in enumerate(tickets):
        if index % 2 == 0:
            upload = SimpleUploadedFile("screenshot.png", _png(), content_type="image/png")
            attach_file(ticket=ticket, upload=upload, by=ticket.requester)
        else:
            log = (
                b"2026-03-02T10:14:03Z POST /api/v1/export 502 Bad Gateway (31.2s)\n"
                b"2026-03-02T10:14:40Z POST /api/v1/export 502 Bad Gateway (30.9s)\n"
            )
            comment = add_comment(
                ticket=ticket,
                author=ticket.requester,
                body="Attaching the log from our side.",
                at=ticket.updated_at,
            )
            upload = SimpleUploadedFile("export.log.txt", log, content_type="text/plain")
            attach_file(ticket=ticket, upload=upload, by=ticket.requester, comment=comment)
        count += 1
    return count


def _saved_filters(ctx) -> None:
    views = {
        "agent@demo.example": [
            ("Urgent in my queues", "view=queues&priority=urgent&priority=high&status=open"),
            ("Refunds", "view=queues&tag=refund"),
        ],
        "supervisor@demo.example": [
            ("Unassigned, oldest first", "view=unassigned&sort=created"),
            ("Acme Corp", f"view=all&organization={ctx.organizations['Acme Corp'].pk}"),
        ],
    }
    for email, entries in views.items():
        for name, query in entries:
            save_filter(tenant=ctx.tenant, owner=ctx.people[email], name=name, query=query)
    # A team view the admin shares with every agent: the most urgent open work first.
    admin = Membership.objects.for_tenant(ctx.tenant).get(user=ctx.people["admin@demo.example"])
    share_team_view(
        by=admin,
        name="Urgent first",
        query="view=queues&status=new&status=open&sort=-priority",
        roles=[Role.objects.for_tenant(ctx.tenant).get(key="agent")],
        queues=[],
    )


def _macros(ctx) -> None:
    """Canned replies: two shared by the admin (everyone, the agents), one agent's own."""
    members = {
        m.user.email: m
        for m in Membership.objects.for_tenant(ctx.tenant).select_related("user", "role")
    }
    admin, agent = members["admin@demo.example"], members["agent@demo.example"]
    add_macro(
        member=admin,
        name="Refund on its way",
        body=(
            "Hello {{ requester.name }},\n\nWe refunded the charge on #{{ ticket.number }}; "
            "it reaches your account within five working days.\n\n{{ agent.name }}"
        ),
        sets={"status": "solved", "tags": ["refund"]},
        shared_with="tenant",
    )
    add_macro(
        member=admin,
        name="Need more details",
        body=(
            "Hello {{ requester.name }},\n\nCould you send us a screenshot and the time it "
            "happened? We keep #{{ ticket.number }} waiting for your answer.\n\n{{ agent.name }}"
        ),
        sets={"status": "pending"},
        shared_with="agent",
    )
    add_macro(
        member=agent,
        name="Taking this",
        body="Taking this one; I know this customer.",
        is_public=False,
        sets={"assignee": "me", "priority": "high"},
    )


def _service_levels(ctx, admin) -> None:
    """Office hours for most requests, around the clock for urgent ones."""
    tenant = ctx.tenant
    office = create_calendar(
        tenant=tenant,
        by=admin,
        name="Office hours",
        time_zone=tenant.time_zone,
        hours=[{"weekday": day, "start": "09:00", "end": "17:00"} for day in range(5)],
        holidays=[f"{timezone.now().year}-12-25", f"{timezone.now().year + 1}-01-01"],
    )
    always = create_calendar(tenant=tenant, by=admin, name="Around the clock")
    create_sla_policy(
        tenant=tenant,
        by=admin,
        name="Urgent",
        calendar=always,
        conditions={"priority": ["urgent", "high"]},
        first_response_minutes=60,
        next_response_minutes=60,
        resolution_minutes=8 * 60,
    )
    create_sla_policy(
        tenant=tenant,
        by=admin,
        name="Standard",
        calendar=office,
        first_response_minutes=4 * 60,
        next_response_minutes=8 * 60,
        resolution_minutes=5 * 8 * 60,
    )


def _notification_wording(ctx, admin) -> None:
    save_notification_template(
        tenant=ctx.tenant,
        kind="solved",
        subject="[Demo Helpdesk] We solved #{{ number }}: {{ subject }}",
        body=(
            "Hi {{ requester_name }},\n\n"
            "Good news: {{ agent_name }} solved your request #{{ number }} ({{ subject }}).\n"
            "Not quite right? Reply or reopen it here: {{ ticket_url }}\n\n"
            "Tell us how we did (you confirm the score on the next page):\n"
            "{{ rating_links }}\n\n"
            "Thanks for being with us,\nThe Demo Helpdesk team"
        ),
        by=admin,
    )


def _being_viewed(ctx) -> int:
    """Omar has the newest open ticket open (shows while the demo's cache keeps it)."""
    ticket = Ticket.objects.for_tenant(ctx.tenant).open().order_by("-created_at").first()
    if ticket is None:
        return 0
    presence.heartbeat(
        ticket_id=ticket.pk, user=ctx.people["omar@demo.example"], state="replying", hold=3600
    )
    return ticket.number


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
