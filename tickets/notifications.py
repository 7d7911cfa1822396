"""E-mails about ticket events: the requester on staff replies and solves, the assignee.

Tenants word them with NotificationTemplate rows (placeholders like ``{{ number }}``); without
one, the defaults in templates/tickets/email/ are used. Placeholders are substituted as plain
text, never evaluated as a template, so a tenant's wording cannot reach into our objects.
Internal notes never appear: only public replies are quoted, and only reply events carry text.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.mail import subject_line

from .models import NotificationTemplate, Ticket, TicketEvent
from .rating_links import link

PLACEHOLDERS = [
    "helpdesk",
    "number",
    "subject",
    "requester_name",
    "agent_name",
    "reply",
    "ticket_url",
    "rating_links",
]
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_muted: ContextVar[bool] = ContextVar("tickets_notifications_muted", default=False)


@contextmanager
def muted():
    """No e-mails for events made inside (the demo replays months of history)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    return _muted.get()


def default_text(kind: str) -> tuple[str, str]:
    # The files are wordings with placeholders, read as text, never rendered as templates.
    subject = Path(get_template(f"tickets/email/{kind}_subject.txt").origin.name).read_text()
    body = Path(get_template(f"tickets/email/{kind}_body.txt").origin.name).read_text()
    return subject.strip(), body


def wording(tenant, kind: str) -> tuple[str, str]:
    custom = NotificationTemplate.objects.for_tenant(tenant).filter(kind=kind).first()
    if custom is not None:
        return custom.subject, custom.body
    return default_text(kind)


def unknown_placeholders(text: str) -> list[str]:
    """The ``{{ names }}`` in a wording that no e-mail can fill, and stray template tags."""
    unknown = [m.group(1) for m in _PLACEHOLDER.finditer(text) if m.group(1) not in PLACEHOLDERS]
    leftover = _PLACEHOLDER.sub("", text)
    unknown += [tag for tag in ("{{", "}}", "{%", "%}") if tag in leftover]
    return list(dict.fromkeys(unknown))


def fill(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def ticket_url(ticket: Ticket) -> str:
    path = reverse("tickets:ticket", args=[ticket.tenant.slug, ticket.number])
    return settings.SITE_URL.rstrip("/") + path


def rating_links(ticket: Ticket) -> str:
    """Signed links that work without signing in; each opens the page that confirms the score."""
    return "\n".join(f"  {score}: {link(ticket, score)}" for score in range(1, 6))


def _kind_and_recipient(event: TicketEvent) -> tuple[str, User] | None:
    ticket = event.ticket
    if event.kind == TicketEvent.Kind.REPLY:
        if event.comment is None or not event.comment.is_public:
            return None
        return NotificationTemplate.Kind.REPLY, ticket.requester
    if event.kind == TicketEvent.Kind.STATUS and event.new_value == Ticket.Status.SOLVED:
        return NotificationTemplate.Kind.SOLVED, ticket.requester
    if event.kind == TicketEvent.Kind.ASSIGNEE and event.new_value:
        assignee = User.objects.filter(email__iexact=event.new_value).first()
        return (NotificationTemplate.Kind.ASSIGNED, assignee) if assignee else None
    return None


def compose(event: TicketEvent) -> EmailMessage | None:
    """The e-mail an event causes, or None for events nobody is told about."""
    found = _kind_and_recipient(event)
    if found is None:
        return None
    kind, recipient = found
    ticket = event.ticket
    actor = event.actor
    values = {
        "helpdesk": ticket.tenant.name,
        "number": str(ticket.number),
        "subject": ticket.subject,
        "requester_name": ticket.requester.get_full_name(),
        # Names only: an agent's e-mail address is private.
        "agent_name": recipient.get_full_name()
        if kind == NotificationTemplate.Kind.ASSIGNED
        else (actor.get_full_name() if actor else ticket.tenant.name),
        "reply": event.comment.body if kind == NotificationTemplate.Kind.REPLY else "",
        "ticket_url": ticket_url(ticket),
        "rating_links": rating_links(ticket) if kind == NotificationTemplate.Kind.SOLVED else "",
    }
    subject, body = wording(ticket.tenant, kind)
    return EmailMessage(
        subject=subject_line(fill(subject, values)),
        body=fill(body, values),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )


def send_event_notification(*, event_id: int) -> bool:
    """Send the e-mail of one event, once: the event is stamped in the same transaction."""
    with transaction.atomic():
        event = (
            TicketEvent.objects.select_for_update(of=("self",))
            .select_related("ticket__tenant", "ticket__requester", "actor", "comment")
            .filter(pk=event_id)
            .first()
        )
        if event is None or event.notified_at is not None:
            return False
        message = compose(event)
        if message is not None:
            message.send()
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])
        return message is not None
