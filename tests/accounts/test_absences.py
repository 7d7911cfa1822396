"""Out of office: absences, who covers, the hand-over and the hand-back."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Absence, AuditEntry, resolve_cover
from accounts.services import cancel_absence, set_absence
from tests.factories import make_member, make_queue, make_ticket
from tickets.models import Queue, Ticket, TicketEvent
from tickets.services import change_status, cover_absences, cover_for


def days(n):
    return timezone.localdate() + timedelta(days=n)


def test_chains_pass_on_and_stop_at_a_cycle():
    assert resolve_cover({1: 2}, 1) == 2
    assert resolve_cover({1: 2, 2: 3}, 1) == 3
    assert resolve_cover({1: 2, 2: 3, 3: 1}, 1) is None
    assert resolve_cover({1: 2, 2: 3, 3: 2}, 1) is None
    assert resolve_cover({1: None}, 1) is None
    assert resolve_cover({}, 1) is None


def test_an_absence_is_checked(acme, alice, olga, bob, mallory, globex):
    with pytest.raises(ValidationError) as refused:
        set_absence(member=alice, starts=days(3), ends=days(1), by=alice.user)
    assert "ends" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        set_absence(member=alice, starts=days(-5), ends=days(-1), by=alice.user)
    assert "ends" in refused.value.message_dict
    for someone in (alice, bob, mallory):
        with pytest.raises(ValidationError) as refused:
            set_absence(member=alice, starts=days(0), ends=days(1), substitute=someone, by=None)
        assert "substitute" in refused.value.message_dict
    set_absence(member=alice, starts=days(0), ends=days(2), substitute=olga, by=alice.user)
    with pytest.raises(ValidationError) as refused:
        set_absence(member=alice, starts=days(2), ends=days(4), by=alice.user)
    assert "starts" in refused.value.message_dict
    assert AuditEntry.objects.filter(action="absence.set").count() == 1


def test_a_cover_that_would_loop_is_refused(acme, alice, olga):
    set_absence(member=olga, starts=days(2), ends=days(5), substitute=alice, by=None)
    # Alice away from today, covered by Olga: fine until Olga leaves too, covered by Alice.
    with pytest.raises(ValidationError) as refused:
        set_absence(member=alice, starts=days(0), ends=days(3), substitute=olga, by=None)
    assert "nobody would be at work" in str(refused.value)
    set_absence(member=alice, starts=days(0), ends=days(1), substitute=olga, by=None)


def test_a_substitute_who_is_away_passes_the_work_on(acme, alice, olga, sam):
    set_absence(member=alice, starts=days(0), ends=days(3), substitute=olga, by=None)
    set_absence(member=olga, starts=days(0), ends=days(1), substitute=sam, by=None)
    assert cover_for(alice, days(0)) == sam
    assert cover_for(alice, days(2)) == olga


def test_hand_over_and_hand_back(acme, bob, alice, olga, billing):
    mine = [make_ticket(acme, bob.user, billing, subject=f"T{i}") for i in range(3)]
    for ticket in mine:
        ticket.assignee = alice.user
        ticket.save()
    set_absence(member=alice, starts=days(0), ends=days(2), substitute=olga, by=alice.user)

    assert cover_absences() == (3, 0)
    assert cover_absences() == (0, 0)  # twice is once
    assert set(Ticket.objects.values_list("assignee", flat=True)) == {olga.user_id}
    event = mine[0].events.get(reason=TicketEvent.Reason.HANDED_OVER)
    assert (event.old_value, event.new_value, event.actor) == (
        alice.user.email,
        olga.user.email,
        None,
    )

    change_status(ticket=mine[1], to="solved", by=olga.user)  # done: stays with Olga
    mine[2].assignee = None  # taken off Olga: not hers to give back
    mine[2].save()
    later = timezone.now() + timedelta(days=3)

    assert cover_absences(now=later) == (0, 1)
    assert cover_absences(now=later) == (0, 0)
    assignees = dict(Ticket.objects.values_list("pk", "assignee"))
    assert assignees == {mine[0].pk: alice.user_id, mine[1].pk: olga.user_id, mine[2].pk: None}
    back = mine[0].events.get(reason=TicketEvent.Reason.HANDED_BACK)
    assert back.new_value == alice.user.email


def test_the_absent_get_no_automatic_assignment(acme, bob, alice, olga):
    queue = make_queue(acme, "Round", alice.user, olga.user)
    queue.assignment = Queue.Assignment.ROUND_ROBIN
    queue.save()
    set_absence(member=alice, starts=days(0), ends=days(0), by=None)
    tickets = [make_ticket(acme, bob.user, queue) for _ in range(3)]
    assert {t.assignee for t in tickets} == {olga.user}


def test_cancelling_an_absence_to_come(acme, alice):
    absence = set_absence(member=alice, starts=days(1), ends=days(2), by=alice.user)
    cancel_absence(absence=absence, by=alice.user)
    assert not Absence.objects.exists()
    assert AuditEntry.objects.filter(action="absence.cancelled").exists()
    begun = set_absence(member=alice, starts=days(0), ends=days(2), by=alice.user)
    with pytest.raises(ValidationError):
        cancel_absence(absence=begun, by=alice.user)


def test_another_tenants_absences_never_count(acme, globex, alice, mallory):
    other = make_member(globex, "gina@globex.test", "agent", name="Gina")
    set_absence(member=mallory, starts=days(0), ends=days(1), substitute=other, by=None)
    assert cover_for(alice, days(0)) is None


def test_tickets_come_back_only_once_someone_away_again_returns(acme, bob, alice, olga, billing):
    ticket = make_ticket(acme, bob.user, billing)
    ticket.assignee = alice.user
    ticket.save()
    set_absence(member=alice, starts=days(0), ends=days(1), substitute=olga, by=None)
    set_absence(member=alice, starts=days(2), ends=days(4), substitute=olga, by=None)
    cover_absences()

    cover_absences(now=timezone.now() + timedelta(days=2))
    assert Ticket.objects.get(pk=ticket.pk).assignee == olga.user

    cover_absences(now=timezone.now() + timedelta(days=5))
    assert Ticket.objects.get(pk=ticket.pk).assignee == alice.user


def test_nothing_comes_back_to_someone_deactivated(acme, bob, alice, olga, billing):
    ticket = make_ticket(acme, bob.user, billing)
    ticket.assignee = alice.user
    ticket.save()
    set_absence(member=alice, starts=days(0), ends=days(0), substitute=olga, by=None)
    cover_absences()
    alice.status = alice.Status.DEACTIVATED
    alice.save()

    cover_absences(now=timezone.now() + timedelta(days=1))

    assert Ticket.objects.get(pk=ticket.pk).assignee == olga.user
    assert Absence.objects.get().handed_back_at is not None
