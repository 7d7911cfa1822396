"""One raw RFC 5322 message read into what the mailroom needs, with the stdlib ``email``
package (``email.policy.default``): who wrote, to whom, its threading ids, readable text
(from the HTML part, sanitized, when there is no text part), its files, and whether a
machine sent it (an auto-reply, a bounce, a list).

Hebrew mailboxes send UTF-8, windows-1255, ISO-8859-8 and its "logical order" labels
ISO-8859-8-i / -e; Python knows the last ones by no name, so they are registered here as
ISO-8859-8 (the bytes are the same; only the display direction hint differs), which the
``email`` package then uses for bodies and RFC 2047 words alike.
"""

from __future__ import annotations

import codecs
import email
import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import compat32
from email.policy import default as default_policy
from email.utils import getaddresses, parseaddr

import nh3
from mailparser_reply import EmailMessage as ReplyMessage
from mailparser_reply.constants import MAIL_LANGUAGES, QUOTED_MATCH_INCLUDE

from .html_text import readable_text


def _hebrew_logical(name: str):
    if name.replace("-", "_") in ("iso_8859_8_i", "iso_8859_8_e", "iso8859_8_i", "iso8859_8_e"):
        return codecs.lookup("iso8859_8")
    return None


codecs.register(_hebrew_logical)


class Unreadable(Exception):  # noqa: N818 (a message we cannot read, said in words)
    """The bytes are not a message we can read (no headers, nothing to say)."""


@dataclass
class MailFile:
    filename: str
    content_type: str
    content: bytes
    content_id: str = ""  # an inline image a cid: link of the HTML shows

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass
class ParsedMail:
    message_id: str  # without angle brackets
    from_address: str  # lower-cased
    from_name: str
    subject: str
    recipients: list[str]  # Delivered-To, X-Original-To, To, Cc, in that order
    in_reply_to: list[str]
    references: list[str]
    text: str
    html: str  # sanitized
    files: list[MailFile] = field(default_factory=list)
    automatic: str = ""  # why a machine sent it (empty: a person did)
    is_bounce: bool = False
    loop_mark: str = ""  # X-Helpdesk-Loop: the host of the helpdesk that sent it


# Headers that mark mail a machine sent (RFC 3834 and what mail programs really send).
_BULK_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
_MACHINE_SENDERS = {"mailer-daemon", "postmaster", "mail-daemon", "noreply-dmarc-support"}
_AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(automatic reply|auto(?:matic)?[- ]?reply|out of (the )?office|autoreply|"
    r"תשובה אוטומטית|מענה אוטומטי)\b",
    re.IGNORECASE,
)
_DROPPED = {"script", "style", "title"}
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")


def stable_id(raw: bytes) -> str:
    """The id of a message that has none: the same bytes give the same id, every time."""
    return f"sha256-{hashlib.sha256(raw).hexdigest()}@mailroom.invalid"


def _ids(value: str | None) -> list[str]:
    if not value:
        return []
    found = _MESSAGE_ID.findall(str(value))
    return found or [word.strip("<>") for word in str(value).split() if word.strip("<>")]


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
        return " ".join(str(value).split()) if value is not None else ""
    except (IndexError, ValueError, TypeError, AttributeError):  # a header past repair
        return ""


def _addresses(message: EmailMessage, *names: str) -> list[str]:
    found: list[str] = []
    for name in names:
        for value in message.get_all(name, []) or []:
            for _display, address in getaddresses([str(value)]):
                address = address.strip().lower()
                if "@" in address and address not in found:
                    found.append(address)
    return found


def _decoded(part: EmailMessage) -> str:
    """A text part's words, whatever charset it says (an unknown one is read as UTF-8 with
    replacement characters rather than lost)."""
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "us-ascii"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")


def _filename(part: EmailMessage, index: int) -> str:
    name = part.get_filename() or ""
    name = " ".join(name.split()).replace("/", "_").replace("\\", "_")
    if name:
        return name[-200:]
    subtype = part.get_content_subtype() or "bin"
    return f"part-{index}.{subtype[:10]}"


def _leaves(message: EmailMessage):
    """The message's parts that are not containers; an attached message is one part (its
    own text is no part of this message's words)."""
    if message.get_content_maintype() == "message" and message.is_multipart():
        yield message
    elif message.is_multipart():
        for part in message.iter_parts():
            yield from _leaves(part)
    else:
        yield message


def _file_type(part: EmailMessage, content_type: str) -> str:
    """The file's type; mail programs that say only "octet-stream" are read by its name."""
    if content_type == "application/octet-stream":
        guessed, _encoding = mimetypes.guess_type(part.get_filename() or "")
        return guessed or content_type
    return content_type


def _machine(message: EmailMessage, from_address: str, subject: str) -> tuple[str, bool]:
    """Why a machine sent this (empty when a person did), and whether it is a bounce."""
    content_type = message.get_content_type()
    if content_type == "multipart/report" or message.get_param("report-type") == (
        "delivery-status"
    ):
        return "a delivery report (bounce)", True
    local = from_address.partition("@")[0]
    if local in _MACHINE_SENDERS:
        return f"sent by {local}", True
    if _header(message, "Return-Path") == "<>":
        return "a bounce (empty return path)", True
    auto = _header(message, "Auto-Submitted").lower()
    if auto and auto.split(";")[0].strip() != "no":
        return f"Auto-Submitted: {auto}", False
    precedence = _header(message, "Precedence").lower()
    if precedence in _BULK_PRECEDENCE:
        return f"Precedence: {precedence}", False
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder"):
        if _header(message, name):
            return f"{name} is set", False
    if _AUTO_REPLY_SUBJECT.match(subject):
        return "an automatic reply (by its subject)", False
    return "", False


def recipients_of(raw: bytes) -> list[str]:
    """The recipients of a message ``parse`` could not read, as far as its headers go."""
    try:
        message = email.message_from_bytes(raw, policy=compat32)
        return _addresses(message, "Delivered-To", "X-Original-To", "To", "Cc")
    except Exception:  # noqa: BLE001 (past repair: kept without a helpdesk)
        return []


def parse(raw: bytes) -> ParsedMail:
    """The message in ``raw``; Unreadable when it has no headers at all."""
    if not raw or not raw.strip():
        raise Unreadable("The message is empty.")
    message = email.message_from_bytes(raw, policy=default_policy)
    if not message.keys():
        raise Unreadable("The message has no headers.")
    from_header = _header(message, "From")
    from_name, from_address = parseaddr(from_header)
    from_address = from_address.strip().lower()
    if "@" not in from_address:
        raise Unreadable("The message says no sender (From).")
    subject = _header(message, "Subject")
    message_ids = _ids(_header(message, "Message-ID"))
    text_parts: list[str] = []
    html_parts: list[str] = []
    files: list[MailFile] = []
    for index, part in enumerate(_leaves(message)):
        content_type = part.get_content_type()
        disposition = part.get_content_disposition()
        content_id = _header(part, "Content-ID").strip("<>")
        # Words to read: a text part that is not a file (no attachment disposition, no
        # name, no cid: an inline image's HTML sibling of Apple Mail is still the body).
        is_body = disposition != "attachment" and not part.get_filename()
        if is_body and content_type == "text/plain" and not content_id:
            text_parts.append(_decoded(part))
        elif is_body and content_type == "text/html" and not content_id:
            html_parts.append(_decoded(part))
        elif content_type in ("message/delivery-status", "text/rfc822-headers"):
            continue
        elif content_type.startswith("message/"):  # a forwarded message: kept as it was sent
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else None
            content = inner.as_bytes() if inner is not None else b""
            title = _header(inner, "Subject") if inner is not None else ""
            name = part.get_filename() or f"{title.replace('/', '_')[:150] or 'message'}.eml"
            files.append(MailFile(name, content_type, content, content_id))
        else:
            content = part.get_payload(decode=True) or b""
            files.append(
                MailFile(
                    _filename(part, index), _file_type(part, content_type), content, content_id
                )
            )
    # A page's title is no part of what it says: dropped with scripts and styles.
    html = nh3.clean("\n".join(html_parts), clean_content_tags=_DROPPED) if html_parts else ""
    text = "\n\n".join(t.strip() for t in text_parts if t.strip())
    if not text and html:
        text = readable_text(html)
    automatic, is_bounce = _machine(message, from_address, subject)
    return ParsedMail(
        message_id=message_ids[0] if message_ids else stable_id(raw),
        from_address=from_address,
        from_name=" ".join(from_name.split()),
        subject=subject,
        recipients=_addresses(message, "Delivered-To", "X-Original-To", "To", "Cc"),
        in_reply_to=_ids(_header(message, "In-Reply-To")),
        references=_ids(_header(message, "References")),
        text=text.replace("\r\n", "\n"),
        html=html,
        files=files,
        automatic=automatic,
        is_bounce=is_bounce,
        loop_mark=_header(message, "X-Helpdesk-Loop").lower(),
    )


# Quoted history and signatures, trimmed from replies by mail-parser-reply. It knows no
# Hebrew, so the headers Hebrew Gmail, Outlook and Apple Mail write above a quote are added
# beside its own (the patterns follow its English ones).
MAIL_LANGUAGES.setdefault(
    "he",
    {
        "wrote_header": r"^("
        + QUOTED_MATCH_INCLUDE
        + r"(?:\u200f)?(?:בתאריך|ב-)\s.+?(?:כתב|כתבה|כתב/ה|מאת)\s?.*:)$",
        "from_header": r"((?:(?:^|\n|\n"
        + QUOTED_MATCH_INCLUDE
        + r")[* ]*(?:מאת|נשלח|אל|נושא|תאריך|עותק):[ *]*(?:\s{,2}).*){2,}(?:\n.*){,1})",
        "disclaimers": [],
        "signatures": ["בברכה", "תודה,", "תודה רבה,"],
        "sent_from": "נשלח מה-iPhone שלי|נשלח מ-",
    },
)


def reply_text(text: str) -> str:
    """The newest words of a reply: without the quoted history and the signature. Lines
    starting with a hyphen are a list, not a signature ("-- " alone starts one)."""
    if not text.strip():
        return ""
    message = ReplyMessage(text=text, languages=["en", "he"], keep_hyphen_lists=True).read()
    return message.replies[0].body.strip() if message.replies else text.strip()
