"""The e-mail of one notification: text and HTML, in the reader's language, threaded.

Headers: a Message-ID kept on the ticket (TicketMail), so a reply finds it; Reply-To the
ticket's plus-address signed for this recipient when the helpdesk has a support address;
In-Reply-To and References to the ticket's earlier mails, so mail clients thread; and the
marks of an automatic mail (Auto-Submitted, X-Auto-Response-Suppress, X-Helpdesk-Loop), so that
autoresponders stay quiet and our own mailroom never takes one of ours for a customer's.
From is DEFAULT_FROM_EMAIL under the helpdesk's name: the sending domain is the one whose
SPF and DKIM the operator set up; answers go to the Reply-To.
"""

from __future__ import annotations

from email.utils import formataddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import User
from core.mail import subject_line
from tickets.mail_threads import mailbox_for, new_message_id, remember, reply_address
from tickets.models import Ticket, TicketEvent, TicketMail
from tickets.notifications import fill, paragraphs, wording
from tickets.rating_links import link

from .models import REQUESTER_KINDS, Kind

# How many earlier Message-IDs References names (the first and the latest ones): enough to
# thread, short enough for a header.
REFERENCES_KEPT = 20


def language_of(user: User) -> str:
    """The reader's language: their own choice, else the helpdesk's default (English)."""
    codes = [code for code, _name in settings.LANGUAGES]
    return user.language if user.language in codes else settings.LANGUAGE_CODE


def ticket_url(ticket: Ticket) -> str:
    path = reverse("tickets:ticket", args=[ticket.tenant.slug, ticket.number])
    return settings.SITE_URL.rstrip("/") + path


def rating_links(ticket: Ticket) -> str:
    """Signed links that work without signing in; each opens the page that confirms the score."""
    return "\n".join(f"  {score}: {link(ticket, score)}" for score in range(1, 6))


def loop_mark() -> str:
    """The X-Helpdesk-Loop value: the host of SITE_URL (the mailroom drops mail carrying it)."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def values_for(
    *, ticket: Ticket, kind: str, recipient: User, event: TicketEvent | None, note: str = ""
) -> dict[str, str]:
    actor = event.actor if event else None
    comment = event.comment if event else None
    if kind == Kind.NEW_REQUEST:
        text = ticket.description
    elif kind in (Kind.REPLY, Kind.CUSTOMER_REPLY, Kind.MENTIONED) and comment is not None:
        text = comment.body
    else:
        text = ""
    return {
        "helpdesk": ticket.tenant.name,
        "number": str(ticket.number),
        "subject": ticket.subject,
        "requester_name": ticket.requester.get_full_name(),
        # Names only: an agent's e-mail address is private.
        "agent_name": actor.get_full_name() if actor else ticket.tenant.name,
        "recipient_name": recipient.get_full_name(),
        "reply": text,
        "reason": gettext(note) if note else "",
        "ticket_url": ticket_url(ticket),
        "rating_links": rating_links(ticket) if kind == Kind.SOLVED else "",
    }


def compose(
    *,
    ticket: Ticket,
    kind: str,
    recipient: User,
    event: TicketEvent | None = None,
    note: str = "",
) -> EmailMultiAlternatives:
    """The e-mail telling ``recipient`` of ``kind`` about ``ticket``; its Message-ID is kept."""
    language = language_of(recipient)
    mailbox = mailbox_for(ticket)
    # The recipient's own tag: only it lets a reply speak for them (mail_threads).
    answer_to = reply_address(ticket, mailbox, recipient=recipient)
    with translation.override(language):
        values = values_for(ticket=ticket, kind=kind, recipient=recipient, event=event, note=note)
        subject, body = wording(ticket.tenant, kind, language)
        context = {
            "language": language,
            "direction": "rtl" if translation.get_language_bidi() else "ltr",
            "helpdesk": ticket.tenant.name,
            "ticket_url": values["ticket_url"],
            "by_mail": answer_to is not None and kind in REQUESTER_KINDS,
            "body_text": fill(body, values),
            # The HTML part lays the same wording out itself: values isolated, links anchors.
            "paragraphs": paragraphs(body, values),
        }
        text = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
    earlier = list(
        TicketMail.objects.for_tenant(ticket.tenant)
        .filter(ticket=ticket)
        .order_by("created_at", "pk")
        .values_list("message_id", flat=True)
    )
    message_id = new_message_id(ticket, mailbox)
    headers = {
        "Message-ID": f"<{message_id}>",
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
        "X-Helpdesk-Loop": loop_mark(),
        "Content-Language": language,
    }
    if earlier:
        kept = earlier if len(earlier) <= REFERENCES_KEPT else [earlier[0], *earlier[-19:]]
        headers["In-Reply-To"] = f"<{earlier[-1]}>"
        headers["References"] = " ".join(f"<{m}>" for m in kept)
    message = EmailMultiAlternatives(
        subject=subject_line(fill(subject, values)),
        body=text,
        from_email=formataddr((ticket.tenant.name, settings.DEFAULT_FROM_EMAIL)),
        to=[recipient.email],
        reply_to=[answer_to] if answer_to else None,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    remember(ticket=ticket, message_id=message_id, direction="out", event=event)
    return message
