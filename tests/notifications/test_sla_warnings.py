"""Service-level warnings and breaches: the beat job on a real Celery worker tells each
person once (the job run twice), through their channel choice, and the timeline says so."""

from datetime import timedelta

import pytest
from celery.signals import task_postrun
from django.utils import timezone

from notifications.models import Notification
from notifications.services import set_notification_channels
from notifications.tasks import warn_of_service_levels_task
from tests.conftest import wait_for
from tests.factories import make_ticket
from tests.tickets.sla import always_open, policy
from tickets.models import TicketEvent
from tickets.notifications import muted
from tickets.services import assign_ticket

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _ticket(acme, bob, billing, minutes_ago, **policy_fields):
    policy_fields.setdefault("first_response_minutes", 60)
    policy_fields.setdefault("next_response_minutes", None)
    policy_fields.setdefault("resolution_minutes", None)
    policy(acme, always_open(acme), **policy_fields)
    with muted():  # the receipt and the agents' "new request" are not what is tested here
        return make_ticket(
            acme, bob.user, billing, at=timezone.now() - timedelta(minutes=minutes_ago)
        )


def _runs(times=2):
    """The job sent ``times`` times through the broker; what each run returned, as the
    worker's task_postrun signal saw it (there is no result backend)."""
    returned = []

    def collect(sender=None, retval=None, state=None, **kwargs):
        if sender is not None and sender.name == warn_of_service_levels_task.name:
            returned.append(retval if state == "SUCCESS" else state)

    task_postrun.connect(collect, weak=False)
    try:
        for _ in range(times):
            warn_of_service_levels_task.delay()
        wait_for(lambda: len(returned) == times)
    finally:
        task_postrun.disconnect(collect)
    return returned


def _counts(warnings, breaches):
    return {"warnings": warnings, "breaches": breaches}


def _subjects(smtp_server, address):
    return [m["Subject"] for m in smtp_server.to(address)]


def test_a_warning_reaches_the_assignee_once(
    real_worker, smtp_server, acme, bob, alice, sam, billing
):
    ticket = _ticket(acme, bob, billing, minutes_ago=40, warn_minutes_before=30)  # due in 20
    with muted():
        assign_ticket(ticket=ticket, assignee=alice.user, by=sam.user)

    assert _runs() == [_counts(1, 0), _counts(0, 0)]
    (event,) = TicketEvent.objects.filter(ticket=ticket, kind="sla_warn")
    assert event.new_value == "first_response"
    assert event.old_value == ticket.first_response_due_at.isoformat()
    told = Notification.objects.filter(ticket=ticket, kind="sla_warning")
    assert [n.recipient_id for n in told] == [alice.user_id]  # the assignee alone
    wait_for(lambda: len(smtp_server.to("alice@acme.test")) >= 1)
    assert _subjects(smtp_server, "alice@acme.test") == [
        f"[{acme.name}] Due soon: #{ticket.number} {ticket.subject}"
    ]
    assert "first response" in smtp_server.to("alice@acme.test")[0].get_body().get_content()
    assert smtp_server.to("sam@acme.test") == []


def test_unassigned_the_queue_agents_are_warned(
    real_worker, smtp_server, acme, bob, alice, billing
):
    ticket = _ticket(acme, bob, billing, minutes_ago=40, warn_minutes_before=30)

    assert _runs(times=1) == [_counts(1, 0)]
    told = Notification.objects.filter(ticket=ticket, kind="sla_warning")
    assert alice.user_id in {n.recipient_id for n in told}


def test_no_warning_outside_the_lead_time(real_worker, smtp_server, acme, bob, alice, billing):
    ticket = _ticket(acme, bob, billing, minutes_ago=10, warn_minutes_before=30)  # due in 50

    assert _runs(times=1) == [_counts(0, 0)]
    assert not TicketEvent.objects.filter(ticket=ticket, kind__startswith="sla").exists()


def test_a_breach_reaches_supervisors_once_through_their_channel(
    real_worker, smtp_server, acme, bob, alice, sam, billing
):
    set_notification_channels(member=sam, channels={"sla_breach": "in_app"})
    ticket = _ticket(acme, bob, billing, minutes_ago=90)  # an hour's target, missed 30 min ago

    assert _runs() == [_counts(0, 1), _counts(0, 0)]
    (event,) = TicketEvent.objects.filter(ticket=ticket, kind="sla_breach")
    assert event.actor_id is None and event.notified_at is not None
    told = Notification.objects.filter(ticket=ticket, kind="sla_breach")
    assert sam.user_id in {n.recipient_id for n in told}
    assert alice.user_id not in {n.recipient_id for n in told}  # agents are not supervisors
    sams = told.get(recipient=sam.user)
    assert sams.shows_in_app and sams.emailed_at is None  # in the app only, as Sam chose
    assert smtp_server.to("sam@acme.test") == []


def test_the_timeline_says_it_to_staff_and_not_to_the_customer(
    real_worker, smtp_server, client, acme, bob, alice, billing
):
    ticket = _ticket(acme, bob, billing, minutes_ago=90)
    assert _runs(times=1) == [_counts(0, 1)]

    client.force_login(alice.user)
    staff = client.get(f"/t/acme/tickets/{ticket.number}/").content.decode()
    assert "The first response target was missed" in staff
    client.force_login(bob.user)
    customer = client.get(f"/t/acme/tickets/{ticket.number}/")
    assert customer.status_code == 200
    assert "target was missed" not in customer.content.decode()
    assert "first response" not in customer.content.decode().lower()
