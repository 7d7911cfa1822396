"""The IMAP way in: a support address's box is read, and each new message is delivered.

Each run signs in (IMAP over TLS with the certificate verified, or plain where the mailbox
says so), reads the new messages of the mailbox's folder with ``BODY.PEEK[]`` (nothing is
marked read by reading), hands each to ``mailroom.delivery.receive`` and only once that has
returned moves the message to ``IMAP_PROCESSED_FOLDER`` (MOVE where the server has it, else
COPY, ``\\Deleted`` and EXPUNGE) or, with no such folder, flags it. A crash in between leaves
the message where it was: the next run delivers it again and ``receive`` recognises it by its
Message-ID (a duplicate, no second ticket). ``TemporaryFailure`` (nothing was written) leaves it
for the next run too. What goes wrong with the box itself (a wrong password, an unreachable
host, a certificate not trusted) is recorded on the mailbox for its admins, never raised.

Passwords are kept encrypted (Fernet, ``core.crypto``) under keys derived from
``MAILBOX_ENCRYPTION_KEY`` (HKDF, info "helpdesk mailbox passwords"), or read from an
environment variable the mailbox names.
"""

from __future__ import annotations

import base64
import contextlib
import imaplib
import logging
import os
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from core.crypto import InvalidToken, decrypt_text, encrypt_text
from tickets.models import Mailbox

from .delivery import TemporaryFailure, receive
from .hosts import InternalHost, connect

logger = logging.getLogger(__name__)

# The keyword a fetched message gets where the helpdesk flags instead of moving.
PROCESSED_KEYWORD = "$HelpdeskProcessed"
# The first key of PostgreSQL's two-key advisory locks: "IMAP" in ASCII, so that one
# mailbox's lock (this, its id) cannot collide with another feature's.
_LOCK_CLASS = 0x494D4150
_HKDF_INFO = b"helpdesk mailbox passwords"


class MailboxError(Exception):
    """The box could not be read; the message is for the mailbox's admins."""


# ------------------------------------------------------------------------------ passwords


def encrypt_password(password: str) -> str:
    return encrypt_text(password, secrets=settings.MAILBOX_ENCRYPTION_KEY, info=_HKDF_INFO)


def decrypt_password(token: str) -> str:
    return decrypt_text(token, secrets=settings.MAILBOX_ENCRYPTION_KEY, info=_HKDF_INFO)


def password_of(mailbox: Mailbox) -> str:
    """The mailbox's IMAP password: from the environment variable it names, else its own."""
    if mailbox.imap_password_env:
        value = os.environ.get(mailbox.imap_password_env)
        if value is None:
            raise MailboxError(
                _("The environment variable %(name)s that holds the password is not set.")
                % {"name": mailbox.imap_password_env}
            )
        return value
    if not mailbox.imap_password_encrypted:
        return ""
    try:
        return decrypt_password(mailbox.imap_password_encrypted)
    except InvalidToken:
        raise MailboxError(
            _(
                "The stored password cannot be read (MAILBOX_ENCRYPTION_KEY changed?): "
                "enter it again."
            )
        ) from None


# ----------------------------------------------------------------------------- connecting


def _text(data) -> str:
    """An imaplib error's or answer's words, as text."""
    if isinstance(data, list | tuple):
        data = b" ".join(d for d in data if isinstance(d, bytes))
    if isinstance(data, bytes):
        data = data.decode(errors="replace")
    return str(data).strip()


def _tls_context() -> ssl.SSLContext:
    # Certificates are verified (the system's store, or IMAP_CA_FILE where one is named).
    return ssl.create_default_context(cafile=settings.IMAP_CA_FILE or None)


def _modified_utf7(name: str) -> str:
    """A folder name in IMAP's modified UTF-7 (RFC 3501, 5.1.3): printable ASCII as it is,
    "&" as "&-", anything else base64 of UTF-16 between "&" and "-" (imaplib sends ASCII)."""
    out, run = [], []

    def flush():
        if run:
            encoded = base64.b64encode("".join(run).encode("utf-16-be")).decode()
            out.append("&" + encoded.rstrip("=").replace("/", ",") + "-")
            run.clear()

    for char in name:
        if " " <= char <= "~":
            flush()
            out.append("&-" if char == "&" else char)
        else:
            run.append(char)
    flush()
    return "".join(out)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _folder(name: str) -> str:
    return _quoted(_modified_utf7(name))


def _printable_ascii(text: str) -> bool:
    return all(" " <= char <= "~" for char in text)


def _sign_in(client: imaplib.IMAP4, username: str, password: str) -> None:
    """LOGIN with both quoted; where either holds more than printable ASCII (which LOGIN
    cannot carry), AUTHENTICATE PLAIN, whose UTF-8 travels in base64 (RFC 4616)."""
    if _printable_ascii(username) and _printable_ascii(password):
        client.login(_quoted(username), password)  # imaplib quotes the password itself
        return
    token = b"\0" + username.encode() + b"\0" + password.encode()
    client.authenticate("PLAIN", lambda _challenge: token)


@contextmanager
def signed_in(mailbox: Mailbox, password: str | None = None) -> Iterator[imaplib.IMAP4]:
    """A client signed in to the mailbox's server, logged out at the end.

    Every failure to get there is a ``MailboxError`` with words for an admin."""
    host, port = mailbox.imap_host, mailbox.imap_port or (993 if mailbox.imap_tls else 143)
    timeout = settings.IMAP_TIMEOUT
    try:
        client = connect(
            host,
            port,
            tls=mailbox.imap_tls,
            ssl_context=_tls_context() if mailbox.imap_tls else None,
            timeout=timeout,
        )
    except InternalHost as refusal:
        raise MailboxError(str(refusal)) from refusal
    except ssl.SSLCertVerificationError as error:
        raise MailboxError(
            _("The certificate of %(host)s could not be verified: %(reason)s")
            % {"host": host, "reason": error.verify_message or error.reason}
        ) from error
    except (OSError, UnicodeError, imaplib.IMAP4.error) as error:  # UnicodeError: IDNA
        raise MailboxError(
            _("Could not reach %(host)s on port %(port)s: %(reason)s")
            % {"host": host, "port": port, "reason": getattr(error, "strerror", None) or error}
        ) from error
    try:
        try:
            _sign_in(
                client,
                mailbox.imap_username,
                password_of(mailbox) if password is None else password,
            )
        except imaplib.IMAP4.error as error:
            raise MailboxError(
                _("%(host)s refused the user name or password: %(reason)s")
                % {"host": host, "reason": _text(error.args[0] if error.args else error)}
            ) from error
        yield client
    finally:
        # A connection already gone has nothing left to close.
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()


def _select(client: imaplib.IMAP4, folder: str) -> int:
    typ, data = client.select(_folder(folder))
    if typ != "OK":
        raise MailboxError(
            _("The folder %(folder)s cannot be opened: %(reason)s")
            % {"folder": folder, "reason": _text(data)}
        )
    return int(data[0] or 0)


def check_connection(mailbox: Mailbox, password: str | None = None) -> str:
    """Sign in and open the folder; what an admin is told when it works (else MailboxError)."""
    try:
        with signed_in(mailbox, password) as client:
            count = _select(client, mailbox.imap_folder or "INBOX")
    except (OSError, imaplib.IMAP4.error) as error:  # cut off after signing in
        raise MailboxError(_("The connection was lost: %(reason)s") % {"reason": error}) from error
    return _("Signed in to %(host)s; %(folder)s holds %(count)s messages.") % {
        "host": mailbox.imap_host,
        "folder": mailbox.imap_folder or "INBOX",
        "count": count,
    }


# -------------------------------------------------------------------------------- fetching


@dataclass
class FetchReport:
    delivered: int = 0
    left: int = 0  # for the next run (a temporary failure)
    skipped: bool = False  # another run holds the mailbox


@contextmanager
def _one_run_at_a_time(mailbox: Mailbox) -> Iterator[bool]:
    """True while this run alone reads the mailbox: a PostgreSQL advisory lock on the session,
    so it holds across the deliveries' own transactions and dies with a killed worker."""
    if connection.vendor != "postgresql":  # the demo on SQLite runs tasks one by one
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_CLASS, mailbox.pk])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        # A connection lost meanwhile took its session's lock with it.
        if held:
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_CLASS, mailbox.pk])


def _new_uids(client: imaplib.IMAP4) -> list[bytes]:
    # UNKEYWORD: messages flagged by an earlier run (no processed folder); UNDELETED: copied and
    # marked by a run cut off before its EXPUNGE.
    typ, data = client.uid("SEARCH", "UNDELETED", "UNKEYWORD", PROCESSED_KEYWORD)
    if typ != "OK":
        raise MailboxError(
            _("The server refused to search the folder: %(reason)s") % {"reason": _text(data)}
        )
    return data[0].split() if data and data[0] else []


def _raw_message(client: imaplib.IMAP4, uid: bytes) -> bytes | None:
    typ, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    if typ != "OK":
        raise MailboxError(
            _("The server refused to give a message: %(reason)s") % {"reason": _text(data)}
        )
    for part in data:
        if isinstance(part, tuple) and len(part) == 2:
            return part[1]
    return None  # expunged meanwhile by another client


def _ensure_folder(client: imaplib.IMAP4, folder: str) -> None:
    typ, data = client.list('""', _folder(folder))
    if typ == "OK" and any(d for d in data if d):
        return
    typ, data = client.create(_folder(folder))
    if typ != "OK":
        raise MailboxError(
            _("The folder %(folder)s cannot be made: %(reason)s")
            % {"folder": folder, "reason": _text(data)}
        )


def _capabilities(client: imaplib.IMAP4) -> set[str]:
    """What the server offers once signed in (often more than its greeting said, which is
    all imaplib keeps)."""
    typ, data = client.capability()
    words = _text(data).upper().split() if typ == "OK" else []
    return set(words) | {c.upper() for c in client.capabilities}


def _acknowledge(client: imaplib.IMAP4, uid: bytes, processed: str, capabilities: set[str]) -> None:
    """Take a delivered message out of the way of the next run."""
    if not processed:
        _checked(client.uid("STORE", uid, "+FLAGS", f"(\\Seen {PROCESSED_KEYWORD})"))
        return
    if "MOVE" in capabilities:
        _checked(client.uid("MOVE", uid, _folder(processed)))
        return
    _checked(client.uid("COPY", uid, _folder(processed)))
    _checked(client.uid("STORE", uid, "+FLAGS", "(\\Deleted)"))
    if "UIDPLUS" in capabilities:  # expunges this message only, not others marked deleted
        _checked(client.uid("EXPUNGE", uid))
    else:
        _checked(client.expunge())


def _checked(answer) -> None:
    typ, data = answer
    if typ != "OK":
        raise MailboxError(
            _("The server refused to file a message away: %(reason)s") % {"reason": _text(data)}
        )


_SPACES = re.compile(r"\s+")


def _record_fetch(mailbox: Mailbox, *, error: str, read: bool) -> None:
    """When the box was last read through (``read``), and what went wrong at the last run
    (empty: nothing), for its admins."""
    changes = {"last_error": error[:2000]}
    if read:
        changes["last_fetched_at"] = timezone.now()
    Mailbox.objects.filter(pk=mailbox.pk).update(**changes)
    for field, value in changes.items():
        setattr(mailbox, field, value)


def fetch_mailbox(*, mailbox: Mailbox) -> FetchReport:
    """Deliver the new messages of one mailbox's IMAP folder, one run at a time per mailbox.

    The mailbox records when it was last read and what went wrong, if anything."""
    report = FetchReport()
    with _one_run_at_a_time(mailbox) as alone:
        if not alone:
            report.skipped = True
            return report
        try:
            _fetch(mailbox, report)
        except MailboxError as error:
            _record_fetch(mailbox, error=str(error), read=False)
            return report
        except (OSError, imaplib.IMAP4.error) as error:  # the connection lost mid-run
            message = _("The connection was lost: %(reason)s") % {
                "reason": _SPACES.sub(" ", str(error)).strip() or type(error).__name__
            }
            _record_fetch(mailbox, error=message, read=False)
            return report
    error = ""
    if report.left:
        error = _("A message could not be delivered yet; it is tried again at the next run.")
    _record_fetch(mailbox, error=error, read=True)
    return report


def _fetch(mailbox: Mailbox, report: FetchReport) -> None:
    processed = settings.IMAP_PROCESSED_FOLDER
    with signed_in(mailbox) as client:
        if processed:
            _ensure_folder(client, processed)
        _select(client, mailbox.imap_folder or "INBOX")
        capabilities = _capabilities(client)
        for uid in _new_uids(client):
            raw = _raw_message(client, uid)
            if raw is None:
                continue
            try:
                receive(raw, mailbox=mailbox)
            except TemporaryFailure:
                # Nothing was written; it stays in the folder, and so do those after it (the
                # database or the like is down: the next run tries them all).
                logger.warning(
                    "mailbox %s: delivery failed for now, left for the next run", mailbox.pk
                )
                report.left += 1
                return
            _acknowledge(client, uid, processed, capabilities)
            report.delivered += 1
