"""The requester marks their own request solved: one more move of theirs, through decide()."""

import pytest

from accounts.access import Refused, decide
from accounts.models import Role
from tests.factories import make_member, make_ticket
from tickets.models import Ticket, TicketColleague, TicketEvent
from tickets.services import InvalidTransition, change_status, solve_own_request

from .conftest import ticket_url


def _status_events(ticket):
    return list(
        TicketEvent.objects.filter(ticket=ticket, kind="status").values_list(
            "actor__email", "old_value", "new_value"
        )
    )


def test_requester_marks_their_request_solved_on_its_page(client, bob, acme_ticket):
    client.force_login(bob.user)
    assert "Mark as solved" in client.get(ticket_url(acme_ticket)).content.decode()

    response = client.post(ticket_url(acme_ticket), {"action": "solve"})

    assert response.status_code == 302
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == Ticket.Status.SOLVED and acme_ticket.solved_at is not None
    assert _status_events(acme_ticket) == [("bob@acme.test", "new", "solved")]
    page = client.get(ticket_url(acme_ticket)).content.decode()
    assert "Mark as solved" not in page and "reopen" in page  # and the way back is offered


def test_a_colleague_on_the_request_may_not_solve_it(client, acme, bob, carol, acme_ticket):
    TicketColleague.objects.create(tenant=acme, ticket=acme_ticket, user=carol.user)
    client.force_login(carol.user)
    assert "Mark as solved" not in client.get(ticket_url(acme_ticket)).content.decode()

    response = client.post(ticket_url(acme_ticket), {"action": "solve"})

    assert response.status_code == 403
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == Ticket.Status.NEW and _status_events(acme_ticket) == []


def test_staff_cannot_solve_as_if_they_were_the_requester(ada, alice, acme_ticket):
    # An admin holds every action: the ticket's rule still says it is the requester's move.
    decision = decide(ada, "solve_own_request", acme_ticket)
    assert not decision.allowed
    assert "Only the person who made this request" in decision.reasons[0]
    for member in (ada, alice):
        with pytest.raises(Refused):
            solve_own_request(ticket=acme_ticket, member=member)
    assert _status_events(acme_ticket) == []


def test_a_customer_role_without_the_action_is_refused(client, acme, billing):
    role = Role.objects.create(
        tenant=acme, key="viewer", name="Viewer", scope="own", permissions=["submit_ticket"]
    )
    viewer = make_member(acme, "vic@acme.test", "customer")
    viewer.role = role
    viewer.save()
    ticket = make_ticket(acme, viewer.user, billing)
    client.force_login(viewer.user)
    client.get(f"/t/acme/tickets/{ticket.number}/")

    response = client.post(ticket_url(ticket), {"action": "solve"})

    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.NEW


def test_a_closed_request_stays_closed_and_a_solved_one_stays_solved(bob, acme_ticket):
    solve_own_request(ticket=acme_ticket, member=bob)
    solve_own_request(ticket=acme_ticket, member=bob)  # a second click changes nothing
    assert len(_status_events(acme_ticket)) == 1

    change_status(ticket=acme_ticket, to="closed", by=None)
    with pytest.raises(InvalidTransition):
        solve_own_request(ticket=acme_ticket, member=bob)
    assert Ticket.objects.get(pk=acme_ticket.pk).status == Ticket.Status.CLOSED


def test_another_tenants_person_gets_404(client, mallory, acme_ticket):
    client.force_login(mallory.user)
    assert client.post(ticket_url(acme_ticket), {"action": "solve"}).status_code == 404
    assert Ticket.objects.get(pk=acme_ticket.pk).status == Ticket.Status.NEW


def test_whoever_gives_the_customer_role_holds_its_new_actions(acme):
    """Giving a role needs holding its actions (accounts.granting): every built-in role that
    submits requests holds the requester's moves, so supervisors still give the customer role."""
    from accounts.granting import may_grant
    from tests.factories import role

    customer = role(acme, "customer")
    for key in ("admin", "supervisor", "agent"):
        assert {"solve_own_request", "add_colleague"} <= set(role(acme, key).permissions), key
    supervisor = make_member(acme, "sue@acme.test", "supervisor")
    assert may_grant(supervisor, role=customer).allowed
