"""Support addresses, managed by a helpdesk's admins: add, change and delete, each audited.

An address routes mail to one helpdesk, so it is unique across all of them; a taken address
is refused with words that say only that (not whose it is)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Tenant, User
from accounts.services import record_audit
from tickets.models import Mailbox, Queue

from .hosts import internal_host_refusal
from .imap import encrypt_password


@dataclass
class ImapSettings:
    """How a mailbox is read by IMAP. ``password`` None keeps the stored one; with
    ``password_env`` set the password is read from that environment variable instead."""

    host: str
    port: int | None = None
    tls: bool = True
    username: str = ""
    folder: str = "INBOX"
    password: str | None = None
    password_env: str = ""


# A host name, an IPv4 address or a bracketless IPv6 one: nothing that could not be dialled.
HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.\-:]{0,252})$")


def host_refusal(host: str) -> str | None:
    """Why ``host`` cannot be an IMAP server's name, or None."""
    if not HOST.match(host.strip()):
        return _("Give the server's name or address (letters, digits, dots and dashes).")
    return internal_host_refusal(host.strip())


def address_refusal(address: str) -> str | None:
    """Why ``address`` cannot be a support address, or None: plus-addressing is the
    helpdesk's own (reply tags), so ``help+x@`` would reach into the mail of ``help@``."""
    if "+" in address:  # a domain holds none: the "+" is in the local part
        return _("A support address may not contain “+”: the helpdesk uses it for replies.")
    return None


def address_taken() -> ValidationError:
    return ValidationError(
        {"address": _("This address is taken.")},
        code="taken",
    )


def _normal(address: str) -> str:
    return address.strip().lower()


def _check(*, tenant: Tenant, address: str, queue: Queue, mailbox: Mailbox | None) -> None:
    if queue.tenant_id != tenant.pk:
        raise ValidationError({"queue": _("Choose a queue of this helpdesk.")}, code="queue")
    if refusal := address_refusal(address):
        raise ValidationError({"address": refusal}, code="plus")
    # Across helpdesks, by base form: the address routes, plus-addressed forms included.
    local, _at, domain = address.rpartition("@")
    taken = Mailbox.objects.filter(
        Q(address=address) | Q(address__startswith=f"{local}+", address__endswith=f"@{domain}")
    )
    if mailbox is not None:
        taken = taken.exclude(pk=mailbox.pk)
    if taken.exists():
        raise address_taken()


def _apply_imap(mailbox: Mailbox, imap: ImapSettings | None) -> None:
    if imap is None:  # a mail server pipes to manage.py receive_email instead
        mailbox.imap_host = mailbox.imap_username = ""
        mailbox.imap_port = None
        mailbox.imap_tls = True
        mailbox.imap_folder = "INBOX"
        mailbox.imap_password_encrypted = mailbox.imap_password_env = ""
        return
    mailbox.imap_host = imap.host.strip()
    mailbox.imap_port = imap.port or (993 if imap.tls else 143)
    mailbox.imap_tls = imap.tls
    mailbox.imap_username = imap.username
    mailbox.imap_folder = imap.folder or "INBOX"
    mailbox.imap_password_env = imap.password_env.strip()
    if mailbox.imap_password_env:
        mailbox.imap_password_encrypted = ""
    elif imap.password is not None:
        mailbox.imap_password_encrypted = encrypt_password(imap.password) if imap.password else ""


def _mailbox_state(mailbox: Mailbox) -> dict:
    if mailbox.imap_host:
        where = f"{mailbox.imap_host}:{mailbox.imap_port}/{mailbox.imap_folder}"
        reading = f"{mailbox.imap_username}@{where}"
        reading += " (TLS)" if mailbox.imap_tls else ""
    else:
        reading = ""
    return {
        "address": mailbox.address,
        "queue": mailbox.queue.name,
        "imap": reading,
    }


def _save(mailbox: Mailbox) -> None:
    try:
        with transaction.atomic():
            mailbox.save()
    except IntegrityError:  # the same address saved meanwhile by another helpdesk
        raise address_taken() from None


@transaction.atomic
def create_mailbox(
    *, tenant: Tenant, address: str, queue: Queue, imap: ImapSettings | None, by: User
) -> Mailbox:
    """A new support address of ``tenant`` whose mail becomes tickets in ``queue``."""
    address = _normal(address)
    _check(tenant=tenant, address=address, queue=queue, mailbox=None)
    mailbox = Mailbox(tenant=tenant, address=address, queue=queue)
    _apply_imap(mailbox, imap)
    _save(mailbox)
    record_audit(
        tenant=tenant,
        actor=by,
        action="mailbox.created",
        target=mailbox,
        after={**_mailbox_state(mailbox), "password": bool(imap and imap.password)},
    )
    return mailbox


_UNCHANGED = object()


@transaction.atomic
def update_mailbox(
    *,
    mailbox: Mailbox,
    by: User,
    address: str | None = None,
    queue: Queue | None = None,
    imap=_UNCHANGED,
) -> Mailbox:
    """Change what is given (``imap=None`` makes it a piped address); audited."""
    mailbox = Mailbox.objects.select_for_update().select_related("queue").get(pk=mailbox.pk)
    before = _mailbox_state(mailbox)
    if address is not None:
        mailbox.address = _normal(address)
    if queue is not None:
        mailbox.queue = queue
    _check(tenant=mailbox.tenant, address=mailbox.address, queue=mailbox.queue, mailbox=mailbox)
    password_changed = False
    if imap is not _UNCHANGED:
        old_secret = (mailbox.imap_password_encrypted, mailbox.imap_password_env)
        _apply_imap(mailbox, imap)
        password_changed = old_secret != (
            mailbox.imap_password_encrypted,
            mailbox.imap_password_env,
        )
        if before["imap"] != _mailbox_state(mailbox)["imap"] or password_changed:
            mailbox.last_error = ""  # what failed before says nothing of the new settings
    _save(mailbox)
    after = _mailbox_state(mailbox)
    if after != before or password_changed:
        record_audit(
            tenant=mailbox.tenant,
            actor=by,
            action="mailbox.changed",
            target=mailbox,
            before=before,
            after={**after, "password": password_changed},
        )
    return mailbox


@transaction.atomic
def delete_mailbox(*, mailbox: Mailbox, by: User) -> None:
    """Stop taking mail at the address; its tickets and received messages stay."""
    record_audit(
        tenant=mailbox.tenant,
        actor=by,
        action="mailbox.deleted",
        target=mailbox,
        before=_mailbox_state(mailbox),
    )
    mailbox.delete()
