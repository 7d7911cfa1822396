"""The IMAP way in, against a real dovecot: acme's help@acme.test is read by IMAP over TLS.

Messages reach the box by IMAP APPEND, as a mail server's delivery would put them there."""

from __future__ import annotations

import imaplib

import pytest
from django.db import connections

from mailroom import imap as fetcher
from mailroom.delivery import TemporaryFailure
from mailroom.delivery import receive as real_receive
from mailroom.imap import fetch_mailbox
from mailroom.mailboxes import ImapSettings, update_mailbox
from mailroom.models import InboundMessage
from mailroom.tasks import fetch_imap_mailbox_task, fetch_imap_mailboxes_task
from tickets.mail_threads import reply_address
from tickets.models import Comment, Mailbox, Ticket

from ..conftest import wait_for
from .conftest import mail
from .imapserver import running_imap_server

USER, PASSWORD = "help@acme.test", "correct horse battery"
Outcome = InboundMessage.Outcome


def read_by_imap(mailbox, server, *, tls=True, password=PASSWORD) -> Mailbox:
    server.add_user(USER, PASSWORD)
    return update_mailbox(
        mailbox=mailbox,
        by=None,
        imap=ImapSettings(
            host="127.0.0.1",
            port=server.tls_port if tls else server.port,
            tls=tls,
            username=USER,
            password=password,
        ),
    )


@pytest.fixture
def dovecot():
    with running_imap_server() as server:
        yield server


@pytest.fixture
def imap_box(settings, dovecot, help_mailbox):
    settings.IMAP_CA_FILE = str(dovecot.ca_file)  # the test's own certificate is trusted
    return read_by_imap(help_mailbox, dovecot)


def in_folder(server, folder="INBOX", query="ALL") -> int:
    return server.count(USER, PASSWORD, folder, query)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_bob_mails_the_box_and_his_reply_to_the_receipt_lands_on_the_same_ticket(
    real_worker, smtp_server, dovecot, imap_box, bob, alice
):
    dovecot.append(USER, PASSWORD, mail(subject="Charged twice", body="Charged twice."))

    fetch_imap_mailboxes_task.delay()  # what beat runs every minute

    wait_for(lambda: Ticket.objects.filter(subject="Charged twice").exists())
    ticket = Ticket.objects.get(subject="Charged twice")
    assert (ticket.requester, ticket.channel) == (bob.user, Ticket.Channel.EMAIL)
    smtp_server.wait_for(1)
    wait_for(lambda: smtp_server.to("bob@acme.test"))
    receipt = smtp_server.to("bob@acme.test")[0]
    assert receipt["Reply-To"] == reply_address(ticket)

    reply = mail(
        to=receipt["Reply-To"],
        subject=f"Re: {receipt['Subject']}",
        body="It happened again this morning.",
        headers={"In-Reply-To": receipt["Message-ID"], "References": receipt["Message-ID"]},
    )
    dovecot.append(USER, PASSWORD, reply)
    fetch_imap_mailbox_task.delay(imap_box.pk)

    wait_for(lambda: Comment.objects.filter(ticket=ticket).exists())
    comment = Comment.objects.get(ticket=ticket)
    assert (comment.author, comment.is_public) == (bob.user, True)
    assert "It happened again this morning." in comment.body
    assert Ticket.objects.count() == 1
    # Alice works Billing: she hears of the request and of Bob's reply.
    wait_for(
        lambda: any(
            "It happened again this morning." in m.get_body(("plain",)).get_content()
            for m in smtp_server.to("alice@acme.test")
        )
    )
    assert in_folder(dovecot) == 0
    assert in_folder(dovecot, "Processed") == 2
    imap_box.refresh_from_db()
    assert imap_box.last_fetched_at is not None and imap_box.last_error == ""


def test_reading_marks_nothing_read_and_a_message_is_moved_only_once_delivered(
    dovecot, imap_box, bob, monkeypatch
):
    dovecot.append(USER, PASSWORD, mail(subject="First"))
    seen_while_delivering = []

    def receive(raw, **kwargs):
        # BODY.PEEK: the message is still unread, still in the inbox, while it is delivered.
        seen_while_delivering.append(
            (in_folder(dovecot, query="UNSEEN"), in_folder(dovecot, "Processed"))
        )
        return real_receive(raw, **kwargs)

    monkeypatch.setattr(fetcher, "receive", receive)
    report = fetch_mailbox(mailbox=imap_box)

    assert report.delivered == 1
    assert seen_while_delivering == [(1, 0)]
    assert (in_folder(dovecot), in_folder(dovecot, "Processed")) == (0, 1)


def test_a_connection_cut_after_delivery_means_a_second_fetch_and_a_duplicate_not_a_ticket(
    dovecot, imap_box, bob, monkeypatch
):
    dovecot.append(USER, PASSWORD, mail(subject="Printer on fire"))

    def receive_then_cut(raw, **kwargs):
        receipt = real_receive(raw, **kwargs)
        dovecot.kick(USER)  # committed, and the server drops us before the move
        return receipt

    monkeypatch.setattr(fetcher, "receive", receive_then_cut)
    cut = fetch_mailbox(mailbox=imap_box)

    assert cut.delivered == 0
    assert in_folder(dovecot) == 1  # not acknowledged: still there
    imap_box.refresh_from_db()
    assert "connection was lost" in imap_box.last_error

    monkeypatch.setattr(fetcher, "receive", real_receive)
    again = fetch_mailbox(mailbox=imap_box)

    assert again.delivered == 1
    assert Ticket.objects.filter(subject="Printer on fire").count() == 1
    outcomes = list(InboundMessage.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == [Outcome.TICKET, Outcome.DUPLICATE]
    assert (in_folder(dovecot), in_folder(dovecot, "Processed")) == (0, 1)
    imap_box.refresh_from_db()
    assert imap_box.last_error == ""


def test_a_temporary_failure_leaves_the_message_for_the_next_run(
    dovecot, imap_box, bob, monkeypatch
):
    dovecot.append(USER, PASSWORD, mail(subject="Database is down"))

    def database_down(raw, **kwargs):
        raise TemporaryFailure("could not connect to server")

    monkeypatch.setattr(fetcher, "receive", database_down)
    report = fetch_mailbox(mailbox=imap_box)

    assert (report.delivered, report.left) == (0, 1)
    assert (in_folder(dovecot), in_folder(dovecot, "Processed")) == (1, 0)
    imap_box.refresh_from_db()
    assert "tried again at the next run" in imap_box.last_error

    monkeypatch.setattr(fetcher, "receive", real_receive)
    assert fetch_mailbox(mailbox=imap_box).delivered == 1
    assert Ticket.objects.filter(subject="Database is down").count() == 1


def test_a_server_without_move_gets_copy_deleted_and_expunge(settings, help_mailbox, bob):
    with running_imap_server(extra="imap_capability = IMAP4rev1 LITERAL+ UIDPLUS") as server:
        settings.IMAP_CA_FILE = str(server.ca_file)
        mailbox = read_by_imap(help_mailbox, server)
        server.append(USER, PASSWORD, mail(subject="Old server"))
        server.append(USER, PASSWORD, mail(subject="Old server again"))

        assert fetch_mailbox(mailbox=mailbox).delivered == 2

        assert server.count(USER, PASSWORD) == 0
        assert server.count(USER, PASSWORD, "Processed") == 2
        assert Ticket.objects.filter(subject__startswith="Old server").count() == 2


def test_without_a_processed_folder_fetched_mail_is_flagged_and_not_fetched_again(
    settings, dovecot, imap_box, bob
):
    settings.IMAP_PROCESSED_FOLDER = ""
    dovecot.append(USER, PASSWORD, mail(subject="Flag me"))

    assert fetch_mailbox(mailbox=imap_box).delivered == 1
    assert fetch_mailbox(mailbox=imap_box).delivered == 0

    assert in_folder(dovecot) == 1
    assert in_folder(dovecot, query="KEYWORD $HelpdeskProcessed SEEN") == 1
    assert InboundMessage.objects.count() == 1  # not even a duplicate the second time


def test_a_wrong_password_is_the_mailboxes_last_error_not_a_crash(dovecot, imap_box, bob):
    dovecot.append(USER, PASSWORD, mail(subject="Never read"))
    update_mailbox(
        mailbox=imap_box,
        by=None,
        imap=ImapSettings(host="127.0.0.1", port=dovecot.tls_port, username=USER, password="wrong"),
    )

    assert fetch_imap_mailbox_task.delay(imap_box.pk).get() == 0

    imap_box.refresh_from_db()
    assert "refused the user name or password" in imap_box.last_error
    assert imap_box.last_fetched_at is None
    assert in_folder(dovecot) == 1 and not Ticket.objects.exists()


def test_an_unreachable_host_is_the_last_error(settings, help_mailbox):
    from .imapserver import free_port

    mailbox = update_mailbox(
        mailbox=help_mailbox,
        by=None,
        imap=ImapSettings(host="127.0.0.1", port=free_port(), username=USER, password="x"),
    )

    fetch_mailbox(mailbox=mailbox)

    mailbox.refresh_from_db()
    assert mailbox.last_error.startswith("Could not reach 127.0.0.1 on port")


def test_tls_fails_when_the_certificate_is_not_trusted(settings, dovecot, imap_box, bob):
    settings.IMAP_CA_FILE = ""  # the system's authorities only: the test's cert is unknown
    dovecot.append(USER, PASSWORD, mail(subject="Untrusted"))

    fetch_mailbox(mailbox=imap_box)

    imap_box.refresh_from_db()
    assert "certificate of 127.0.0.1 could not be verified" in imap_box.last_error
    assert not Ticket.objects.exists()

    settings.IMAP_CA_FILE = str(dovecot.ca_file)
    assert fetch_mailbox(mailbox=imap_box).delivered == 1


def test_plain_imap_works_where_the_mailbox_says_so(dovecot, help_mailbox, bob):
    mailbox = read_by_imap(help_mailbox, dovecot, tls=False)
    dovecot.append(USER, PASSWORD, mail(subject="Plain"))

    assert fetch_mailbox(mailbox=mailbox).delivered == 1
    assert Ticket.objects.filter(subject="Plain").exists()


def test_one_run_per_mailbox_at_a_time(dovecot, imap_box, bob):
    dovecot.append(USER, PASSWORD, mail(subject="Wait your turn"))
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:  # another worker's run holds the mailbox
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [fetcher._LOCK_CLASS, imap_box.pk])

        assert fetch_mailbox(mailbox=imap_box).skipped
        assert in_folder(dovecot) == 1 and not Ticket.objects.exists()
    finally:  # that run ends
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [fetcher._LOCK_CLASS, imap_box.pk])
        other.close()

    assert fetch_mailbox(mailbox=imap_box).delivered == 1


def test_the_beat_job_reads_active_imap_mailboxes_only(
    settings, dovecot, imap_box, acme, billing, bob
):
    assert settings.CELERY_BEAT_SCHEDULE["mailroom-fetch-imap"]["schedule"] == 60.0
    Mailbox.objects.create(tenant=acme, address="piped@acme.test", queue=billing)
    dovecot.append(USER, PASSWORD, mail(subject="From beat"))

    assert fetch_imap_mailboxes_task.delay().get() == 1

    assert Ticket.objects.filter(subject="From beat").exists()
    Mailbox.objects.filter(pk=imap_box.pk).update(is_active=False)
    assert fetch_imap_mailboxes_task.delay().get() == 0


def test_a_hebrew_password_and_folder_travel_as_imap_wants_them(
    settings, dovecot, help_mailbox, bob
):
    settings.IMAP_CA_FILE = str(dovecot.ca_file)
    dovecot.add_user(USER, "סיסמה סודית")
    folder = fetcher._modified_utf7("תמיכה")  # what the server calls it on the wire
    mailbox = update_mailbox(
        mailbox=help_mailbox,
        by=None,
        imap=ImapSettings(
            host="127.0.0.1",
            port=dovecot.tls_port,
            username=USER,
            password="סיסמה סודית",
            folder="תמיכה",
        ),
    )
    admin = imaplib.IMAP4("127.0.0.1", dovecot.port)  # a mail client makes the folder
    admin.authenticate("PLAIN", lambda _challenge: f"\0{USER}\0סיסמה סודית".encode())
    assert admin.create(f'"{folder}"')[0] == "OK"
    assert admin.append(f'"{folder}"', None, None, mail(subject="In Hebrew"))[0] == "OK"
    admin.logout()

    assert fetch_mailbox(mailbox=mailbox).delivered == 1

    assert Ticket.objects.filter(subject="In Hebrew").exists()
