"""Answer in one step: "Send and set pending / solved" makes the reply and the status change
together (page and API), and a public staff reply to a new ticket opens it."""

import pytest

from tests.conftest import login_api
from tests.factories import role
from tests.tickets.conftest import api_ticket_url, ticket_url
from tickets.models import Comment, TicketEvent
from tickets.services import add_comment, change_status


def _send(client, ticket, **fields):
    page = client.get(ticket_url(ticket))
    version = page.context["reply_form"]["version"].value()
    data = {"action": "reply", "version": version, "visibility": "public", "body": "On it."}
    return client.post(ticket_url(ticket), {**data, **fields})


def test_a_public_staff_reply_opens_a_new_ticket(alice, acme_ticket):
    assert acme_ticket.status == "new"
    add_comment(ticket=acme_ticket, author=alice.user, body="Looking into it")
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "open"
    moved = TicketEvent.objects.get(ticket=acme_ticket, kind="status")
    assert (moved.old_value, moved.new_value, moved.actor) == ("new", "open", alice.user)


def test_a_note_or_the_requesters_reply_leaves_a_new_ticket_new(alice, bob, acme_ticket):
    add_comment(ticket=acme_ticket, author=alice.user, body="Hmm", is_public=False)
    add_comment(ticket=acme_ticket, author=bob.user, body="Any news?")
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "new"


@pytest.mark.parametrize("status", ["pending", "solved"])
def test_send_and_set_a_status_on_the_page(client, alice, acme_ticket, status):
    client.force_login(alice.user)
    page = client.get(ticket_url(acme_ticket)).content.decode()
    assert "Send and set pending" in page and "Send and set solved" in page
    assert 'id="id_body"' in page  # the reply shortcut focuses it

    response = _send(client, acme_ticket, set_status=status)

    assert response.status_code == 302
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == status
    reply = TicketEvent.objects.get(ticket=acme_ticket, kind="reply")
    moved = TicketEvent.objects.get(ticket=acme_ticket, kind="status")
    assert (moved.old_value, moved.new_value) == ("new", status)  # not new -> open -> status
    assert moved.created_at == reply.created_at


def test_plain_send_opens_the_new_ticket(client, alice, acme_ticket):
    client.force_login(alice.user)
    assert _send(client, acme_ticket, set_status="").status_code == 302
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "open"


def test_without_the_right_to_change_status_nothing_is_sent(client, acme, alice, acme_ticket):
    agent = role(acme, "agent")
    agent.permissions = [p for p in agent.permissions if p != "change_ticket_status"]
    agent.save()
    client.force_login(alice.user)
    page = client.get(ticket_url(acme_ticket)).content.decode()
    assert "Send and set pending" not in page  # not offered
    response = _send(client, acme_ticket, set_status="solved")
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_move_the_lifecycle_forbids_keeps_the_reply_in_the_form(client, alice, acme_ticket):
    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    change_status(ticket=acme_ticket, to="closed", by=alice.user)
    client.force_login(alice.user)
    response = _send(client, acme_ticket, set_status="pending")
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_api_comment_with_a_status(api, alice, acme_ticket):
    login_api(api, alice)
    response = api.post(
        api_ticket_url(acme_ticket, "comments/"),
        {"body": "Waiting for your receipt", "public": True, "status": "pending"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert "status" not in response.json()
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "pending"
    assert acme_ticket.first_response_at is not None


def test_api_a_customer_cannot_set_a_status_with_a_reply(api, bob, acme_ticket):
    login_api(api, bob)
    response = api.post(
        api_ticket_url(acme_ticket, "comments/"),
        {"body": "Done, thanks", "status": "solved"},
        format="json",
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_api_status_refused_by_the_lifecycle_is_409_and_nothing_is_posted(api, alice, acme_ticket):
    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    login_api(api, alice)
    response = api.post(
        api_ticket_url(acme_ticket, "comments/"),
        {"body": "Still?", "status": "pending"},
        format="json",
    )
    assert response.status_code == 409
    assert not Comment.objects.exists()
