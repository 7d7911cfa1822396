"""One ticket lifecycle, whichever door a move comes through: portal, workspace or API.

The rules live in tickets/services.py; these stories check that every door obeys them:
a reply from the requester's side hands a pending or solved ticket back to the helpdesk,
a customer reopens only a solved request, and a closed ticket takes nothing more.
"""

import pytest

from accounts.models import Role
from accounts.services import add_member, find_or_create_user
from tests.factories import PASSWORD
from tickets.models import Comment, Ticket, TicketEvent
from tickets.services import TicketClosed, add_comment, change_status

from .conftest import api_ticket_url, ticket_url


def customer_replies_in_portal(client, api, member, ticket, body):
    client.force_login(member.user)
    response = client.post(ticket_url(ticket), {"action": "reply", "body": body})
    return response.status_code


def customer_replies_in_api(client, api, member, ticket, body):
    api.force_authenticate(member.user)
    return api.post(api_ticket_url(ticket, "comments/"), {"body": body}).status_code


DOORS = [customer_replies_in_portal, customer_replies_in_api]


def _status_events(ticket):
    return list(
        TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.STATUS)
        .order_by("pk")
        .values_list("actor__email", "old_value", "new_value")
    )


@pytest.mark.parametrize("reply", DOORS, ids=["portal", "api"])
def test_requesters_reply_on_pending_hands_it_back_to_the_helpdesk(
    client, api, alice, bob, acme_ticket, reply
):
    change_status(ticket=acme_ticket, to="pending", by=alice.user)  # waiting on Bob

    assert reply(client, api, bob, acme_ticket, "Here is the invoice number.") in (201, 302)

    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "open"
    assert acme_ticket.reopened_count == 0  # pending → open is no reopening
    assert _status_events(acme_ticket) == [
        ("alice@acme.test", "new", "pending"),
        ("bob@acme.test", "pending", "open"),
    ]
    # The reply comes first in the timeline, then the move it caused.
    kinds = list(acme_ticket.events.order_by("created_at", "pk").values_list("kind", flat=True))
    assert kinds[-2:] == ["reply", "status"]


@pytest.mark.parametrize("reply", DOORS, ids=["portal", "api"])
def test_requesters_reply_on_solved_reopens_it(client, api, alice, bob, acme_ticket, reply):
    change_status(ticket=acme_ticket, to="solved", by=alice.user)

    assert reply(client, api, bob, acme_ticket, "Still charged twice.") in (201, 302)

    acme_ticket.refresh_from_db()
    assert (acme_ticket.status, acme_ticket.reopened_count) == ("open", 1)
    assert _status_events(acme_ticket)[-1] == ("bob@acme.test", "solved", "open")
    assert acme_ticket.solved_at is not None  # the first solve still counts for metrics


@pytest.mark.parametrize("reply", DOORS, ids=["portal", "api"])
def test_a_colleague_sharing_the_request_hands_it_back_too(
    client, api, acme, alice, carol, acme_ticket, reply
):
    acme.customers_see_organization_tickets = True
    acme.save()
    change_status(ticket=acme_ticket, to="pending", by=alice.user)

    assert reply(client, api, carol, acme_ticket, "Bob is away; here it is.") in (201, 302)

    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "open"
    assert _status_events(acme_ticket)[-1] == ("carol@acme.test", "pending", "open")


@pytest.mark.parametrize("status", ["new", "open"])
def test_requesters_reply_leaves_new_and_open_tickets_as_they_are(alice, bob, acme_ticket, status):
    change_status(ticket=acme_ticket, to=status, by=alice.user)
    add_comment(ticket=acme_ticket, author=bob.user, body="Any news?")
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == status


@pytest.mark.parametrize("status", ["pending", "solved"])
def test_staff_replies_and_notes_never_move_the_status(client, api, alice, acme_ticket, status):
    change_status(ticket=acme_ticket, to=status, by=alice.user)
    add_comment(ticket=acme_ticket, author=alice.user, body="Reminder: we need the invoice.")
    api.force_authenticate(alice.user)
    api.post(api_ticket_url(acme_ticket, "comments/"), {"body": "Noted", "public": False})
    client.force_login(alice.user)
    response = client.post(
        ticket_url(acme_ticket), {"action": "reply", "body": "Any luck?", "visibility": "public"}
    )
    assert response.status_code == 302
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == status
    assert acme_ticket.comments.count() == 3


# ------------------------------------------------------------------------ closed is final


def test_a_closed_ticket_refuses_every_reply_and_note_in_the_service(alice, bob, acme_ticket):
    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    change_status(ticket=acme_ticket, to="closed", by=None)
    for author, is_public in [(bob.user, True), (alice.user, True), (alice.user, False)]:
        with pytest.raises(TicketClosed):
            add_comment(ticket=acme_ticket, author=author, body="Late", is_public=is_public)
    assert not Comment.objects.exists()
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "closed"


@pytest.fixture
def closed_ticket(alice, acme_ticket):
    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    change_status(ticket=acme_ticket, to="closed", by=None)
    return acme_ticket


def test_portal_refuses_a_reply_on_a_closed_request_and_keeps_the_text(client, bob, closed_ticket):
    client.force_login(bob.user)
    page = client.get(ticket_url(closed_ticket)).content.decode()
    assert 'name="action" value="reply"' not in page  # no reply form on a closed request
    assert "Open a new request" in page

    # A page drawn before the ticket closed still posts: refused, said clearly, text kept.
    response = client.post(ticket_url(closed_ticket), {"action": "reply", "body": "One more"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This ticket is closed" in page and "One more" in page
    assert not Comment.objects.exists()


def test_api_refuses_a_reply_or_a_note_on_a_closed_ticket_with_409(api, alice, bob, closed_ticket):
    api.force_authenticate(bob.user)
    response = api.post(api_ticket_url(closed_ticket, "comments/"), {"body": "One more"})
    assert response.status_code == 409
    assert "closed" in response.json()["detail"]
    api.force_authenticate(alice.user)
    response = api.post(
        api_ticket_url(closed_ticket, "comments/"), {"body": "Note", "public": False}
    )
    assert response.status_code == 409
    assert not Comment.objects.exists()


def test_workspace_refuses_a_reply_on_a_closed_ticket_with_a_form_error(
    client, alice, closed_ticket
):
    client.force_login(alice.user)
    page = client.get(ticket_url(closed_ticket)).content.decode()
    assert "it takes no more replies or notes" in page
    assert 'name="action" value="reply"' not in page

    response = client.post(
        ticket_url(closed_ticket), {"action": "reply", "body": "Late", "visibility": "public"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This ticket is closed" in page and "Late" in page  # the typed text is kept
    assert not Comment.objects.exists()


# ------------------------------------------------------------------- reopening by hand


def test_customer_reopens_a_solved_request_in_portal_and_api_alike(
    client, api, alice, bob, acme_ticket
):
    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    client.force_login(bob.user)
    client.post(ticket_url(acme_ticket), {"action": "reopen"})
    acme_ticket.refresh_from_db()
    assert (acme_ticket.status, acme_ticket.reopened_count) == ("open", 1)

    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    api.force_authenticate(bob.user)
    response = api.patch(api_ticket_url(acme_ticket), {"status": "open"})
    assert response.status_code == 200
    acme_ticket.refresh_from_db()
    assert (acme_ticket.status, acme_ticket.reopened_count) == ("open", 2)
    assert _status_events(acme_ticket)[-1] == ("bob@acme.test", "solved", "open")


@pytest.mark.parametrize("status", ["new", "pending"])
def test_customer_cannot_move_an_unsolved_request_by_hand(
    client, api, alice, bob, acme_ticket, status
):
    change_status(ticket=acme_ticket, to=status, by=alice.user)
    client.force_login(bob.user)
    response = client.post(ticket_url(acme_ticket), {"action": "reopen"}, follow=True)
    assert "Only a solved request can be reopened." in response.content.decode()
    api.force_authenticate(bob.user)
    response = api.patch(api_ticket_url(acme_ticket), {"status": "open"})
    assert response.status_code == 409
    assert response.json()["detail"] == "Only a solved request can be reopened."
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == status


def test_nobody_reopens_a_closed_ticket(client, api, alice, bob, closed_ticket):
    client.force_login(bob.user)
    response = client.post(ticket_url(closed_ticket), {"action": "reopen"}, follow=True)
    assert "closed and cannot be reopened" in response.content.decode()
    api.force_authenticate(bob.user)
    response = api.patch(api_ticket_url(closed_ticket), {"status": "open"})
    assert response.status_code == 409
    assert "closed and cannot be reopened" in response.json()["detail"]
    api.force_authenticate(alice.user)
    assert api.patch(api_ticket_url(closed_ticket), {"status": "open"}).status_code == 409
    client.force_login(alice.user)
    client.post(
        ticket_url(closed_ticket),
        {"action": "update", "status": "open", "priority": "normal", "queue": ""},
    )
    closed_ticket.refresh_from_db()
    assert closed_ticket.status == "closed" and closed_ticket.reopened_count == 0


@pytest.fixture
def vera(acme, acme_co):
    """A watcher: sees her own requests but may not write (no submit_ticket)."""
    role = Role.objects.create(
        tenant=acme, key="watcher", name="Watcher", scope="own", permissions=["view_ticket"]
    )
    user = find_or_create_user(email="vera@acme.test", password=PASSWORD, name="Vera Watcher")
    return add_member(tenant=acme, user=user, role=role, by=None, organization=acme_co)


def test_a_member_who_may_not_write_is_refused_at_every_door(
    client, api, acme, alice, vera, billing
):
    from tests.factories import make_ticket

    ticket = make_ticket(acme, vera.user, billing)
    change_status(ticket=ticket, to="solved", by=alice.user)
    client.force_login(vera.user)
    page = client.get(ticket_url(ticket)).content.decode()
    assert 'value="reply"' not in page and 'value="reopen"' not in page
    assert client.post(ticket_url(ticket), {"action": "reply", "body": "x"}).status_code == 403
    assert client.post(ticket_url(ticket), {"action": "reopen"}).status_code == 403
    api.force_authenticate(vera.user)
    assert api.post(api_ticket_url(ticket, "comments/"), {"body": "x"}).status_code == 403
    assert api.patch(api_ticket_url(ticket), {"status": "open"}).status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED and not ticket.comments.exists()


def test_a_closed_requests_rating_no_longer_changes_by_any_door(
    client, api, alice, bob, acme_ticket
):
    from tickets.models import Rating
    from tickets.services import rate_ticket

    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    rate_ticket(ticket=acme_ticket, score=4, by=bob.user)
    change_status(ticket=acme_ticket, to="closed", by=None)

    api.force_authenticate(bob.user)
    response = api.post(api_ticket_url(acme_ticket, "rating/"), {"score": 1})
    assert response.status_code == 409
    assert response.json()["detail"] == "This request is closed: its rating can no longer change."
    client.force_login(bob.user)
    response = client.post(ticket_url(acme_ticket, "rate/"), {"score": "1"})
    assert "its rating can no longer change" in response.content.decode()
    client.post(ticket_url(acme_ticket), {"action": "rate", "score": "1"})
    assert Rating.objects.get().score == 4
