"""The outbox: a side effect commits or rolls back with the change that causes it, and a
broker that refuses delays it without losing it or failing the answer."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from notifications.tasks import notify_event_task
from outbox.models import PendingTask
from outbox.services import enqueue, relay
from tests.factories import make_ticket
from tickets.models import TicketEvent
from tickets.notifications import muted
from tickets.services import add_comment

from .conftest import login_api
from .tickets.conftest import api_ticket_url


@pytest.fixture
def broker_down(monkeypatch):
    """Every hand-off to Celery fails as it does with Redis stopped."""

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("celery.app.task.Task.apply_async", refuse)
    return monkeypatch


@pytest.fixture
def acme_ticket(acme, bob, billing):
    """Bob's request, opened without telling anyone: these stories follow a later change."""
    with muted():
        return make_ticket(acme, bob.user, billing, subject="Charged twice")


def make_due():
    PendingTask.objects.update(available_at=timezone.now() - timedelta(seconds=1))


def test_a_reply_records_its_email_in_the_same_transaction(alice, acme_ticket):
    with transaction.atomic():
        add_comment(ticket=acme_ticket, author=alice.user, body="We refunded you.")
        event = TicketEvent.objects.get(kind="reply")
        (row,) = PendingTask.objects.all()  # written before the commit, beside the event

    assert row.task == notify_event_task.name
    assert row.args == [event.pk]


def test_a_rolled_back_reply_leaves_nothing_to_send(alice, acme_ticket, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        add_comment(ticket=acme_ticket, author=alice.user, body="We refunded you.")
        raise RuntimeError("the request failed after the reply")

    assert not PendingTask.objects.exists()
    assert mailoutbox == []


def test_after_commit_the_email_goes_and_the_row_is_gone(
    alice, acme_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=acme_ticket, author=alice.user, body="We refunded you.")

    assert len(mailoutbox) == 1
    assert not PendingTask.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_solving_answers_200_and_the_mail_follows_later(
    api, ada, acme_ticket, broker_down, mailoutbox
):
    response = login_api(api, ada).patch(api_ticket_url(acme_ticket), {"status": "solved"})

    assert response.status_code == 200  # was a 500 after the commit, and the mail was lost
    event = TicketEvent.objects.get(kind="status", new_value="solved")
    assert event.notified_at is None
    (row,) = PendingTask.objects.all()
    assert row.args == [event.pk]

    broker_down.undo()  # Redis is back: the relay hands it over
    make_due()
    assert relay() == 1
    event.refresh_from_db()
    assert event.notified_at is not None
    assert len(mailoutbox) == 1
    assert not PendingTask.objects.exists()


def test_the_relay_keeps_a_refused_row_and_hands_it_over_once_the_broker_is_back(
    alice, acme_ticket, broker_down, mailoutbox
):
    add_comment(ticket=acme_ticket, author=alice.user, body="We refunded you.")
    make_due()

    assert relay() == 0
    row = PendingTask.objects.get()
    assert row.attempts == 1
    assert row.available_at > timezone.now()  # left alone for a while, then tried again

    broker_down.undo()
    assert relay() == 0  # not due yet
    make_due()
    assert relay() == 1
    assert not PendingTask.objects.exists()
    assert len(mailoutbox) == 1


def test_a_row_handed_over_twice_sends_one_email(alice, acme_ticket, mailoutbox):
    add_comment(ticket=acme_ticket, author=alice.user, body="We refunded you.")
    event = TicketEvent.objects.get(kind="reply")
    enqueue(notify_event_task, event.pk)  # the at-least-once case: a second delivery
    make_due()

    assert relay() == 2
    assert len(mailoutbox) == 1  # the task stamps the event and skips it the second time


def test_the_relay_command_hands_over_what_is_due(alice, acme_ticket, mailoutbox):
    from django.core.management import call_command

    add_comment(ticket=acme_ticket, author=alice.user, body="We refunded you.")
    make_due()
    call_command("relay_outbox")

    assert not PendingTask.objects.exists()
    assert len(mailoutbox) == 1
