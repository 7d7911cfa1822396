"""Who is told what: each kind, to whom, never to the actor, never past what decide() allows."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from notifications.models import Notification
from notifications.rules import mentioned_addresses
from notifications.services import (
    report_waiting_tickets,
    set_notification_channels,
    tell_supervisors_ticket_waits,
)
from tests.factories import make_queue, make_ticket
from tickets.models import Ticket
from tickets.notifications import muted
from tickets.services import add_comment, assign_ticket, change_status

from .conftest import told


def to(mailoutbox, address):
    return [m for m in mailoutbox if address in m.to]


@pytest.fixture
def opened(acme, bob, billing, alice, olga, sam, ada, django_capture_on_commit_callbacks):
    """Bob's new request in Billing (worked by Alice), told to whom it concerns."""
    with django_capture_on_commit_callbacks(execute=True):
        return make_ticket(acme, bob.user, billing, subject="Charged twice")


def test_a_new_request_tells_the_requester_and_the_queue_agents(opened, mailoutbox):
    # Bob: "we received your request", by e-mail (his default), with the number.
    (receipt,) = to(mailoutbox, "bob@acme.test")
    assert f"#{opened.number}" in receipt.subject and "received" in receipt.subject.lower()
    assert told("received") == ["bob@acme.test"]
    assert not Notification.objects.get(kind="received").shows_in_app  # e-mail only
    # The agents who work Billing (Alice by her grant; Ada and Sam work every queue), not
    # Olga, who works no Billing; and none of them is Bob.
    assert told("new_request") == ["ada@acme.test", "alice@acme.test", "sam@acme.test"]
    (to_alice,) = to(mailoutbox, "alice@acme.test")
    assert "It is on fire." in to_alice.body  # the request's text
    assert to(mailoutbox, "olga@acme.test") == []


def test_a_new_request_already_assigned_tells_its_assignee_only(
    acme, bob, billing, alice, olga, sam, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ticket = make_ticket(acme, bob.user, billing)
        assign_ticket(ticket=ticket, assignee=olga.user, by=sam.user)
    assert told("new_request") == ["olga@acme.test"]
    assert told("assigned") == ["olga@acme.test"]


def test_a_staff_reply_tells_the_requester_and_a_customer_reply_tells_the_agents(
    opened, alice, bob, carol, acme, mailoutbox, django_capture_on_commit_callbacks
):
    assign_ticket(ticket=opened, assignee=alice.user, by=None)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=opened, author=alice.user, body="We refunded you.")
    (reply,) = mailoutbox
    assert reply.to == ["bob@acme.test"] and "We refunded you." in reply.body
    assert "Alice Agent" in reply.body and "alice@acme.test" not in reply.body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=opened, author=bob.user, body="Thanks, but still twice.")
    (customer_reply,) = mailoutbox  # the assignee only; Bob is not told of his own words
    assert customer_reply.to == ["alice@acme.test"]
    assert "Thanks, but still twice." in customer_reply.body
    assert told("customer_reply") == ["alice@acme.test"]


def test_an_unassigned_ticket_s_customer_reply_tells_the_queue_agents(
    opened, bob, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=opened, author=bob.user, body="Any news?")
    assert told("customer_reply") == ["ada@acme.test", "alice@acme.test", "sam@acme.test"]


def test_solving_tells_the_requester_with_rating_links(
    opened, alice, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        change_status(ticket=opened, to="solved", by=alice.user)
    (mail,) = mailoutbox
    assert mail.to == ["bob@acme.test"] and "solved" in mail.subject.lower()
    assert "?score=5" in mail.body


def test_an_internal_note_never_reaches_the_customer(
    opened, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(
            ticket=opened, author=alice.user, body="@bob@acme.test NOTE-TEXT", is_public=False
        )
    assert mailoutbox == []  # a customer cannot be mentioned into a note
    assert not Notification.objects.filter(kind="mentioned").exists()


def test_a_mention_tells_staff_who_may_read_the_note_and_no_one_else(
    opened, alice, olga, sam, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(
            ticket=opened,
            author=alice.user,
            body="@sam@acme.test @olga@acme.test @alice@acme.test please check the ledger.",
            is_public=False,
        )
    # Sam sees every ticket; Olga does not work Billing, so she cannot see it; Alice wrote it.
    assert told("mentioned") == ["sam@acme.test"]
    (mail,) = mailoutbox
    assert mail.to == ["sam@acme.test"] and "please check the ledger." in mail.body


def test_mentions_are_at_and_an_address_not_an_address_alone():
    assert mentioned_addresses("ask @Sam@Acme.test, and mail bob@acme.test.") == ["sam@acme.test"]


def test_an_assignee_is_told_unless_they_took_it_themselves(
    opened, alice, sam, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assign_ticket(ticket=opened, assignee=alice.user, by=alice.user)
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assign_ticket(ticket=opened, assignee=sam.user, by=alice.user)
    (mail,) = mailoutbox
    assert mail.to == ["sam@acme.test"] and "assigned to you" in mail.subject.lower()


def test_someone_who_can_no_longer_see_the_ticket_is_not_told(
    opened, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user=bob.user).update(status=Membership.Status.DEACTIVATED)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=opened, author=alice.user, body="Hello?")
    assert mailoutbox == []


def test_supervisors_are_told_a_ticket_waits_once_per_reason(opened, alice, mailoutbox):
    mailoutbox.clear()
    assert tell_supervisors_ticket_waits(opened, "first response overdue") == 2
    assert tell_supervisors_ticket_waits(opened, "first response overdue") == 2
    assert told("waiting") == ["ada@acme.test", "sam@acme.test"]  # not Alice, an agent
    assert sorted(m.to[0] for m in mailoutbox) == ["ada@acme.test", "sam@acme.test"]
    assert "first response overdue" in mailoutbox[0].body


def test_the_beat_reports_tickets_without_a_staff_response_once(
    opened, acme, bob, billing, alice, settings, mailoutbox
):
    settings.NOTIFY_WAITING_HOURS = 4
    Ticket.objects.filter(pk=opened.pk).update(created_at=timezone.now() - timedelta(hours=5))
    answered = make_ticket(acme, bob.user, billing, subject="Answered")
    add_comment(ticket=answered, author=alice.user, body="On it.")
    Ticket.objects.filter(pk=answered.pk).update(created_at=timezone.now() - timedelta(hours=5))
    make_ticket(acme, bob.user, billing, subject="Too fresh")
    mailoutbox.clear()

    assert report_waiting_tickets() == 1
    assert report_waiting_tickets() == 0  # reported already
    assert {n.ticket_id for n in Notification.objects.filter(kind="waiting")} == {opened.pk}
    assert len(mailoutbox) == 2


@pytest.mark.parametrize(
    ("channel", "mails", "listed"), [("email", 1, False), ("in_app", 0, True), ("both", 1, True)]
)
def test_each_person_chooses_e_mail_the_app_or_both(
    opened, alice, bob, channel, mails, listed, mailoutbox, django_capture_on_commit_callbacks
):
    set_notification_channels(member=alice, channels={"customer_reply": channel})
    assign_ticket(ticket=opened, assignee=alice.user, by=None)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=opened, author=bob.user, body="Any news?")
    assert len(mailoutbox) == mails
    assert Notification.objects.visible_to(alice).filter(kind="customer_reply").exists() == listed


def test_a_queue_without_agents_tells_nobody_but_those_who_work_every_queue(
    acme, bob, ada, alice, mailoutbox, django_capture_on_commit_callbacks
):
    empty = make_queue(acme, "Empty")
    with django_capture_on_commit_callbacks(execute=True):
        make_ticket(acme, bob.user, empty)
    assert told("new_request") == ["ada@acme.test"]


def _scenarios():
    """kind: (who is told, what they are told of), each starting from Bob's opened request."""

    def receipt(c):
        return c["bob"], lambda: make_ticket(c["acme"], c["bob"].user, c["billing"])

    def new_request(c):
        return c["alice"], lambda: make_ticket(c["acme"], c["bob"].user, c["billing"])

    def reply(c):
        return c["bob"], lambda: add_comment(ticket=c["t"], author=c["alice"].user, body="Hi")

    def solved(c):
        return c["bob"], lambda: change_status(ticket=c["t"], to="solved", by=c["alice"].user)

    def customer_reply(c):
        return c["alice"], lambda: add_comment(ticket=c["t"], author=c["bob"].user, body="Hi")

    def mentioned(c):
        note = "@sam@acme.test look"
        return c["sam"], lambda: add_comment(
            ticket=c["t"], author=c["alice"].user, body=note, is_public=False
        )

    def assigned(c):
        return c["sam"], lambda: assign_ticket(
            ticket=c["t"], assignee=c["sam"].user, by=c["alice"].user
        )

    def waiting(c):
        return c["sam"], lambda: tell_supervisors_ticket_waits(c["t"], "too long")

    return {
        "received": receipt,
        "new_request": new_request,
        "reply": reply,
        "solved": solved,
        "customer_reply": customer_reply,
        "mentioned": mentioned,
        "assigned": assigned,
        "waiting": waiting,
    }


@pytest.mark.parametrize("channel", ["email", "in_app", "both"])
@pytest.mark.parametrize("kind", list(_scenarios()))
def test_every_kind_follows_the_person_s_choice(
    kind,
    channel,
    acme,
    bob,
    alice,
    sam,
    billing,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with muted():
        ticket = make_ticket(acme, bob.user, billing, subject="Charged twice")
    cast = {"acme": acme, "bob": bob, "alice": alice, "sam": sam, "billing": billing}
    member, act = _scenarios()[kind](cast | {"t": ticket})
    set_notification_channels(member=member, channels={kind: channel})

    with django_capture_on_commit_callbacks(execute=True):
        act()

    mails = [m for m in mailoutbox if m.to == [member.user.email]]
    assert len(mails) == (0 if channel == "in_app" else 1)
    listed = Notification.objects.visible_to(member).filter(kind=kind)
    assert listed.exists() == (channel != "email")
    assert Notification.objects.filter(recipient=member.user, kind=kind).count() == 1
