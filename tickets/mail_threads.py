"""How a ticket's e-mails find their way back to it.

Every mail the helpdesk sends about a ticket has a Message-ID that is kept (``TicketMail``)
and a Reply-To that names the ticket and its recipient: the support address plus-addressed
with a tag signed for (helpdesk, ticket, recipient), ``help+<ticket id>.<user id>.<signature>@``.
A reply finds its ticket by In-Reply-To or References against kept ids, or by that tag. A
subject tag like ``[#123]`` is never enough: numbers are easy to guess, tags and ids are not.

Only the tag says who the mail was sent to: the customer holds theirs, so one tag for the
whole ticket would let anyone who had the customer's mail speak as staff. Message-IDs prove
nothing of the kind (References in the customer's mail name the agents' ones).
Tags of before (``<ticket id>.<signature>``, no recipient) still find their ticket, owned by
nobody: good for the requester's side only.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from email.utils import make_msgid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from accounts.models import Tenant, User

from .models import Mailbox, Ticket, TicketMail

_SALT = "tickets.mail_threads.reply-address"  # per-ticket tags of before
_RECIPIENT_SALT = "tickets.mail_threads.reply-address.recipient"


def split_address(address: str) -> tuple[str, str]:
    """``help+tag@acme.example`` as (``help@acme.example``, ``tag``); no tag gives ``""``."""
    local, _at, domain = address.strip().lower().rpartition("@")
    base, _plus, tag = local.partition("+")
    return f"{base}@{domain}", tag


def mailbox_for(ticket: Ticket) -> Mailbox | None:
    """The address a ticket's mail is answered to: its queue's, else the helpdesk's first."""
    mailboxes = Mailbox.objects.for_tenant(ticket.tenant_id).active()
    if ticket.queue_id is not None:
        found = mailboxes.filter(queue_id=ticket.queue_id).first()
        if found is not None:
            return found
    return mailboxes.first()


def _signature(tenant_id: int, ticket_id: int, user_id: int | None) -> str:
    if user_id is None:  # the per-ticket tags of before
        return salted_hmac(_SALT, f"{tenant_id}:{ticket_id}").hexdigest()[:20]
    return salted_hmac(_RECIPIENT_SALT, f"{tenant_id}:{ticket_id}:{user_id}").hexdigest()[:20]


def reply_tag(ticket: Ticket, recipient: User) -> str:
    return f"{ticket.pk}.{recipient.pk}.{_signature(ticket.tenant_id, ticket.pk, recipient.pk)}"


def reply_address(
    ticket: Ticket, mailbox: Mailbox | None = None, *, recipient: User | None = None
) -> str | None:
    """The Reply-To of the mail to ``recipient`` (the requester unless named) about the
    ticket, or None where the helpdesk has no support address."""
    mailbox = mailbox or mailbox_for(ticket)
    if mailbox is None:
        return None
    local, _at, domain = mailbox.address.rpartition("@")
    return f"{local}+{reply_tag(ticket, recipient or ticket.requester)}@{domain}"


@dataclass(frozen=True)
class Tagged:
    """What a signed tag names: the ticket, and the user it was sent to (None: a tag of
    before, sent to nobody in particular)."""

    ticket: Ticket
    user_id: int | None


def _number(part: str) -> int | None:
    return int(part) if part.isdigit() and len(part) <= 18 else None


def ticket_for_tag(tenant: Tenant, tag: str) -> Tagged | None:
    """The ticket (and recipient) a plus-address tag names, if its signature holds and the
    ticket is this tenant's."""
    parts = tag.split(".")
    if len(parts) == 3:
        ticket_id, user_id, signature = _number(parts[0]), _number(parts[1]), parts[2]
        if user_id is None:
            return None
    elif len(parts) == 2:
        ticket_id, user_id, signature = _number(parts[0]), None, parts[1]
    else:
        return None
    if ticket_id is None or not signature:
        return None
    expected = _signature(tenant.pk, ticket_id, user_id)
    if not hmac.compare_digest(expected, signature.lower()):
        return None
    ticket = Ticket.objects.for_tenant(tenant).filter(pk=ticket_id).first()
    return Tagged(ticket, user_id) if ticket is not None else None


def new_message_id(ticket: Ticket, mailbox: Mailbox | None = None) -> str:
    """A fresh Message-ID (without angle brackets) on the support address's domain."""
    address = mailbox.address if mailbox else settings.DEFAULT_FROM_EMAIL
    domain = address.rpartition("@")[2] or "localhost"
    return make_msgid(idstring=f"ticket{ticket.pk}", domain=domain).strip("<>")


def remember(
    *,
    ticket: Ticket,
    message_id: str,
    direction: str,
    event=None,
    author=None,
    from_address: str = "",
) -> TicketMail | None:
    """Keep a mail's id on its ticket; None if the id is known already (a message seen twice)."""
    try:
        with transaction.atomic():
            return TicketMail.objects.create(
                tenant_id=ticket.tenant_id,
                ticket=ticket,
                message_id=message_id.strip().strip("<>")[:998],
                direction=direction,
                event=event,
                author=author,
                from_address=from_address.lower(),
            )
    except IntegrityError:
        return None


def ticket_for_message_ids(tenant: Tenant, message_ids: list[str]) -> Ticket | None:
    """The ticket one of these ids (In-Reply-To, then References newest first) belongs to."""
    ids = [m.strip().strip("<>") for m in message_ids if m and m.strip()]
    if not ids:
        return None
    found = dict(
        TicketMail.objects.for_tenant(tenant)
        .filter(message_id__in=ids)
        .values_list("message_id", "ticket_id")
    )
    for message_id in ids:
        if message_id in found:
            return Ticket.objects.for_tenant(tenant).filter(pk=found[message_id]).first()
    return None
