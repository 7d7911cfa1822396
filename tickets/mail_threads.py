"""How a ticket's e-mails find their way back to it.

Every mail the helpdesk sends about a ticket has a Message-ID that is kept (``TicketMail``)
and a Reply-To that names the ticket: the support address plus-addressed with a signed tag,
``help+<ticket id>.<signature>@acme.example``. A reply finds its ticket by In-Reply-To or
References against kept ids, or by that tag. A subject tag like ``[#123]`` is never enough:
numbers are easy to guess, tags and ids are not.
"""

from __future__ import annotations

import hmac
from email.utils import make_msgid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from accounts.models import Tenant

from .models import Mailbox, Ticket, TicketMail

_SALT = "tickets.mail_threads.reply-address"


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


def _signature(tenant_id: int, ticket_id: int) -> str:
    return salted_hmac(_SALT, f"{tenant_id}:{ticket_id}").hexdigest()[:20]


def reply_tag(ticket: Ticket) -> str:
    return f"{ticket.pk}.{_signature(ticket.tenant_id, ticket.pk)}"


def reply_address(ticket: Ticket, mailbox: Mailbox | None = None) -> str | None:
    """The Reply-To of the ticket's mail, or None where the helpdesk has no support address."""
    mailbox = mailbox or mailbox_for(ticket)
    if mailbox is None:
        return None
    local, _at, domain = mailbox.address.rpartition("@")
    return f"{local}+{reply_tag(ticket)}@{domain}"


def ticket_for_tag(tenant: Tenant, tag: str) -> Ticket | None:
    """The ticket a plus-address tag names, if its signature holds and it is this tenant's."""
    ticket_id, _dot, signature = tag.partition(".")
    if not ticket_id.isdigit() or len(ticket_id) > 18 or not signature:
        return None
    expected = _signature(tenant.pk, int(ticket_id))
    if not hmac.compare_digest(expected, signature.lower()):
        return None
    return Ticket.objects.for_tenant(tenant).filter(pk=int(ticket_id)).first()


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
