"""Reading raw mail: charsets a Hebrew mailbox sends, encoded words, bodies and machines."""

from __future__ import annotations

import base64
import quopri

import pytest

from mailroom.parsing import Unreadable, parse, reply_text, stable_id


def raw(headers: str, body: bytes = b"", content_type="text/plain", encoding="8bit", **params):
    charset = params.get("charset", "utf-8")
    head = (
        f"{headers}\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: {content_type}; charset="{charset}"\r\n'
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
    )
    return head.encode("utf-8") + body  # raw 8-bit headers, as some mailers send


HEBREW = "שלום, המדפסת לא עובדת"


@pytest.mark.parametrize(
    ("charset", "codec"),
    [
        ("utf-8", "utf-8"),
        ("windows-1255", "cp1255"),
        ("iso-8859-8", "iso8859_8"),
        ("iso-8859-8-i", "iso8859_8"),
        ("ISO-8859-8-E", "iso8859_8"),
    ],
)
@pytest.mark.parametrize("encoding", ["quoted-printable", "base64", "8bit"])
def test_hebrew_bodies_in_every_charset_and_transfer_encoding(charset, codec, encoding):
    data = HEBREW.encode(codec)
    body = {
        "quoted-printable": quopri.encodestring(data),
        "base64": base64.encodebytes(data),
        "8bit": data,
    }[encoding]
    mail = parse(
        raw("From: dana@acme.test\r\nSubject: x", body, encoding=encoding, charset=charset)
    )
    assert mail.text == HEBREW


@pytest.mark.parametrize("charset", ["utf-8", "windows-1255", "iso-8859-8", "iso-8859-8-i"])
@pytest.mark.parametrize("kind", ["B", "Q"])
def test_rfc_2047_subjects_and_names(charset, kind):
    codec = "iso8859_8" if charset.endswith("-i") else charset
    data = "דנה לוי".encode(codec)
    if kind == "B":
        word = f"=?{charset}?B?{base64.b64encode(data).decode()}?="
    else:
        word = f"=?{charset}?Q?{''.join(f'={b:02X}' for b in data)}?="
    mail = parse(raw(f"From: {word} <dana@acme.test>\r\nSubject: {word}", b"x"))
    assert mail.subject == "דנה לוי"
    assert mail.from_name == "דנה לוי"


def test_an_unknown_charset_is_read_rather_than_lost():
    mail = parse(raw("From: a@b.test\r\nSubject: x", "héllo".encode(), charset="x-unknown-42"))
    assert mail.text.startswith("h") and mail.text.endswith("llo")


def test_sender_recipients_and_thread_ids():
    mail = parse(
        raw(
            'From: "Bob" <BOB@Acme.Test>\r\nTo: a@x.test, Help <help+7.abc@acme.test>\r\n'
            "Cc: c@x.test\r\nDelivered-To: help@acme.test\r\nX-Original-To: orig@acme.test\r\n"
            "Message-ID: <m1@x.test>\r\nIn-Reply-To: <r1@acme.test>\r\n"
            "References: <r0@acme.test>\r\n <r1@acme.test>\r\nSubject: Re: hi",
            b"ok",
        )
    )
    assert (mail.from_address, mail.from_name, mail.message_id) == (
        "bob@acme.test",
        "Bob",
        "m1@x.test",
    )
    assert mail.recipients == [
        "help@acme.test",
        "orig@acme.test",
        "a@x.test",
        "help+7.abc@acme.test",
        "c@x.test",
    ]
    assert mail.in_reply_to == ["r1@acme.test"]
    assert mail.references == ["r0@acme.test", "r1@acme.test"]


def test_a_message_without_an_id_gets_the_same_one_for_the_same_bytes():
    one = raw("From: a@b.test\r\nSubject: x", b"same")
    assert parse(one).message_id == parse(one).message_id == stable_id(one)
    assert parse(one + b"!").message_id != parse(one).message_id


@pytest.mark.parametrize("data", [b"", b"   \r\n", b"Subject: no sender\r\n\r\nhello"])
def test_what_is_no_message_is_unreadable(data):
    with pytest.raises(Unreadable):
        parse(data)


def test_html_is_sanitized_and_its_text_kept_when_there_is_no_text_part():
    html = b'<p>Hi <b>there</b><script>x()</script></p><p onclick="y()">two<br>lines</p>'
    mail = parse(raw("From: a@b.test\r\nSubject: x", html, content_type="text/html"))
    assert "script" not in mail.html and "onclick" not in mail.html
    assert mail.text == "Hi there\n\ntwo\nlines"


@pytest.mark.parametrize(
    ("headers", "bounce"),
    [
        ("From: a@b.test\r\nAuto-Submitted: auto-generated", False),
        ("From: a@b.test\r\nPrecedence: bulk", False),
        ("From: a@b.test\r\nX-Autoreply: yes", False),
        ("From: a@b.test\r\nSubject: Out of Office: back Monday", False),
        ("From: a@b.test\r\nSubject: תשובה אוטומטית: לא במשרד", False),
        ("From: Mailer-Daemon@mx.test", True),
        ("From: a@b.test\r\nReturn-Path: <>", True),
    ],
)
def test_machines_are_recognised(headers, bounce):
    mail = parse(raw(headers, b"x"))
    assert mail.automatic
    assert mail.is_bounce is bounce


def test_a_person_is_no_machine():
    mail = parse(
        raw("From: a@b.test\r\nSubject: Office is out of paper\r\nAuto-Submitted: no", b"x")
    )
    assert mail.automatic == ""


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        (
            "Works now.\n\nOn Mon, 7 Dec 2026 at 10:00, Acme <help@acme.test> wrote:\n"
            "> Try again\n",
            "Works now.",
        ),
        (
            "עובד עכשיו.\n\nבתאריך יום ב׳, 7 בדצמ׳ 2026 ב-10:00 מאת Acme <help@acme.test>:\n"
            "> נסו שוב\n",
            "עובד עכשיו.",
        ),
        (
            "Fixed.\n\n________________________________\nFrom: Acme <help@acme.test>\n"
            "Sent: Monday, 7 December 2026 10:00\nTo: Bob\nSubject: RE: x\n\nTry again",
            "Fixed.",
        ),
        ("Fixed.\n\n-- \nBob Buyer\nAcme Co, +1 555 0100", "Fixed."),
        ("Fixed.\n\nSent from my iPhone", "Fixed."),
        (
            "Two things:\n- the printer\n- the scanner\n\n-- \nBob",
            "Two things:\n- the printer\n- the scanner",
        ),
    ],
)
def test_quoted_history_and_signatures_are_trimmed_from_replies(text, reply):
    assert reply_text(text) == reply


def test_a_forwarded_message_is_one_file_and_its_words_are_not_the_body():
    from email.message import EmailMessage

    inner = EmailMessage()
    inner["From"] = "vendor@x.test"
    inner["Subject"] = "Your order"
    inner.set_content("Inner words")
    outer = EmailMessage()
    outer["From"] = "bob@acme.test"
    outer["Subject"] = "Fwd: Your order"
    outer.set_content("See the forwarded mail.")
    outer.add_attachment(inner)
    outer.add_attachment(
        b"%PDF-1.4", maintype="application", subtype="octet-stream", filename="a.pdf"
    )

    mail = parse(outer.as_bytes())

    assert mail.text == "See the forwarded mail."
    assert [(f.content_type, f.filename) for f in mail.files] == [
        ("message/rfc822", "Your order.eml"),
        ("application/pdf", "a.pdf"),
    ]
    assert b"Inner words" in mail.files[0].content
