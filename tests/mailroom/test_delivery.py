"""receive(): mail becomes tickets and comments by the same rules as everywhere."""

from __future__ import annotations

import email
from email.policy import default as default_policy

import pytest
from django.utils.crypto import salted_hmac

from accounts.models import AuditEntry, JoiningRule, Membership, User
from mailroom.delivery import discard_message, receive, retry_message
from mailroom.models import InboundMessage
from notifications.models import Kind, Notification
from tests.factories import make_ticket, role
from tickets.mail_threads import reply_address
from tickets.models import Comment, Ticket, TicketMail
from tickets.notifications import muted
from tickets.services import change_status

from .conftest import mail

Outcome = InboundMessage.Outcome


def parsed(message):
    return email.message_from_bytes(message.message().as_bytes(), policy=default_policy)


def told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


# --- New requests ----------------------------------------------------------------------------


def test_bob_writes_to_the_support_address_and_a_ticket_is_made(
    help_mailbox, bob, alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        receipt = receive(mail(subject="Charged twice", body="My card was charged twice."))

    assert receipt.outcome == Outcome.TICKET
    ticket = receipt.ticket
    assert ticket.requester == bob.user
    assert ticket.subject == "Charged twice"
    assert ticket.description == "My card was charged twice."
    assert ticket.channel == Ticket.Channel.EMAIL
    assert ticket.queue == help_mailbox.queue
    kept = TicketMail.objects.get(ticket=ticket, direction="in")
    assert (kept.author, kept.from_address) == (bob.user, "bob@acme.test")
    assert receipt.inbound.outcome == Outcome.TICKET and receipt.inbound.raw is None
    # The notifications of any new request: bob's receipt, the new request to Billing's agent.
    assert told(Kind.RECEIVED) == ["bob@acme.test"]
    assert told(Kind.NEW_REQUEST) == ["alice@acme.test"]
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@acme.test", "bob@acme.test"]


def test_the_mailbox_is_found_from_delivered_to_when_to_names_someone_else(help_mailbox, bob):
    raw = mail(to="Everyone <team@acme.test>", headers={"Delivered-To": "help@acme.test"})
    assert receive(raw).outcome == Outcome.TICKET


def test_a_plus_addressed_support_address_is_the_same_mailbox(help_mailbox, bob):
    raw = mail(to="team@acme.test", headers={"Cc": "Help <help+billing@acme.test>"})
    assert receive(raw).outcome == Outcome.TICKET


def test_mail_to_no_support_address_is_refused_and_the_sender_told_once(
    help_mailbox, bob, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = receive(mail(to="nobody@elsewhere.test"))
        second = receive(mail(to="nobody@elsewhere.test"))

    assert first.outcome == second.outcome == Outcome.REFUSED
    assert first.inbound.tenant is None
    assert "No support address" in first.reason
    assert [m.to for m in mailoutbox] == [["bob@acme.test"]]
    assert mailoutbox[0].extra_headers["Auto-Submitted"] == "auto-replied"
    assert not Ticket.objects.exists()


def test_a_pending_member_is_refused_with_the_reason(help_mailbox, pete):
    receipt = receive(mail(sender="pete@pending.test"))
    assert receipt.outcome == Outcome.REFUSED
    assert receipt.reason
    assert not Ticket.objects.exists()


def test_an_agent_mailing_in_opens_a_request_as_themself_and_nothing_more(help_mailbox, alice):
    receipt = receive(mail(sender="alice@acme.test", subject="[#1] urgent"))
    assert receipt.ticket.requester == alice.user
    assert receipt.ticket.priority == Ticket.Priority.NORMAL


# --- Strangers and the joining rules --------------------------------------------------------


def test_an_invitation_only_helpdesk_refuses_a_stranger_and_says_so_once(
    help_mailbox, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = receive(mail(sender="zed@stranger.test"))
        receive(mail(sender="zed@stranger.test", subject="Again"))

    assert first.outcome == Outcome.REFUSED
    assert "invitation-only" in first.reason
    assert not User.objects.filter(email="zed@stranger.test").exists()
    (notice,) = mailoutbox
    assert notice.to == ["zed@stranger.test"]
    assert "invitation-only" in notice.body
    assert InboundMessage.objects.filter(outcome=Outcome.REFUSED).count() == 2


def test_a_stranger_of_an_allowed_domain_becomes_an_unverified_customer_with_a_link(
    client, help_mailbox, customers_of_acme_test, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        receipt = receive(mail(sender="Dan Dee <dan@acme.test>", subject="Hello"))

    assert receipt.outcome == Outcome.TICKET
    dan = User.objects.get(email="dan@acme.test")
    assert dan.name == "Dan Dee"
    assert not dan.email_verified and not dan.has_usable_password()
    member = Membership.objects.get(user=dan)
    assert member.role.key == "customer" and member.status == Membership.Status.ACTIVE
    assert receipt.ticket.requester == dan
    (link_mail,) = [m for m in mailoutbox if "Confirm your address" in m.subject]
    link = next(line for line in link_mail.body.splitlines() if "/password/reset/" in line)
    path = link.split("8000", 1)[1]

    page = client.get(path, follow=True)
    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
    )

    assert response.status_code == 302
    dan.refresh_from_db()
    assert dan.email_verified and dan.check_password("a-long-new-passphrase")


@pytest.mark.parametrize("what", ["staff role", "approval"])
def test_a_rule_that_gives_staff_work_or_needs_approval_gives_nothing_by_mail(
    acme, help_mailbox, what
):
    JoiningRule.objects.create(
        tenant=acme,
        kind="domain",
        pattern="acme.test",
        role=role(acme, "agent" if what == "staff role" else "customer"),
        requires_approval=what == "approval",
        position=1,
    )
    receipt = receive(mail(sender="eve@acme.test"))
    assert receipt.outcome == Outcome.REFUSED
    assert "sign up" in receipt.reason
    assert not User.objects.filter(email="eve@acme.test").exists()


# --- Replies ----------------------------------------------------------------------------------


@pytest.fixture
def charged_twice(acme, bob, billing, help_mailbox, alice, django_capture_on_commit_callbacks):
    """Bob's request by mail; the mails the helpdesk sent about it are kept."""
    with django_capture_on_commit_callbacks(execute=True):
        return receive(mail(subject="Charged twice")).ticket


def notification_to(mailoutbox, address):
    return parsed(next(m for m in mailoutbox if m.to == [address]))


def test_bob_replies_to_his_receipt_and_it_becomes_his_comment_without_the_quote(
    charged_twice, bob, alice, mailoutbox, django_capture_on_commit_callbacks
):
    receipt_mail = notification_to(mailoutbox, "bob@acme.test")
    body = (
        "It happened again today.\n\n"
        "On Mon, 7 Dec 2026 at 10:00, Acme <help@acme.test> wrote:\n> We received your request\n"
    )
    raw = mail(
        subject="Re: Charged twice",
        body=body,
        to=receipt_mail["Reply-To"],
        headers={"In-Reply-To": receipt_mail["Message-ID"]},
    )
    with django_capture_on_commit_callbacks(execute=True):
        receipt = receive(raw)

    assert receipt.outcome == Outcome.COMMENT
    assert receipt.ticket == charged_twice
    comment = Comment.objects.get(ticket=charged_twice)
    assert (comment.author, comment.body, comment.is_public) == (
        bob.user,
        "It happened again today.",
        True,
    )
    assert TicketMail.objects.filter(ticket=charged_twice, direction="in").count() == 2
    assert told(Kind.CUSTOMER_REPLY) == ["alice@acme.test"]


def test_a_reply_found_by_references_alone_lands_on_its_ticket(charged_twice, bob, mailoutbox):
    receipt_mail = notification_to(mailoutbox, "bob@acme.test")
    raw = mail(headers={"References": f"<unknown@x.test> {receipt_mail['Message-ID']}"})
    assert receive(raw).ticket == charged_twice


def test_a_subject_tag_alone_never_reaches_the_ticket(charged_twice, bob):
    receipt = receive(mail(subject=f"Re: [#{charged_twice.number}] Charged twice"))
    assert receipt.outcome == Outcome.TICKET
    assert receipt.ticket != charged_twice


def test_a_reply_from_someone_outside_the_request_does_not_post_as_its_requester(
    acme, charged_twice, mailoutbox, django_capture_on_commit_callbacks
):
    receipt_mail = notification_to(mailoutbox, "bob@acme.test")
    raw = mail(
        sender="mallory@globex.test",
        to=receipt_mail["Reply-To"],
        headers={"In-Reply-To": receipt_mail["Message-ID"]},
    )
    receipt = receive(raw)
    assert receipt.outcome == Outcome.REFUSED
    assert not Comment.objects.exists()


def test_an_agent_answers_by_replying_to_the_notification_to_the_signed_address(
    charged_twice, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    agent_mail = notification_to(mailoutbox, "alice@acme.test")
    raw = mail(
        sender="Alice Agent <alice@acme.test>",
        to=agent_mail["Reply-To"],
        body="Refunded.",
        headers={"In-Reply-To": agent_mail["Message-ID"]},
    )
    with django_capture_on_commit_callbacks(execute=True):
        receipt = receive(raw)

    assert receipt.outcome == Outcome.COMMENT
    comment = Comment.objects.get(ticket=charged_twice)
    assert (comment.author, comment.is_public) == (alice.user, True)
    charged_twice.refresh_from_db()
    assert charged_twice.first_response_at is not None
    assert told(Kind.REPLY) == ["bob@acme.test"]


def test_a_forged_agent_from_on_the_requester_s_reply_address_never_posts_as_the_agent(
    charged_twice, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    """The reported attack: Bob's receipt carries a reply address; anyone mailing it with
    Alice's name in From must not speak for the helpdesk."""
    receipt_mail = notification_to(mailoutbox, "bob@acme.test")
    agent_mail = notification_to(mailoutbox, "alice@acme.test")
    assert receipt_mail["Reply-To"] != agent_mail["Reply-To"]  # a tag per recipient
    mailoutbox.clear()
    raw = mail(
        sender="Alice Agent <alice@acme.test>",
        to=receipt_mail["Reply-To"],
        body="Refunded, case closed.",
        headers={"In-Reply-To": receipt_mail["Message-ID"]},
    )
    with django_capture_on_commit_callbacks(execute=True):
        receipt = receive(raw)

    assert receipt.outcome == Outcome.REFUSED
    assert "confirmed address" in receipt.reason
    assert receipt.inbound.outcome == Outcome.REFUSED
    assert not Comment.objects.filter(ticket=charged_twice).exists()
    charged_twice.refresh_from_db()
    assert charged_twice.status == Ticket.Status.NEW
    assert "bob@acme.test" not in [m.to[0] for m in mailoutbox]


def test_an_agent_s_tag_speaks_for_that_agent_only(charged_twice, alice, sam, mailoutbox):
    alices = notification_to(mailoutbox, "alice@acme.test")["Reply-To"]
    # Sam works every queue, but the address was issued to Alice.
    receipt = receive(mail(sender="sam@acme.test", to=alices, body="Me too."))
    assert receipt.outcome == Outcome.REFUSED
    assert not Comment.objects.exists()


def test_threading_alone_never_posts_as_staff(charged_twice, alice, bob, mailoutbox):
    """A Message-ID the customer was sent is no proof of being the agent: with In-Reply-To and
    References naming the agent's own notice, and no tag, Alice's From is refused."""
    agent_mail = notification_to(mailoutbox, "alice@acme.test")
    receipt_mail = notification_to(mailoutbox, "bob@acme.test")
    raw = mail(
        sender="alice@acme.test",
        headers={
            "In-Reply-To": agent_mail["Message-ID"],
            "References": f"{receipt_mail['Message-ID']} {agent_mail['Message-ID']}",
        },
    )
    assert receive(raw).outcome == Outcome.REFUSED
    assert not Comment.objects.exists()


def test_a_per_ticket_tag_of_before_still_takes_the_requester_s_reply_only(
    charged_twice, alice, bob
):
    """Tags sent before tags named their recipient (``help+<ticket>.<signature>``) keep
    working for the requester's side, and never for staff."""
    signature = salted_hmac(
        "tickets.mail_threads.reply-address", f"{charged_twice.tenant_id}:{charged_twice.pk}"
    ).hexdigest()[:20]
    old = f"help+{charged_twice.pk}.{signature}@acme.test"
    assert receive(mail(sender="alice@acme.test", to=old)).outcome == Outcome.REFUSED
    assert receive(mail(sender="bob@acme.test", to=old, body="Again")).outcome == Outcome.COMMENT
    assert Comment.objects.get().author == bob.user


def test_an_agent_without_the_signed_address_does_not_post(charged_twice, alice, mailoutbox):
    agent_mail = notification_to(mailoutbox, "alice@acme.test")
    raw = mail(sender="alice@acme.test", headers={"In-Reply-To": agent_mail["Message-ID"]})
    receipt = receive(raw)
    assert receipt.outcome == Outcome.REFUSED
    assert "confirmed address" in receipt.reason
    assert not Comment.objects.exists()


def test_an_agent_whose_address_was_never_proved_does_not_post(charged_twice, alice):
    User.objects.filter(pk=alice.user.pk).update(email_verified_at=None)
    raw = mail(sender="alice@acme.test", to=reply_address(charged_twice, recipient=alice.user))
    assert receive(raw).outcome == Outcome.REFUSED
    assert not Comment.objects.exists()


def test_an_agent_who_does_not_work_the_queue_is_refused_even_with_the_tag(charged_twice, olga):
    raw = mail(sender="olga@acme.test", to=reply_address(charged_twice, recipient=olga.user))
    assert receive(raw).outcome == Outcome.REFUSED
    assert not Comment.objects.exists()


def test_a_forged_tag_is_no_way_in(charged_twice, alice):
    forged = f"help+{charged_twice.pk}.0000000000000000000a@acme.test"
    receipt = receive(mail(sender="alice@acme.test", to=forged))
    assert receipt.outcome == Outcome.TICKET  # a request of alice's own, not a reply
    assert receipt.ticket != charged_twice


def test_a_reply_to_a_closed_request_opens_a_follow_up(charged_twice, ada, bob):
    with muted():
        for status in ("solved", "closed"):
            change_status(ticket=charged_twice, to=status, by=ada.user)
    receipt = receive(mail(to=reply_address(charged_twice), body="Still broken"))
    assert receipt.outcome == Outcome.TICKET
    assert f"#{charged_twice.number}" in receipt.ticket.description


def test_a_tag_of_another_helpdesk_finds_nothing_here(help_mailbox, bob, globex, mallory):
    theirs = make_ticket(globex, mallory.user)
    tag = reply_address(theirs, help_mailbox).split("+")[1].split("@")[0]
    receipt = receive(mail(to=f"help+{tag}@acme.test"))
    assert receipt.ticket != theirs and receipt.ticket.tenant == help_mailbox.tenant


# --- Duplicates, loops, floods ---------------------------------------------------------------


def test_the_same_message_twice_makes_one_ticket(help_mailbox, bob):
    raw = mail()
    assert receive(raw).outcome == Outcome.TICKET
    again = receive(raw)
    assert again.outcome == Outcome.DUPLICATE
    assert Ticket.objects.count() == 1


def test_a_message_without_a_message_id_gets_a_stable_one(help_mailbox, bob):
    raw = mail(message_id=None)
    first = receive(raw)
    assert first.inbound.message_id.startswith("sha256-")
    assert receive(raw).outcome == Outcome.DUPLICATE
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize(
    ("sender", "headers"),
    [
        ("bob@acme.test", {"Auto-Submitted": "auto-replied"}),
        ("bob@acme.test", {"Precedence": "bulk"}),
        ("bob@acme.test", {"Precedence": "junk"}),
        ("bob@acme.test", {"Precedence": "list"}),
        ("bob@acme.test", {"X-Autoreply": "yes"}),
        ("MAILER-DAEMON@mx.acme.test", {}),
        ("postmaster@acme.test", {}),
        ("bob@acme.test", {"X-Helpdesk-Loop": "127.0.0.1"}),
    ],
)
def test_machine_mail_is_dropped_and_gets_no_answer(
    help_mailbox, bob, sender, headers, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        receipt = receive(mail(sender=sender, headers=headers))
    assert receipt.outcome == Outcome.DROPPED
    assert receipt.inbound.reason
    assert not Ticket.objects.exists()
    assert mailoutbox == []


def test_auto_submitted_no_is_a_person(help_mailbox, bob):
    assert receive(mail(headers={"Auto-Submitted": "no"})).outcome == Outcome.TICKET


def test_our_own_notification_coming_back_is_dropped(charged_twice, mailoutbox):
    ours = mailoutbox[0].message().as_bytes()
    receipt = receive(ours, to="help@acme.test")
    assert receipt.outcome in (Outcome.DROPPED, Outcome.DUPLICATE)
    assert Ticket.objects.count() == 1


def test_a_sender_past_the_hourly_limit_is_refused(settings, help_mailbox, bob):
    settings.MAILROOM_MAILS_PER_HOUR = 2
    outcomes = [receive(mail(subject=f"n{i}")).outcome for i in range(3)]
    assert outcomes == [Outcome.TICKET, Outcome.TICKET, Outcome.REFUSED]
    assert Ticket.objects.count() == 2


# --- Failures: kept whole, retried or discarded -------------------------------------------


def test_a_message_that_cannot_be_handled_is_kept_whole_then_retried(
    help_mailbox, bob, ada, monkeypatch
):
    raw = mail(subject="Keep me")

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("mailroom.delivery.open_ticket", broken)
    failed = receive(raw)
    assert failed.outcome == Outcome.FAILED
    assert bytes(failed.inbound.raw) == raw
    assert "disk full" in failed.reason
    assert not Ticket.objects.exists() and not TicketMail.objects.exists()
    monkeypatch.undo()

    retried = retry_message(inbound=failed.inbound, by=ada.user)

    assert retried.outcome == Outcome.TICKET
    failed.inbound.refresh_from_db()
    assert failed.inbound.outcome == Outcome.TICKET and failed.inbound.raw is None
    assert AuditEntry.objects.filter(action="inbound_mail.retried", actor=ada.user).exists()


def test_an_admin_discards_a_kept_message_and_it_is_audited(help_mailbox, ada):
    failed = receive(b"From: \r\n\r\nno sender", to="help@acme.test")
    assert failed.outcome == Outcome.FAILED
    assert failed.inbound.tenant == help_mailbox.tenant

    discard_message(inbound=failed.inbound, by=ada.user)

    failed.inbound.refresh_from_db()
    assert failed.inbound.outcome == Outcome.DISCARDED and failed.inbound.raw is None
    assert AuditEntry.objects.filter(action="inbound_mail.discarded", actor=ada.user).exists()


def test_the_hourly_limit_holds_while_redis_is_away(settings, help_mailbox, bob):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.KeptClientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{dead}/1",
            "KEY_PREFIX": "mailroom-outage",
        }
    }
    settings.MAILROOM_MAILS_PER_HOUR = 1
    assert receive(mail(subject="one")).outcome == Outcome.TICKET
    assert receive(mail(subject="two")).outcome == Outcome.REFUSED


@pytest.mark.parametrize("shared", [True, False])
def test_a_colleague_replies_on_a_shared_request_only_where_requests_are_shared(
    acme, charged_twice, carol, mailoutbox, shared
):
    type(acme).objects.filter(pk=acme.pk).update(customers_see_organization_tickets=shared)
    receipt_mail = notification_to(mailoutbox, "bob@acme.test")
    raw = mail(sender="carol@acme.test", headers={"In-Reply-To": receipt_mail["Message-ID"]})

    receipt = receive(raw)

    if shared:
        assert receipt.outcome == Outcome.COMMENT
        assert Comment.objects.get().author == carol.user
    else:
        assert receipt.outcome == Outcome.REFUSED
        assert not Comment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_one_message_delivered_twice_at_once_makes_one_ticket(help_mailbox, bob):
    import threading

    from django.db import connection

    raw = mail(subject="Twice at once")
    outcomes = []

    def deliver():
        try:
            outcomes.append(receive(raw).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [Outcome.DUPLICATE, Outcome.TICKET]
    assert Ticket.objects.filter(subject="Twice at once").count() == 1


@pytest.mark.parametrize("sender", ["help@acme.test", "helpdesk@localhost"])
def test_mail_from_our_own_addresses_is_dropped(settings, help_mailbox, sender):
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <helpdesk@localhost>"
    receipt = receive(mail(sender=sender))
    assert receipt.outcome == Outcome.DROPPED
    assert not Ticket.objects.exists()


def test_the_signed_tag_counts_in_the_headers_when_to_names_the_bare_mailbox(charged_twice, alice):
    alices = reply_address(charged_twice, recipient=alice.user)
    raw = mail(sender="alice@acme.test", to=alices, body="On it.")
    receipt = receive(raw, to="help@acme.test")
    assert (receipt.outcome, receipt.ticket) == (Outcome.COMMENT, charged_twice)
    assert Comment.objects.get().author == alice.user
