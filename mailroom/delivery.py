"""Mail in: one raw message becomes a ticket, a comment, or a record of why it did not.

``receive`` is the one door (the ``receive_email`` pipe and the IMAP fetcher call it):

1. the support address (``Mailbox``) from the given one, ``to``, or the message's
   Delivered-To, X-Original-To, To and Cc, plus-addressed forms included;
2. a message seen before (its Message-ID, or for one without, a hash of its bytes) is a
   DUPLICATE: fetched again after a crash, it makes no second ticket;
3. mail a machine sent (bounces, auto-replies, lists, our own mail coming back) is DROPPED
   and gets no answer, so that two robots never talk forever;
4. a per-sender limit (``MAILROOM_MAILS_PER_HOUR``), counted in the database so that it
   holds while Redis is away;
5. the ticket, by the signed reply tag of the address or by In-Reply-To / References
   (a ``[#123]`` in the subject is never enough), and the sender through the same rules as
   everywhere (``senders``);
6. the ticket or comment, its files, its ``TicketMail`` row and the ``InboundMessage`` record
   commit in one transaction; what cannot be handled is kept whole (FAILED, with its bytes)
   for an admin to retry or discard. A database that cannot be reached is a
   ``TemporaryFailure``: nothing was written, and the message is to be delivered again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Tenant, User
from accounts.services import record_audit
from tickets.mail_threads import remember, split_address, ticket_for_message_ids, ticket_for_tag
from tickets.models import Mailbox, Ticket, TicketEvent, TicketMail
from tickets.services import TicketClosed, add_comment, attach_files, open_ticket, upload_refusals

from . import notices, senders
from .models import InboundMessage
from .parsing import ParsedMail, Unreadable, parse, recipients_of, reply_text, stable_id

logger = logging.getLogger(__name__)

Outcome = InboundMessage.Outcome

# Outcomes after which the same message again is only a duplicate (a refused one is decided
# anew: the sender may have been let in meanwhile; told once all the same).
_SETTLED = [Outcome.TICKET, Outcome.COMMENT, Outcome.DROPPED, Outcome.FAILED, Outcome.DISCARDED]


class TemporaryFailure(Exception):
    """Nothing was written (the database could not be reached); deliver the message again
    later. ``receive_email`` exits 75 (EX_TEMPFAIL) for it."""


@dataclass
class Receipt:
    outcome: str  # an InboundMessage.Outcome value
    ticket: Ticket | None
    reason: str
    inbound: InboundMessage | None


class _Duplicate(Exception):  # noqa: N818 (a control-flow signal inside the transaction)
    pass


def receive(raw: bytes, *, to: str | None = None, mailbox: Mailbox | None = None) -> Receipt:
    """Handle one raw RFC 5322 message; see the module's docstring."""
    try:
        return _receive(raw, to=to, mailbox=mailbox, record=None)
    except (OperationalError, InterfaceError) as error:
        raise TemporaryFailure(str(error)) from error


def retry_message(*, inbound: InboundMessage, by: User) -> Receipt:
    """An admin has a kept FAILED message handled again (the caller checked they may): the
    same record then says what became of it."""
    if inbound.outcome != Outcome.FAILED or inbound.raw is None:
        raise ValueError("Only a failed message that was kept can be tried again.")
    try:
        receipt = _receive(bytes(inbound.raw), to=None, mailbox=inbound.mailbox, record=inbound)
    except (OperationalError, InterfaceError) as error:
        raise TemporaryFailure(str(error)) from error
    if inbound.tenant_id is not None:
        record_audit(
            tenant=inbound.tenant,
            actor=by,
            action="inbound_mail.retried",
            target=inbound,
            before={"outcome": Outcome.FAILED.value},
            after={"outcome": receipt.outcome, "subject": inbound.subject},
        )
    return receipt


@transaction.atomic
def discard_message(*, inbound: InboundMessage, by: User) -> None:
    """An admin throws a kept FAILED message away (the caller checked they may); audited."""
    inbound = InboundMessage.objects.select_for_update().get(pk=inbound.pk)
    if inbound.outcome != Outcome.FAILED:
        raise ValueError("Only a failed message can be discarded.")
    inbound.outcome = Outcome.DISCARDED
    inbound.raw = None
    inbound.save(update_fields=["outcome", "raw"])
    if inbound.tenant_id is not None:
        record_audit(
            tenant=inbound.tenant,
            actor=by,
            action="inbound_mail.discarded",
            target=inbound,
            before={"outcome": Outcome.FAILED.value},
            after={"outcome": Outcome.DISCARDED.value, "email": inbound.sender},
        )


# --- Finding the mailbox ------------------------------------------------------------------


def find_mailbox(addresses: list[str]) -> tuple[Mailbox | None, str]:
    """The first active support address among ``addresses`` (plus-addressed forms too), and
    the tag of the address it was reached by ("" when none)."""
    split = [split_address(address) for address in addresses if "@" in address]
    if not split:
        return None, ""
    found = {
        m.address: m
        for m in Mailbox.objects.active()
        .filter(address__in={base for base, _tag in split})
        .select_related("tenant", "queue")
    }
    for base, tag in split:
        if base in found:
            # A reply tag on any recipient of this mailbox counts (Cc'd replies too).
            tags = [t for b, t in split if b == base and t]
            return found[base], tag or (tags[0] if tags else "")
    return None, ""


# --- The work -----------------------------------------------------------------------------


def _receive(
    raw: bytes, *, to: str | None, mailbox: Mailbox | None, record: InboundMessage | None
) -> Receipt:
    try:
        mail = parse(raw)
    except Exception as error:  # Unreadable, or a message the email package cannot take apart
        if not isinstance(error, Unreadable):
            logger.exception("mailroom: a message could not be parsed")
        if mailbox is None:  # kept where that helpdesk's admins see it, when we can tell
            mailbox, _tag = find_mailbox([to] if to else recipients_of(raw))
        return _fail(raw, None, mailbox, f"{type(error).__name__}: {error}", record)
    tag = ""
    if mailbox is None:
        mailbox, tag = find_mailbox([to] if to else mail.recipients)
    if mailbox is not None and not tag:
        # The signed tag proves the sender had the reply address, wherever it is named.
        tag = _tag_for(mailbox, [to, *mail.recipients] if to else mail.recipients)
    if mailbox is None:
        with transaction.atomic():
            reason = _("No support address of this installation received this message.")
            return _refuse(mail, None, None, reason, record, tell=not mail.automatic)
    try:
        with transaction.atomic():
            return _handle(raw, mail, mailbox, tag, record)
    except _Duplicate:
        with transaction.atomic():
            return _record(mail, mailbox, Outcome.DUPLICATE, _("Seen before."), None, record)
    except (OperationalError, InterfaceError):
        raise
    except Exception as error:  # kept whole for an admin; the next message goes on
        logger.exception("mailroom: a message could not be handled")
        return _fail(raw, mail, mailbox, f"{type(error).__name__}: {error}", record)


def _tag_for(mailbox: Mailbox, addresses: list[str]) -> str:
    for address in addresses:
        base, tag = split_address(address)
        if base == mailbox.address and tag:
            return tag
    return ""


def _handle(
    raw: bytes, mail: ParsedMail, mailbox: Mailbox, tag: str, record: InboundMessage | None
) -> Receipt:
    tenant = mailbox.tenant
    # One message of a mailbox at a time: two deliveries of one message (the pipe and a
    # refetch) cannot both pass the duplicate check below.
    Mailbox.objects.select_for_update().filter(pk=mailbox.pk).first()
    if _seen_before(tenant, mail.message_id, record):
        raise _Duplicate
    ours = (
        mail.loop_mark == notices.loop_mark()
        or mail.from_address in (mailbox.address, parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower())
        or TicketMail.objects.for_tenant(tenant)
        .filter(message_id=mail.message_id, direction=TicketMail.Direction.OUT)
        .exists()
    )
    if ours:
        return _record(mail, mailbox, Outcome.DROPPED, _("Our own mail came back."), None, record)
    if mail.automatic:
        reason = _("Sent by a machine: %(why)s.") % {"why": mail.automatic}
        return _record(mail, mailbox, Outcome.DROPPED, reason, None, record)
    if record is None and _over_the_limit(mail.from_address):
        reason = _(
            "Too many messages from %(address)s: at most %(limit)s an hour are taken in."
        ) % {"address": mail.from_address, "limit": settings.MAILROOM_MAILS_PER_HOUR}
        return _refuse(mail, tenant, mailbox, reason, record)
    ticket, tag_owner = _thread(tenant, tag, mail)
    if ticket is not None and ticket.status != Ticket.Status.CLOSED:
        return _reply(mail, mailbox, ticket, tag_owner, record)
    return _open(mail, mailbox, record, follows=ticket)


def _seen_before(tenant: Tenant, message_id: str, record: InboundMessage | None) -> bool:
    earlier = InboundMessage.objects.for_tenant(tenant).filter(
        message_id=message_id, outcome__in=_SETTLED
    )
    if record is not None:
        earlier = earlier.exclude(pk=record.pk)
    known = TicketMail.objects.for_tenant(tenant).filter(
        message_id=message_id, direction=TicketMail.Direction.IN
    )
    return earlier.exists() or known.exists()


def _over_the_limit(address: str) -> bool:
    since = timezone.now() - timedelta(hours=1)
    recent = (
        InboundMessage.objects.filter(sender=address, received_at__gte=since)
        .exclude(outcome=Outcome.DUPLICATE)
        .count()
    )
    return recent >= settings.MAILROOM_MAILS_PER_HOUR


def _thread(tenant: Tenant, tag: str, mail: ParsedMail) -> tuple[Ticket | None, int | None]:
    """The ticket this mail answers, and the user its signed reply tag was issued to (None:
    no tag naming anyone; threading by Message-ID never names anyone)."""
    if tag:
        tagged = ticket_for_tag(tenant, tag)
        if tagged is not None:
            return tagged.ticket, tagged.user_id
    ids = [*mail.in_reply_to, *reversed(mail.references)]
    return ticket_for_message_ids(tenant, ids), None


def _reply(
    mail: ParsedMail,
    mailbox: Mailbox,
    ticket: Ticket,
    tag_owner: int | None,
    record: InboundMessage | None,
) -> Receipt:
    sender = senders.may_reply(ticket=ticket, address=mail.from_address, tag_owner=tag_owner)
    if sender.refusal:
        return _refuse(mail, mailbox.tenant, mailbox, sender.refusal, record)
    uploads, refused = _uploads(mail)
    body = _body(reply_text(mail.text) or mail.text, refused)
    try:
        comment = add_comment(ticket=ticket, author=sender.user, body=body, is_public=True)
    except TicketClosed:  # closed since it was read: the mail opens a follow-up instead
        return _open(mail, mailbox, record, follows=ticket)
    if uploads:
        attach_files(ticket=ticket, uploads=uploads, by=sender.user, comment=comment)
    event = TicketEvent.objects.filter(ticket=ticket, comment=comment).first()
    _remember(ticket, mail, sender.user, event)
    return _record(mail, mailbox, Outcome.COMMENT, "", ticket, record)


def _open(
    mail: ParsedMail, mailbox: Mailbox, record: InboundMessage | None, follows: Ticket | None
) -> Receipt:
    tenant = mailbox.tenant
    sender = senders.may_open(tenant=tenant, address=mail.from_address, name=mail.from_name)
    if sender.refusal:
        return _refuse(mail, tenant, mailbox, sender.refusal, record)
    uploads, refused = _uploads(mail)
    text = mail.text
    if follows is not None:
        text = (
            _("(A follow-up to the closed request #%(number)s.)") % {"number": follows.number}
            + f"\n\n{reply_text(text) or text}"
        )
    ticket = open_ticket(
        tenant=tenant,
        requester=sender.user,
        subject=_subject(mail.subject),
        description=_body(text, refused)[:50_000],
        queue=mailbox.queue,
        membership=sender.member,
        channel=Ticket.Channel.EMAIL,
    )
    if uploads:
        attach_files(ticket=ticket, uploads=uploads, by=sender.user)
    event = TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.CREATED).first()
    _remember(ticket, mail, sender.user, event)
    if sender.is_new:
        notices.welcome(tenant=tenant, user=sender.user, ticket=ticket)
    return _record(mail, mailbox, Outcome.TICKET, "", ticket, record)


def _remember(ticket: Ticket, mail: ParsedMail, author: User, event) -> None:
    kept = remember(
        ticket=ticket,
        message_id=mail.message_id,
        direction=TicketMail.Direction.IN,
        event=event,
        author=author,
        from_address=mail.from_address,
    )
    if kept is None:  # the same message, handled meanwhile: undo this one
        raise _Duplicate


def _subject(subject: str) -> str:
    subject = subject.replace("\x00", "").strip() or _("(no subject)")
    return subject if len(subject) <= 200 else subject[:199] + "…"


def _body(text: str, refused: list[str]) -> str:
    text = text.replace("\x00", "").strip() or _("(The message had no text.)")
    if refused:
        lines = "\n".join(f"- {reason}" for reason in refused)
        text += "\n\n" + _("Files of this e-mail that were not kept:") + "\n" + lines
    return text


def _uploads(mail: ParsedMail) -> tuple[list, list[str]]:
    """The message's files as uploads under the portal's limits, and why each refused one
    was refused (named in the ticket, never silently lost)."""
    kept, refused = [], []
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES or len(mail.files)
    for index, file in enumerate(mail.files):
        upload = SimpleUploadedFile(file.filename, file.content, content_type=file.content_type)
        if index >= limit:
            refused.append(
                _("%(name)s: more than %(limit)s files in one message.")
                % {"name": file.filename, "limit": limit}
            )
            continue
        reasons = upload_refusals([upload])
        if reasons:
            refused.extend(reasons)
        else:
            kept.append(upload)
    return kept, refused


# --- Records --------------------------------------------------------------------------------


def _record(
    mail: ParsedMail,
    mailbox: Mailbox | None,
    outcome: str,
    reason: str,
    ticket: Ticket | None,
    record: InboundMessage | None,
    raw: bytes | None = None,
) -> Receipt:
    values = {
        "tenant": mailbox.tenant if mailbox else (record.tenant if record else None),
        "mailbox": mailbox,
        "message_id": mail.message_id[:998],
        "sender": mail.from_address[:254],
        "subject": mail.subject.replace("\x00", "")[:255],
        "outcome": outcome,
        "reason": reason,
        "raw": raw,
        "ticket": ticket,
    }
    if record is None:
        inbound = InboundMessage.objects.create(**values)
    else:
        for name, value in values.items():
            setattr(record, name, value)
        record.save()
        inbound = record
    return Receipt(outcome, ticket, reason, inbound)


def _refuse(
    mail: ParsedMail,
    tenant: Tenant | None,
    mailbox: Mailbox | None,
    reason: str,
    record: InboundMessage | None,
    *,
    tell: bool = True,
) -> Receipt:
    receipt = _record(mail, mailbox, Outcome.REFUSED, reason, None, record)
    if tell:
        notices.tell_refusal_once(receipt.inbound)
    return receipt


def _fail(
    raw: bytes,
    mail: ParsedMail | None,
    mailbox: Mailbox | None,
    reason: str,
    record: InboundMessage | None,
) -> Receipt:
    """Keep the message whole, for an admin to retry or discard."""
    if mail is None:
        mail = ParsedMail(
            message_id=stable_id(raw),
            from_address="",
            from_name="",
            subject="",
            recipients=[],
            in_reply_to=[],
            references=[],
            text="",
            html="",
        )
    with transaction.atomic():
        return _record(mail, mailbox, Outcome.FAILED, reason[:2000], None, record, raw=raw)
