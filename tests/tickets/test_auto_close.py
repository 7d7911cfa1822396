"""Solved tickets close by themselves after the helpdesk's days (default 4, 0: never)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from tests.conftest import wait_for
from tests.factories import make_ticket
from tickets.models import Ticket, TicketEvent
from tickets.services import change_status, close_solved_tickets, reopen_ticket


def solved(acme, bob, alice, billing, days_ago, **fields):
    ticket = make_ticket(acme, bob.user, billing, **fields)
    at = timezone.now() - timedelta(days=days_ago)
    change_status(ticket=ticket, to=Ticket.Status.SOLVED, by=alice.user, at=at)
    return ticket


def test_solved_tickets_older_than_the_setting_close_by_the_helpdesk(
    acme, globex, bob, alice, billing, mallory, globex_queue
):
    assert acme.auto_close_days == 4
    old = solved(acme, bob, alice, billing, 5)
    recent = solved(acme, bob, alice, billing, 3)
    globex.auto_close_days = 0
    globex.save()
    never = make_ticket(globex, mallory.user, globex_queue)
    change_status(
        ticket=never, to="solved", by=mallory.user, at=timezone.now() - timedelta(days=99)
    )

    assert close_solved_tickets() == 1
    assert close_solved_tickets() == 0  # twice is once

    old.refresh_from_db()
    recent.refresh_from_db()
    never.refresh_from_db()
    assert (old.status, recent.status, never.status) == ("closed", "solved", "solved")
    event = old.events.last()
    assert (event.kind, event.actor, event.new_value) == ("status", None, "closed")
    assert (event.reason, event.reason_about) == (TicketEvent.Reason.AUTO_CLOSED, "4")


def test_a_ticket_solved_again_waits_its_days_again(acme, bob, alice, billing):
    ticket = solved(acme, bob, alice, billing, 10)
    reopen_ticket(ticket=ticket, by=bob.user)
    change_status(ticket=ticket, to="solved", by=alice.user)

    assert close_solved_tickets() == 0
    assert close_solved_tickets(now=timezone.now() + timedelta(days=4, minutes=1)) == 1


def test_the_timeline_says_the_helpdesk_closed_it(client, acme, bob, alice, billing):
    ticket = solved(acme, bob, alice, billing, 5)
    close_solved_tickets()
    client.force_login(alice.user)
    body = client.get(f"/t/{acme.slug}/tickets/{ticket.number}/").content.decode()
    assert "The helpdesk closed it, 4 days after it was solved" in body


def test_the_setting_is_on_the_settings_page_and_audited(client, acme, ada):
    client.force_login(ada.user)
    page = client.get(f"/t/{acme.slug}/settings/").content.decode()
    assert 'name="auto_close_days"' in page
    response = client.post(
        f"/t/{acme.slug}/settings/",
        {"name": acme.name, "time_zone": "UTC", "auto_close_days": "7"},
    )
    assert response.status_code == 302
    acme.refresh_from_db()
    assert acme.auto_close_days == 7
    log = client.get(f"/t/{acme.slug}/audit-log/").content.decode()
    assert "close solved tickets after (days)" in log


def test_beat_runs_the_job():
    entries = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "tickets.tasks.close_solved_tickets_task" in entries
    assert "tickets.tasks.cover_absences_task" in entries


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_closes_them(real_worker, acme, bob, alice, billing):
    from tickets.tasks import close_solved_tickets_task

    ticket = solved(acme, bob, alice, billing, 6)
    close_solved_tickets_task.delay()

    def closed():
        """the worker closed the ticket"""
        return Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.CLOSED

    wait_for(closed)
