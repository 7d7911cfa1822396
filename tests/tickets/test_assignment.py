"""Automatic assignment: round robin and least loaded among a queue's available agents."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from accounts.models import Absence
from tests.factories import make_member, make_queue, make_ticket
from tickets.models import Queue, Ticket, TicketEvent
from tickets.services import (
    assign_automatically,
    change_status,
    grant_queue,
    move_to_queue,
    open_ticket,
    register_capacity_rule,
)
from tickets.services.assignment import _CAPACITY_RULES


@pytest.fixture
def trio(acme, alice, olga):
    """Billing-like queue worked by three agents, assigning by round robin."""
    uma = make_member(acme, "uma@acme.test", "agent", name="Uma Union")
    queue = make_queue(acme, "Round", alice.user, olga.user, uma.user)
    queue.assignment = Queue.Assignment.ROUND_ROBIN
    queue.save()
    return queue, [alice, olga, uma]


def assignees(tenant):
    return Counter(Ticket.objects.for_tenant(tenant).values_list("assignee__email", flat=True))


def test_round_robin_gives_each_agent_a_turn_and_says_so(acme, bob, trio):
    queue, agents = trio
    tickets = [make_ticket(acme, bob.user, queue, subject=f"T{i}") for i in range(6)]

    order = [t.assignee.email for t in tickets]
    firsts = sorted(a.user.email for a in agents)
    by_id = [a.user.email for a in sorted(agents, key=lambda a: a.user_id)]
    assert order == by_id * 2
    assert sorted(order[:3]) == firsts
    event = TicketEvent.objects.get(ticket=tickets[0], kind=TicketEvent.Kind.ASSIGNEE)
    assert event.actor is None
    assert (event.reason, event.reason_about) == (TicketEvent.Reason.ROUND_ROBIN, "Round")


def test_a_manual_queue_assigns_nobody(acme, bob, billing):
    ticket = make_ticket(acme, bob.user, billing)
    assert ticket.assignee is None
    assert not TicketEvent.objects.filter(kind=TicketEvent.Kind.ASSIGNEE).exists()


def test_least_loaded_picks_the_agent_with_fewest_open_tickets(acme, bob, trio):
    queue, (alice, olga, uma) = trio
    queue.assignment = Queue.Assignment.LEAST_LOADED
    queue.save()
    manual = make_queue(acme, "Manual", alice.user, olga.user)
    for _ in range(2):
        t = make_ticket(acme, bob.user, manual)
        t.assignee = alice.user
        t.save()
    t = make_ticket(acme, bob.user, manual)
    t.assignee = uma.user
    t.save()
    # A solved ticket is no load.
    solved = make_ticket(acme, bob.user, manual)
    solved.assignee = olga.user
    solved.status = Ticket.Status.SOLVED
    solved.save()

    ticket = make_ticket(acme, bob.user, queue)

    assert ticket.assignee == olga.user
    event = ticket.events.get(kind=TicketEvent.Kind.ASSIGNEE)
    assert event.reason == TicketEvent.Reason.LEAST_LOADED


def test_the_absent_the_deactivated_and_the_full_are_passed_over(acme, bob, sam, trio):
    queue, (alice, olga, uma) = trio
    today = timezone.localdate()
    Absence.objects.create(tenant=acme, member=alice, starts=today, ends=today)
    olga.status = olga.Status.DEACTIVATED
    olga.save()
    uma.capacity = 1
    uma.save()

    first = make_ticket(acme, bob.user, queue)
    second = make_ticket(acme, bob.user, queue)

    assert first.assignee == uma.user
    assert second.assignee is None  # Uma is full, nobody else is available
    change_status(ticket=first, to=Ticket.Status.SOLVED, by=uma.user)
    third = make_ticket(acme, bob.user, queue)
    assert third.assignee == uma.user


def test_an_agent_without_the_queue_is_never_chosen(acme, bob, trio):
    queue, (alice, olga, uma) = trio
    outsider = make_member(acme, "otto@acme.test", "agent", name="Otto Outside")
    for i in range(6):
        make_ticket(acme, bob.user, queue, subject=f"T{i}")
    assert outsider.user.email not in assignees(acme)
    assert bob.user.email not in assignees(acme)


def test_a_capacity_rule_lowers_capacity(acme, bob, trio):
    queue, (alice, olga, uma) = trio
    for member in (alice, olga, uma):
        member.capacity = 2
        member.save()

    def alice_is_new(member, capacity):
        return 0 if member.user_id == alice.user_id else capacity

    register_capacity_rule(alice_is_new)
    try:
        tickets = [make_ticket(acme, bob.user, queue) for _ in range(5)]
    finally:
        _CAPACITY_RULES.remove(alice_is_new)
    assert alice.user not in [t.assignee for t in tickets]
    assert [t.assignee for t in tickets].count(None) == 1  # 2 + 2, then nobody


def test_moving_into_an_automatic_queue_assigns(acme, bob, alice, billing, trio):
    queue, agents = trio
    ticket = make_ticket(acme, bob.user, billing)

    move_to_queue(ticket=ticket, queue=queue, by=alice.user)

    ticket.refresh_from_db()
    assert ticket.assignee_id is not None
    kinds = list(ticket.events.values_list("kind", "reason"))
    assert kinds[-2:] == [("queue", ""), ("assignee", "round_robin")]


def test_moving_keeps_an_assignee_who_works_the_new_queue(acme, bob, alice, billing, trio):
    queue, agents = trio
    ticket = make_ticket(acme, bob.user, billing)
    ticket.assignee = alice.user
    ticket.save()

    move_to_queue(ticket=ticket, queue=queue, by=alice.user)

    ticket.refresh_from_db()
    assert ticket.assignee == alice.user
    assert not ticket.events.filter(kind="assignee").exists()


def test_an_assignee_named_in_the_api_wins_over_the_turn(api, acme, alice, olga, trio):
    queue, agents = trio
    api.force_authenticate(alice.user)
    response = api.post(
        f"/api/v1/t/{acme.slug}/tickets/",
        {"subject": "S", "description": "D", "queue": queue.pk, "assignee": olga.user_id},
        format="json",
    )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert ticket.assignee == olga.user
    assert list(ticket.events.filter(kind="assignee").values_list("reason", flat=True)) == [""]


def _at_once(n, work):
    start, errors = threading.Barrier(n), []

    def run(i):
        try:
            start.wait(timeout=10)
            work(i)
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_round_robin_spreads_concurrent_submissions_exactly(acme, bob, trio):
    """Twelve requests opened at once, each on its own connection: four for each agent."""
    queue, agents = trio

    _at_once(
        12,
        lambda i: open_ticket(
            tenant=acme, requester=bob.user, subject=f"At once {i}", description="d", queue=queue
        ),
    )

    assert assignees(acme) == Counter({a.user.email: 4 for a in agents})


@pytest.mark.django_db(transaction=True)
def test_concurrent_assignments_in_one_queue_take_turns(acme, bob, trio):
    """Tickets waiting in the queue, assigned at once from twelve connections (no tenant
    lock here, unlike opening): the queue's lock alone keeps the turns exact."""
    queue, agents = trio
    queue.assignment = Queue.Assignment.MANUAL
    queue.save()
    tickets = [make_ticket(acme, bob.user, queue, subject=f"T{i}") for i in range(12)]
    queue.assignment = Queue.Assignment.ROUND_ROBIN
    queue.save()

    _at_once(12, lambda i: assign_automatically(Ticket.objects.get(pk=tickets[i].pk)))

    assert assignees(acme) == Counter({a.user.email: 4 for a in agents})


@pytest.mark.django_db(transaction=True)
def test_least_loaded_under_concurrency_fills_evenly_up_to_capacity(acme, bob, trio):
    queue, agents = trio
    queue.assignment = Queue.Assignment.LEAST_LOADED
    queue.save()
    for member in agents:
        member.capacity = 3
        member.save()

    _at_once(
        10,
        lambda i: open_ticket(
            tenant=acme, requester=bob.user, subject=f"At once {i}", description="d", queue=queue
        ),
    )

    counts = assignees(acme)
    assert counts == Counter({**{a.user.email: 3 for a in agents}, None: 1})


def test_a_grant_that_expired_takes_the_agent_out(acme, bob, trio):
    queue, (alice, olga, uma) = trio
    from tickets.services import revoke_queue

    revoke_queue(queue=queue, user=olga.user, by=None)
    revoke_queue(queue=queue, user=uma.user, by=None)
    ticket = make_ticket(acme, bob.user, queue)
    assert ticket.assignee == alice.user
    grant_queue(queue=queue, user=uma.user, by=None, expires_at=timezone.now() + timedelta(1))
    assert make_ticket(acme, bob.user, queue).assignee == uma.user
