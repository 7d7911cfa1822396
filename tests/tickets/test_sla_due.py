"""Due times on tickets: recomputed on every event that moves them, paused while pending,
and met or breached decided when each target is achieved."""

from datetime import timedelta

import pytest

from tests.factories import make_queue, make_ticket
from tickets.models import Ticket
from tickets.services import (
    add_comment,
    change_priority,
    change_status,
    move_to_queue,
    recompute_open_tickets,
    update_sla_policy,
)

from .sla import always_open, office, policy, utc

pytestmark = pytest.mark.django_db

MONDAY_10 = utc(2026, 12, 7, 10, 0)  # London is on UTC in December


def test_a_ticket_without_a_policy_has_no_due_times(acme, bob, billing):
    ticket = make_ticket(acme, bob.user, billing, at=MONDAY_10)
    assert ticket.sla_policy is None
    assert ticket.first_response_due_at is None
    assert ticket.resolution_due_at is None
    assert ticket.sla_breached == []


def test_opening_sets_due_times_in_business_hours(acme, bob, billing):
    policy(acme, office(acme))
    friday_evening = utc(2026, 12, 4, 19, 0)
    ticket = make_ticket(acme, bob.user, billing, at=friday_evening)
    ticket.refresh_from_db()
    # The weekend does not count: an hour into Monday, and eight business hours: all Monday.
    assert ticket.first_response_due_at == utc(2026, 12, 7, 10, 0)
    assert ticket.resolution_due_at == utc(2026, 12, 7, 17, 0)
    assert ticket.next_response_due_at is None


def test_first_response_in_time_is_met_and_late_is_breached(acme, bob, alice, billing):
    policy(acme, always_open(acme))
    on_time = make_ticket(acme, bob.user, billing, at=MONDAY_10)
    late = make_ticket(acme, bob.user, billing, at=MONDAY_10)

    add_comment(
        ticket=on_time, author=alice.user, body="On it", at=MONDAY_10 + timedelta(minutes=59)
    )
    add_comment(ticket=late, author=alice.user, body="Sorry", at=MONDAY_10 + timedelta(minutes=61))

    on_time.refresh_from_db()
    late.refresh_from_db()
    assert on_time.first_response_met is True
    assert late.first_response_met is False
    assert late.sla_breached_at(MONDAY_10 + timedelta(minutes=62)) == ["first_response"]
    assert on_time.sla_breached_at(MONDAY_10 + timedelta(minutes=62)) == []


def test_an_unanswered_ticket_past_its_due_time_is_breached(acme, bob, billing):
    policy(acme, always_open(acme))
    ticket = make_ticket(acme, bob.user, billing, at=MONDAY_10)
    assert ticket.sla_breached_at(MONDAY_10 + timedelta(minutes=30)) == []
    assert ticket.sla_breached_at(MONDAY_10 + timedelta(minutes=61)) == ["first_response"]
    assert ticket.first_response_met is None  # still owed, not decided


def test_an_internal_note_is_no_response(acme, bob, alice, billing):
    policy(acme, always_open(acme))
    ticket = make_ticket(acme, bob.user, billing, at=MONDAY_10)
    add_comment(ticket=ticket, author=alice.user, body="Looking", is_public=False, at=MONDAY_10)
    ticket.refresh_from_db()
    assert ticket.first_response_met is None


def test_a_customer_reply_after_the_first_response_owes_a_next_response(acme, bob, alice, billing):
    policy(acme, always_open(acme))
    ticket = make_ticket(acme, bob.user, billing, at=MONDAY_10)
    add_comment(ticket=ticket, author=alice.user, body="Hi", at=MONDAY_10 + timedelta(minutes=5))
    replied = MONDAY_10 + timedelta(hours=1)
    add_comment(ticket=ticket, author=bob.user, body="Still broken", at=replied)
    ticket.refresh_from_db()
    assert ticket.sla_awaiting_since == replied
    assert ticket.next_response_due_at == replied + timedelta(minutes=30)

    add_comment(ticket=ticket, author=alice.user, body="Fixed", at=replied + timedelta(minutes=20))
    ticket.refresh_from_db()
    assert ticket.next_response_met is True
    assert ticket.next_response_due_at is None  # nothing owed now
    assert ticket.sla_awaiting_since is None

    again = replied + timedelta(hours=2)
    add_comment(ticket=ticket, author=bob.user, body="No it is not", at=again)
    add_comment(ticket=ticket, author=alice.user, body="Oops", at=again + timedelta(minutes=45))
    ticket.refresh_from_db()
    assert ticket.next_response_met is False  # one answer came late: it stays breached
    assert "next_response" in ticket.sla_breached_at(again + timedelta(hours=1))


def test_a_customer_reply_before_any_response_owes_only_the_first(acme, bob, billing):
    policy(acme, always_open(acme))
    ticket = make_ticket(acme, bob.user, billing, at=MONDAY_10)
    add_comment(ticket=ticket, author=bob.user, body="Hello?", at=MONDAY_10 + timedelta(minutes=9))
    ticket.refresh_from_db()
    assert ticket.sla_awaiting_since is None
    assert ticket.next_response_due_at is None


def test_time_pending_pauses_the_clock(acme, bob, alice, billing):
    policy(acme, always_open(acme), first_response_minutes=None, resolution_minutes=4 * 60)
    ticket = make_ticket(acme, bob.user, billing, at=MONDAY_10)
    assert ticket.resolution_due_at == MONDAY_10 + timedelta(hours=4)

    change_status(ticket=ticket, to="pending", by=alice.user, at=MONDAY_10 + timedelta(hours=1))
    ticket.refresh_from_db()
    assert ticket.sla_paused_since == MONDAY_10 + timedelta(hours=1)
    assert ticket.resolution_due_at is None  # not known until the clock runs again
    assert ticket.sla_breached_at(MONDAY_10 + timedelta(days=3)) == []

    # Two days waiting on the customer, then their reply opens it again: 3 hours remain.
    back = MONDAY_10 + timedelta(days=2, hours=1)
    add_comment(ticket=ticket, author=bob.user, body="Here is the log", at=back)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.sla_paused_since is None
    assert ticket.resolution_due_at == back + timedelta(hours=3)


def test_a_policy_may_keep_the_clock_running_while_pending(acme, bob, alice, billing):
    policy(acme, always_open(acme), resolution_minutes=4 * 60, pause_when_pending=False)
    ticket = make_ticket(acme, bob.user, billing, at=MONDAY_10)
    change_status(ticket=ticket, to="pending", by=alice.user, at=MONDAY_10 + timedelta(hours=1))
    ticket.refresh_from_db()
    assert ticket.sla_paused_since is None
    assert ticket.resolution_due_at == MONDAY_10 + timedelta(hours=4)


def test_solving_decides_the_resolution_target(acme, bob, alice, billing):
    policy(acme, always_open(acme), resolution_minutes=60)
    quick = make_ticket(acme, bob.user, billing, at=MONDAY_10)
    slow = make_ticket(acme, bob.user, billing, at=MONDAY_10)
    change_status(ticket=quick, to="solved", by=alice.user, at=MONDAY_10 + timedelta(minutes=50))
    change_status(ticket=slow, to="solved", by=alice.user, at=MONDAY_10 + timedelta(minutes=70))
    quick.refresh_from_db()
    slow.refresh_from_db()
    assert quick.resolution_met is True
    assert slow.resolution_met is False
    assert slow.sla_breached_at(MONDAY_10 + timedelta(days=1)) == ["first_response", "resolution"]
    # Solved without a reply, in time: the customer was not left waiting.
    assert quick.first_response_met is True


def test_a_decided_target_does_not_move_when_the_ticket_changes(acme, bob, alice, billing):
    policy(
        acme,
        always_open(acme),
        name="Urgent",
        conditions={"priority": ["urgent"]},
        first_response_minutes=10,
    )
    policy(acme, always_open(acme, name="Other"), name="Normal", first_response_minutes=60)
    ticket = make_ticket(acme, bob.user, billing, at=MONDAY_10)
    add_comment(ticket=ticket, author=alice.user, body="Hi", at=MONDAY_10 + timedelta(minutes=30))
    change_priority(ticket=ticket, to="urgent", by=alice.user, at=MONDAY_10 + timedelta(minutes=40))
    ticket.refresh_from_db()
    assert ticket.sla_policy.name == "Urgent"
    assert ticket.first_response_met is True
    assert ticket.first_response_due_at == MONDAY_10 + timedelta(minutes=60)


def test_a_priority_change_moves_the_due_times(acme, bob, alice, billing):
    policy(
        acme,
        always_open(acme),
        name="Urgent",
        conditions={"priority": ["urgent"]},
        resolution_minutes=60,
    )
    policy(acme, always_open(acme, name="Other"), name="Normal", resolution_minutes=600)
    ticket = make_ticket(acme, bob.user, billing, at=MONDAY_10)
    assert ticket.resolution_due_at == MONDAY_10 + timedelta(minutes=600)
    change_priority(ticket=ticket, to="urgent", by=alice.user, at=MONDAY_10 + timedelta(minutes=5))
    ticket.refresh_from_db()
    assert ticket.resolution_due_at == MONDAY_10 + timedelta(minutes=60)


def test_a_queue_change_moves_the_due_times(acme, bob, alice, billing):
    vip = make_queue(acme, "VIP", alice.user)
    policy(
        acme, always_open(acme), name="VIP", conditions={"queue": [vip.pk]}, resolution_minutes=60
    )
    ticket = make_ticket(acme, bob.user, billing, at=MONDAY_10)
    assert ticket.sla_policy is None
    move_to_queue(ticket=ticket, queue=vip, by=alice.user, at=MONDAY_10 + timedelta(minutes=5))
    ticket.refresh_from_db()
    assert ticket.resolution_due_at == MONDAY_10 + timedelta(minutes=60)
    move_to_queue(ticket=ticket, queue=billing, by=alice.user, at=MONDAY_10 + timedelta(minutes=6))
    ticket.refresh_from_db()
    assert ticket.sla_policy is None
    assert ticket.resolution_due_at is None


def test_a_policy_edit_moves_the_open_tickets(
    acme, bob, alice, billing, django_capture_on_commit_callbacks
):
    standard = policy(acme, always_open(acme), resolution_minutes=60)
    open_one = make_ticket(acme, bob.user, billing, at=MONDAY_10)
    solved = make_ticket(acme, bob.user, billing, at=MONDAY_10)
    change_status(ticket=solved, to="solved", by=alice.user, at=MONDAY_10 + timedelta(minutes=5))

    with django_capture_on_commit_callbacks(execute=True):
        update_sla_policy(policy=standard, by=None, resolution_minutes=120)

    open_one.refresh_from_db()
    solved.refresh_from_db()
    assert open_one.resolution_due_at == MONDAY_10 + timedelta(minutes=120)
    assert solved.resolution_due_at == MONDAY_10 + timedelta(minutes=60)  # decided: it stays
    assert recompute_open_tickets(tenant=acme) == 0  # safe to run again: nothing moves


def test_holidays_added_to_the_calendar_move_the_due_times(
    acme, bob, billing, django_capture_on_commit_callbacks
):
    from tickets.services import update_calendar

    calendar = office(acme)
    policy(acme, calendar, resolution_minutes=8 * 60)
    ticket = make_ticket(acme, bob.user, billing, at=MONDAY_10)
    assert ticket.resolution_due_at == utc(2026, 12, 8, 10, 0)
    with django_capture_on_commit_callbacks(execute=True):
        update_calendar(calendar=calendar, by=None, holidays=["2026-12-08"])
    ticket.refresh_from_db()
    assert ticket.resolution_due_at == utc(2026, 12, 9, 10, 0)


def test_recomputing_costs_no_query_while_nothing_moves(
    acme, bob, billing, django_assert_num_queries
):
    from tickets.services import recompute_service_levels

    policy(acme, always_open(acme), pause_when_pending=False)
    ticket = make_ticket(acme, bob.user, billing, at=MONDAY_10)
    ticket = Ticket.objects.get(pk=ticket.pk)  # as a service holds it: the policy not loaded
    recompute_service_levels(ticket=ticket, at=MONDAY_10)  # the policies are cached now
    with django_assert_num_queries(0):
        recompute_service_levels(ticket=ticket, at=MONDAY_10 + timedelta(minutes=1))


def test_a_calendar_that_never_reaches_the_target_gives_no_due_time(acme, bob, billing):
    from tickets.services import create_calendar

    rare = create_calendar(
        tenant=acme,
        by=None,
        name="A minute a week",
        hours=[{"weekday": 0, "start": "00:00", "end": "00:01"}],
    )
    policy(acme, rare, first_response_minutes=None, resolution_minutes=366 * 24 * 60)
    ticket = make_ticket(acme, bob.user, billing, at=MONDAY_10)  # no error
    assert ticket.sla_policy_id is not None
    assert ticket.resolution_due_at is None
