"""Real-world shapes of mail, each with what must become of it.

``corpus/`` holds messages written after what Outlook, Gmail, Apple Mail, Hebrew webmail,
Postfix and an Outlook out-of-office really send (their headers, MIME trees and encodings).
The very large ones (thirty files, 25 MB) are made here rather than kept in the repository.
"""

from __future__ import annotations

import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.conf import settings

from mailroom.delivery import receive
from mailroom.models import InboundMessage
from tests.factories import make_member, make_ticket
from tickets.mail_threads import remember
from tickets.models import Attachment, Comment, Ticket

CORPUS = Path(__file__).parent / "corpus"
Outcome = InboundMessage.Outcome


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@pytest.fixture
def hebrew_customers(acme, acme_co):
    return [
        make_member(acme, "dana@acme.test", name="Dana Levi", organization=acme_co),
        make_member(acme, "yossi@acme.test", name="Yossi Cohen", organization=acme_co),
    ]


def test_outlook_a_new_request_with_a_pdf(help_mailbox, bob):
    receipt = receive(corpus("outlook_new_with_pdf.eml"))

    assert receipt.outcome == Outcome.TICKET
    ticket = receipt.ticket
    assert ticket.subject == "Invoice 2026-114 charged twice"
    assert ticket.description.startswith("Hello,\n\nOur card was charged twice")
    assert "refund one of the two payments?" in ticket.description  # soft line break joined
    (pdf,) = Attachment.objects.filter(ticket=ticket)
    assert (pdf.filename, pdf.content_type, pdf.comment) == (
        "invoice-2026-114.pdf",
        "application/pdf",
        None,
    )
    assert pdf.file.read().startswith(b"%PDF-1.4")


def test_gmail_a_reply_lands_on_its_ticket_without_the_quote(acme, help_mailbox, bob, billing):
    ticket = make_ticket(acme, bob.user, billing, subject="Invoice 2026-114 charged twice")
    remember(ticket=ticket, message_id="corpus-receipt-1@acme.test", direction="out")

    receipt = receive(corpus("gmail_reply.eml"))

    assert (receipt.outcome, receipt.ticket) == (Outcome.COMMENT, ticket)
    comment = Comment.objects.get(ticket=ticket)
    assert comment.body == "Thank you, the refund arrived this morning."
    assert comment.author == bob.user


def test_apple_mail_the_inline_image_is_kept_as_a_file(help_mailbox, carol):
    receipt = receive(corpus("apple_mail_inline_image.eml"))

    assert receipt.ticket.subject == "Screen stays black after the update"
    assert receipt.ticket.description.startswith("After the update the screen stays black")
    (image,) = Attachment.objects.filter(ticket=receipt.ticket)
    assert (image.filename, image.content_type) == ("screen.png", "image/png")
    assert image.file.read().startswith(b"\x89PNG")


def test_hebrew_windows_1255_quoted_printable_with_encoded_subject(help_mailbox, hebrew_customers):
    receipt = receive(corpus("hebrew_windows_1255.eml"))

    assert receipt.outcome == Outcome.TICKET
    assert receipt.ticket.subject == "החשבונית חויבה פעמיים"
    assert receipt.ticket.description.startswith("שלום,\n\nהכרטיס שלנו חויב פעמיים")
    assert receipt.ticket.requester.email == "dana@acme.test"


def test_hebrew_iso_8859_8_i_base64_with_a_q_encoded_subject(help_mailbox, hebrew_customers):
    receipt = receive(corpus("hebrew_iso_8859_8_i.eml"))

    assert receipt.ticket.subject == "בעיה בהתחברות"
    assert "אני לא מצליח להתחבר מאז אתמול." in receipt.ticket.description
    assert "\ufffd" not in receipt.ticket.description + receipt.ticket.subject


def test_a_postfix_bounce_is_dropped_and_answered_by_nobody(
    help_mailbox, bob, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        receipt = receive(corpus("bounce_dsn.eml"))
    assert receipt.outcome == Outcome.DROPPED
    assert "bounce" in receipt.reason
    assert not Ticket.objects.exists() and mailoutbox == []


def test_an_out_of_office_reply_is_dropped_even_on_a_known_thread(
    acme, help_mailbox, bob, billing, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = make_ticket(acme, bob.user, billing)
    remember(ticket=ticket, message_id="corpus-receipt-1@acme.test", direction="out")
    with django_capture_on_commit_callbacks(execute=True):
        receipt = receive(corpus("out_of_office.eml"))
    assert receipt.outcome == Outcome.DROPPED
    assert not Comment.objects.exists() and mailoutbox == []


def test_a_malformed_message_is_kept_whole_for_the_admins(help_mailbox):
    raw = corpus("malformed.eml")
    receipt = receive(raw)
    assert receipt.outcome == Outcome.FAILED
    assert bytes(receipt.inbound.raw) == raw
    assert receipt.inbound.tenant == help_mailbox.tenant  # their admins see it
    assert not Ticket.objects.exists()


def test_an_html_only_message_becomes_readable_sanitized_text(help_mailbox, bob):
    receipt = receive(corpus("html_only_web_form.eml"))

    text = receipt.ticket.description
    assert text.startswith("Please change the delivery address to:\n\n12 Main Street\nSpringfield")
    assert "order 77 (https://www.acme.test/orders/77)" in text
    assert "alert" not in text and "color:red" not in text and "steal" not in text
    assert "<" not in text


# --- Made here: too big to keep in the repository ------------------------------------------


def _message(files: list[tuple[str, str, bytes]]) -> bytes:
    message = EmailMessage()
    message["From"] = "Bob Buyer <bob@acme.test>"
    message["To"] = "help@acme.test"
    message["Subject"] = "Scans of every page"
    message["Message-ID"] = f"<generated-{len(files)}-{time.monotonic_ns()}@acme.test>"
    message.set_content("All the pages, as asked.")
    for name, content_type, content in files:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def test_thirty_attachments_are_all_kept(help_mailbox, bob):
    files = [(f"page-{n:02}.png", "image/png", b"\x89PNG page %d" % n) for n in range(1, 31)]
    receipt = receive(_message(files))

    kept = Attachment.objects.filter(ticket=receipt.ticket).order_by("filename")
    assert [a.filename for a in kept] == [f"page-{n:02}.png" for n in range(1, 31)]
    assert "not kept" not in receipt.ticket.description


def test_a_25_mb_message_keeps_its_request_and_names_the_file_too_big(help_mailbox, bob):
    big = b"\0" * (25 * 1024 * 1024)
    raw = _message([("backup.zip", "application/zip", big), ("notes.txt", "text/plain", b"hi")])
    assert len(raw) > 25 * 1024 * 1024

    started = time.monotonic()
    receipt = receive(raw)
    seconds = time.monotonic() - started

    assert receipt.outcome == Outcome.TICKET
    assert [a.filename for a in Attachment.objects.filter(ticket=receipt.ticket)] == ["notes.txt"]
    assert "backup.zip is too big" in receipt.ticket.description
    assert "Files of this e-mail that were not kept" in receipt.ticket.description
    assert seconds < 30, seconds


def test_a_file_of_a_type_not_accepted_is_named_not_lost(help_mailbox, bob):
    raw = _message([("setup.exe", "application/x-msdownload", b"MZ")])
    receipt = receive(raw)
    assert "setup.exe is a kind of file this helpdesk does not accept" in (
        receipt.ticket.description
    )
    assert not Attachment.objects.exists()
    assert "application/x-msdownload" not in settings.ATTACHMENT_ALLOWED_TYPES
