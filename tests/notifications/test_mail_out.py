"""Mail out through a real SMTP server: multipart, the reader's language and direction,
threaded to the ticket, marked automatic, each mail once."""

import pytest

from notifications.models import Notification
from notifications.tasks import notify_event_task
from tests.factories import make_ticket
from tickets.mail_threads import reply_address, ticket_for_message_ids
from tickets.models import TicketEvent, TicketMail
from tickets.notifications import muted
from tickets.services import add_comment, change_status


@pytest.fixture
def hebrew_bob(bob):
    bob.user.language = "he"
    bob.user.save(update_fields=["language"])
    return bob


@pytest.fixture
def acme_ticket(acme, bob, billing):
    with muted():
        return make_ticket(acme, bob.user, billing, subject="Charged twice")


def parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_a_hebrew_reader_gets_a_right_to_left_multipart_mail_with_isolated_user_text(
    smtp_server, help_mailbox, hebrew_bob, alice, acme_ticket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=acme_ticket, author=alice.user, body="Refund <done> & sent\n\nבסדר")

    (mail,) = smtp_server.wait_for(1)
    assert mail.envelope_to == ["bob@acme.test"]
    assert mail.get_content_type() == "multipart/alternative"
    assert mail["Content-Language"] == "he"
    text, html = parts(mail)
    assert '<html lang="he" dir="rtl">' in html
    # Escaped, in its own direction, its paragraphs inside one isolate.
    assert "<bdi>Refund &lt;done&gt; &amp; sent<br><br>בסדר</bdi>" in html
    assert "<bdi>Charged twice</bdi>" in html
    assert "Refund <done> & sent" in text
    assert "<img" not in html and "<link" not in html  # nothing external to load
    assert '<a href="http://127.0.0.1:8000/t/acme/tickets/' in html  # our own links only


def test_an_english_reader_gets_a_left_to_right_mail(
    smtp_server, bob, alice, acme_ticket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=acme_ticket, author=alice.user, body="Refund done")
    (mail,) = smtp_server.wait_for(1)
    assert mail["Content-Language"] == "en"
    assert '<html lang="en" dir="ltr">' in parts(mail)[1]


def test_every_mail_is_threaded_to_its_ticket_and_marked_automatic(
    smtp_server, help_mailbox, bob, alice, acme, acme_ticket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=acme_ticket, author=alice.user, body="Refund done")
    (first,) = smtp_server.wait_for(1)
    first_id = first["Message-ID"].strip("<>")
    # Kept: a reply naming it finds the ticket.
    kept = TicketMail.objects.get(message_id=first_id)
    assert kept.direction == "out" and kept.event.kind == "reply"
    assert ticket_for_message_ids(acme, [first_id]) == acme_ticket
    assert first["Reply-To"] == reply_address(acme_ticket)
    assert first["Reply-To"].startswith("help+") and first["Reply-To"].endswith("@acme.test")
    assert "Reply to this e-mail" in parts(first)[0]
    assert (
        'Reply to this e-mail, or answer at <a href="http://127.0.0.1:8000/t/acme/'
        in (parts(first)[1])
    )
    assert first["Auto-Submitted"] == "auto-generated"
    assert first["X-Auto-Response-Suppress"] == "All"
    assert first["X-Helpdesk-Loop"] == "127.0.0.1"  # the host of SITE_URL
    assert "Acme" in first["From"]
    assert first["In-Reply-To"] is None

    with django_capture_on_commit_callbacks(execute=True):
        change_status(ticket=acme_ticket, to="solved", by=alice.user)
    second = smtp_server.wait_for(2)[1]
    assert second["In-Reply-To"] == f"<{first_id}>"
    assert f"<{first_id}>" in second["References"]
    assert second["Message-ID"] != first["Message-ID"]


def test_without_a_support_address_there_is_no_reply_to_and_the_link_is_the_way(
    smtp_server, bob, alice, acme_ticket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=acme_ticket, author=alice.user, body="Refund done")
    (mail,) = smtp_server.wait_for(1)
    assert mail["Reply-To"] is None
    text = parts(mail)[0]
    assert "Reply to this e-mail" not in text
    assert f"http://127.0.0.1:8000/t/acme/tickets/{acme_ticket.number}/" in text
    assert TicketMail.objects.filter(direction="out").count() == 1  # its id is kept all the same


def test_the_task_run_twice_sends_each_mail_once(
    smtp_server, help_mailbox, bob, alice, sam, ada, acme, billing
):
    ticket = make_ticket(acme, bob.user, billing)  # not yet told: the task runs below
    event = TicketEvent.objects.get(ticket=ticket, kind="created")
    notify_event_task.apply(args=[event.pk])
    # A redelivery after the event was stamped, and one that lost the stamp: each person's
    # row stands in the way.
    notify_event_task.apply(args=[event.pk])
    TicketEvent.objects.filter(pk=event.pk).update(notified_at=None)
    notify_event_task.apply(args=[event.pk])

    messages = smtp_server.wait_for(5, timeout=2)  # a fifth would be a mail sent twice
    assert sorted(m.envelope_to[0] for m in messages) == [
        "ada@acme.test",
        "alice@acme.test",
        "bob@acme.test",
        "sam@acme.test",
    ]
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 4
