"""``manage.py receive_email`` as a mail server runs it: a process, the message on standard
input, the answer in its exit code (sysexits) and its first line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from mailroom.models import InboundMessage
from tickets.models import Comment, Ticket

from .conftest import mail

ROOT = Path(__file__).resolve().parents[2]
Outcome = InboundMessage.Outcome
pytestmark = pytest.mark.django_db(transaction=True)  # the command reads committed rows


def database_url(port: int | None = None) -> str:
    db = connection.settings_dict
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER']}@{host}:{port or db['PORT'] or 5432}/{db['NAME']}"


def run(raw: bytes, *args: str, url: str | None = None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url or database_url(),
        "REDIS_URL": "",  # tasks in-process: no broker needed by the pipe
    }
    return subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [sys.executable, "manage.py", "receive_email", *args],
        input=raw,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def test_a_new_request_exits_0_and_names_its_ticket(help_mailbox, bob):
    done = run(mail(subject="Piped in"))

    assert done.returncode == 0, done.stderr.decode()
    ticket = Ticket.objects.get(subject="Piped in")
    assert done.stdout.decode().splitlines()[0] == f"ticket {ticket.number}"
    assert ticket.channel == Ticket.Channel.EMAIL


def test_to_names_the_mailbox_and_its_tag_the_ticket(help_mailbox, bob, acme_ticket):
    from tickets.mail_threads import reply_address

    done = run(mail(to="someone@else.test"), "--to", reply_address(acme_ticket))

    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().splitlines()[0] == f"ticket {acme_ticket.number}"
    assert Comment.objects.filter(ticket=acme_ticket, author=bob.user).count() == 1


def test_a_forged_agent_reply_to_the_requester_s_address_exits_77_and_posts_nothing(
    help_mailbox, bob, alice, mailoutbox
):
    """The reported attack, as the mail server delivers it: Bob's receipt names a reply
    address; a mail to it with Alice Agent's From is refused, not posted as Alice."""
    assert run(mail(subject="Charged twice")).returncode == 0
    ticket = Ticket.objects.get(subject="Charged twice")
    from tickets.mail_threads import reply_address

    forged = mail(
        sender="Alice Agent <alice@acme.test>", to=reply_address(ticket), body="Refunded."
    )
    done = run(forged)

    assert done.returncode == 77, done.stdout.decode()
    assert not Comment.objects.filter(ticket=ticket).exists()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW
    assert InboundMessage.objects.filter(outcome=Outcome.REFUSED, sender="alice@acme.test").exists()


def test_a_duplicate_and_an_auto_reply_exit_0_and_make_nothing(help_mailbox, bob):
    raw = mail()
    assert run(raw).returncode == 0
    again = run(raw)
    auto = run(mail(headers={"Auto-Submitted": "auto-replied"}))

    assert again.returncode == 0 and again.stdout.decode().startswith("duplicate")
    assert auto.returncode == 0 and auto.stdout.decode().startswith("dropped")
    assert Ticket.objects.count() == 1


def test_a_refusal_exits_77_with_the_reason_printed_and_recorded(help_mailbox):
    done = run(mail(sender="zed@stranger.test"))

    assert done.returncode == 77
    printed = done.stdout.decode()
    assert "invitation-only" in printed
    recorded = InboundMessage.objects.get(sender="zed@stranger.test")
    assert recorded.outcome == Outcome.REFUSED
    assert recorded.reason in printed
    assert recorded.told_at is not None  # the sender is told (once)


def test_no_such_mailbox_exits_77(help_mailbox, bob):
    done = run(mail(to="nobody@elsewhere.test"))
    assert done.returncode == 77
    assert "No support address" in done.stdout.decode()


def test_a_database_that_cannot_be_reached_exits_75_and_writes_nothing(help_mailbox, bob):
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    done = run(mail(subject="Deliver me later"), url=database_url(port))

    assert done.returncode == 75, (done.stdout, done.stderr)
    assert "temporary failure" in done.stdout.decode()
    assert not InboundMessage.objects.exists()
    assert not Ticket.objects.exists()
    # Delivered again once the database is back: nothing was lost.
    assert run(mail(subject="Deliver me later")).returncode == 0
    assert Ticket.objects.filter(subject="Deliver me later").count() == 1


def test_a_malformed_message_is_kept_and_exits_0(help_mailbox):
    done = run(b"To: help@acme.test\r\nSubject: no sender\r\n\r\nwho?")
    assert done.returncode == 0
    kept = InboundMessage.objects.get()
    assert kept.outcome == Outcome.FAILED and bytes(kept.raw).endswith(b"who?")
