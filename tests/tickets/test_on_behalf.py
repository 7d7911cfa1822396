"""Staff open a ticket on behalf of a customer (a phone call, a walk-in): channel "staff",
an event saying who opened it for whom, the customer's usual receipt."""

import pytest

from tests.conftest import login_api
from tests.factories import make_queue
from tickets.models import Ticket, TicketEvent


def test_an_agent_opens_a_ticket_for_a_customer_on_the_page(
    client, alice, bob, billing, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(alice.user)
    assert client.get("/t/acme/tickets/new/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/t/acme/tickets/new/",
            {
                "requester": "BOB@acme.test",
                "subject": "Called about a refund",
                "description": "Charged twice, says Bob on the phone.",
                "queue": billing.pk,
                "priority": "high",
            },
        )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{ticket.number}/")
    assert ticket.requester == bob.user and ticket.channel == "staff"
    assert ticket.priority == "high" and ticket.organization_id == bob.organization_id
    created = TicketEvent.objects.get(ticket=ticket, kind="created")
    assert created.actor == alice.user and created.new_value == "bob@acme.test"
    receipt = [m for m in smtp_server.wait_for(1) if m.envelope_to == ["bob@acme.test"]]
    assert receipt and "Called about a refund" in receipt[0]["Subject"]
    # Bob sees it as his own request.
    client.force_login(bob.user)
    assert client.get(f"/t/acme/tickets/{ticket.number}/").status_code == 200


def test_someone_who_is_not_a_member_is_refused_with_words(client, alice, billing, mallory):
    client.force_login(alice.user)
    response = client.post(
        "/t/acme/tickets/new/",
        {
            "requester": "mallory@globex.test",
            "subject": "x",
            "description": "y",
            "queue": billing.pk,
            "priority": "normal",
        },
    )
    assert response.status_code == 400
    assert "active member of this helpdesk" in response.content.decode()
    assert not Ticket.objects.exists()


def test_an_agent_of_some_queues_is_offered_no_queue_less_ticket_and_keeps_what_was_typed(
    client, alice, bob, billing
):
    """Reported: "No queue" was offered to an agent who works granted queues only, and
    choosing it answered a 403 page that lost everything typed."""
    client.force_login(alice.user)
    page = client.get("/t/acme/tickets/new/").content.decode()
    assert "No queue" not in page
    typed = {
        "requester": "bob@acme.test",
        "subject": "Walk-in about the printer",
        "description": "The office printer jams on every page.",
        "priority": "normal",
    }
    response = client.post("/t/acme/tickets/new/", {**typed, "queue": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Walk-in about the printer" in page and "jams on every page" in page
    assert not Ticket.objects.exists()


def test_a_customer_cannot_open_for_someone_else(client, bob, carol):
    client.force_login(bob.user)
    assert client.get("/t/acme/tickets/new/").status_code == 403


def test_api_staff_open_for_a_requester(api, alice, bob, billing):
    login_api(api, alice)
    response = api.post(
        "/api/v1/t/acme/tickets/",
        {
            "subject": "Walk-in",
            "description": "At the desk",
            "queue": billing.pk,
            "requester": bob.user.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["requester"] == bob.user.pk
    assert response.json()["channel"] == "staff"


def test_api_opening_for_yourself_is_as_before(api, alice, billing):
    login_api(api, alice)
    response = api.post(
        "/api/v1/t/acme/tickets/",
        {"subject": "Mine", "description": "x", "queue": billing.pk, "requester": alice.user.pk},
        format="json",
    )
    assert response.status_code == 201 and response.json()["channel"] == "api"


@pytest.mark.parametrize("who", ["stranger", "outsider", "pending"])
def test_api_unknown_requester_is_400_naming_it(api, alice, billing, mallory, pete, who):
    requester = {"stranger": 99999, "outsider": mallory.user.pk, "pending": pete.user.pk}[who]
    login_api(api, alice)
    response = api.post(
        "/api/v1/t/acme/tickets/",
        {"subject": "x", "description": "y", "queue": billing.pk, "requester": requester},
        format="json",
    )
    assert response.status_code == 400
    assert "requester" in response.json()
    assert not Ticket.objects.exists()


def test_api_refusals_come_before_any_ticket(api, acme, alice, olga, bob, carol):
    login_api(api, carol)  # a customer for a colleague
    response = api.post(
        "/api/v1/t/acme/tickets/",
        {"subject": "x", "description": "y", "requester": bob.user.pk},
        format="json",
    )
    assert response.status_code == 403
    assert "requester" in response.json()["detail"]
    foreign = make_queue(acme, "Shipping")
    login_api(api, olga)  # into a queue she does not work: she could not follow it
    response = api.post(
        "/api/v1/t/acme/tickets/",
        {"subject": "x", "description": "y", "queue": foreign.pk, "requester": bob.user.pk},
        format="json",
    )
    assert response.status_code == 403
    assert not Ticket.objects.exists()


def test_api_requester_cannot_change_afterwards(api, alice, bob, carol, acme_ticket):
    login_api(api, alice)
    response = api.patch(
        f"/api/v1/t/acme/tickets/{acme_ticket.pk}/", {"requester": carol.user.pk}, format="json"
    )
    assert response.status_code == 400 and "requester" in response.json()
    acme_ticket.refresh_from_db()
    assert acme_ticket.requester == bob.user
