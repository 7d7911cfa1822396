"""Customers in the portal: submit, follow, reply, reopen, rate; and what they never see."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_queue, make_ticket
from tickets.models import Attachment, Queue, Rating, Ticket
from tickets.services import add_comment, change_status

from .conftest import ticket_url


def test_customer_submits_a_request_with_an_attachment_and_lands_on_it(client, bob, billing):
    client.force_login(bob.user)
    page = client.get("/t/acme/portal/new/").content.decode()
    assert 'id="id_subject"' in page and 'id="id_description"' in page

    response = client.post(
        "/t/acme/portal/new/",
        {
            "subject": "Invoice missing",
            "description": "Where is **March**?",
            "queue": billing.pk,
            "attachments": SimpleUploadedFile("shot.png", b"\x89PNG fake", "image/png"),
        },
    )

    ticket = Ticket.objects.get(subject="Invoice missing")
    assert response.status_code == 302
    assert response.url == ticket_url(ticket)
    assert ticket.requester == bob.user and ticket.queue == billing
    assert ticket.organization == bob.organization
    assert Attachment.objects.get(ticket=ticket).filename == "shot.png"
    page = client.get(ticket_url(ticket)).content.decode()
    assert "<strong>March</strong>" in page and "shot.png" in page


def test_empty_subject_huge_body_and_unknown_queue_keep_what_was_typed(
    client, bob, billing, globex_queue
):
    client.force_login(bob.user)
    response = client.post(
        "/t/acme/portal/new/",
        {"subject": "   ", "description": "x" * 50_001, "queue": globex_queue.pk},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please write a subject." in page or "This field is required." in page
    assert "Ensure this value has at most 50000 characters" in page
    assert "Select a valid choice" in page  # another tenant's queue is simply unknown here
    assert "x" * 1000 in page  # nothing lost
    assert not Ticket.objects.exists()


def test_private_queue_is_not_offered_in_the_portal(client, bob, acme, billing):
    Queue.objects.create(tenant=acme, name="Internal escalations", is_public=False)
    client.force_login(bob.user)
    page = client.get("/t/acme/portal/new/").content.decode()
    assert "Billing" in page and "Internal escalations" not in page


def test_portal_lists_own_requests_and_organization_ones_only_where_shared(
    client, acme, bob, carol, acme_ticket
):
    carols = make_ticket(acme, carol.user, None, subject="Carol's printer")
    client.force_login(bob.user)
    page = client.get("/t/acme/portal/").content.decode()
    assert "Charged twice" in page and "Carol&#39;s printer" not in page
    assert client.get(ticket_url(carols)).status_code == 404

    acme.customers_see_organization_tickets = True
    acme.save()
    page = client.get("/t/acme/portal/").content.decode()
    assert "Carol&#39;s printer" in page
    assert client.get(ticket_url(carols)).status_code == 200


def test_customer_never_sees_internal_notes_or_agent_emails(
    client, bob, alice, acme_ticket, secret_note
):
    add_comment(ticket=acme_ticket, author=alice.user, body="We are on it.")
    client.force_login(bob.user)
    page = client.get(ticket_url(acme_ticket)).content.decode()
    assert "We are on it." in page
    assert "SECRET-NOTE" not in page
    assert "alice@acme.test" not in page
    assert "Alice Agent" in page


def test_customer_replies_reopens_and_rates(client, bob, alice, acme_ticket):
    client.force_login(bob.user)
    client.post(ticket_url(acme_ticket), {"action": "reply", "body": "Any news?"})
    assert acme_ticket.comments.get().body == "Any news?"

    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    client.post(ticket_url(acme_ticket), {"action": "rate", "score": "4", "comment": "Nice"})
    acme_ticket.refresh_from_db()
    assert acme_ticket.rating.score == 4 and acme_ticket.rating.comment == "Nice"

    client.post(ticket_url(acme_ticket), {"action": "reopen"})
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "open" and acme_ticket.reopened_count == 1


def test_customer_cannot_rate_an_unsolved_request(client, bob, acme_ticket):
    client.force_login(bob.user)
    response = client.post(ticket_url(acme_ticket, "rate/"), {"score": "5"})
    assert response.status_code == 200
    assert "once it is solved" in response.content.decode()
    assert not Rating.objects.exists()


def test_another_customer_cannot_reach_a_request_by_number(client, carol, acme_ticket):
    client.force_login(carol.user)
    assert client.get(ticket_url(acme_ticket)).status_code == 404
    response = client.post(ticket_url(acme_ticket), {"action": "reply", "body": "hi"})
    assert response.status_code == 404
    assert not acme_ticket.comments.exists()


def test_every_ticket_url_of_another_tenant_is_404(client, ada, globex_ticket, globex):
    client.force_login(ada.user)
    attachment = Attachment.objects.create(
        tenant=globex,
        ticket=globex_ticket,
        filename="g.txt",
        content_type="text/plain",
        size=1,
        uploaded_by=globex_ticket.requester,
        file="attachments/g.txt",
    )
    for url in [
        f"/t/acme/tickets/{globex_ticket.number}/",
        f"/t/acme/tickets/{globex_ticket.number}/rate/",
        f"/t/acme/tickets/{globex_ticket.number}/presence/",
        f"/t/acme/attachments/{attachment.pk}/",
        f"/t/acme/queues/{globex_ticket.queue_id}/",
        f"/t/acme/history/people/{globex_ticket.requester_id}/",
        f"/t/acme/history/organizations/{make_queue(globex, 'x').pk}/",
        f"/api/v1/t/acme/tickets/{globex_ticket.pk}/",
        f"/api/v1/t/acme/tickets/{globex_ticket.pk}/comments/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/api/v1/t/acme/tickets/{globex_ticket.pk}/rating/", {}).status_code == 404
    assert (
        client.patch(
            f"/api/v1/t/acme/tickets/{globex_ticket.pk}/",
            {"status": "solved"},
            content_type="application/json",
        ).status_code
        == 404
    )
    globex_ticket.refresh_from_db()
    assert globex_ticket.status == "new"


def test_portal_list_queries_do_not_grow_with_its_rows(client, acme, alice, bob, billing):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tickets.services import assign_ticket, rate_ticket

    def add(n):
        for i in range(n):
            ticket = make_ticket(acme, bob.user, billing, subject=f"Request {n}-{i}")
            assign_ticket(ticket=ticket, assignee=alice.user, by=alice.user)
            change_status(ticket=ticket, to="solved", by=alice.user)
            rate_ticket(ticket=Ticket.objects.get(pk=ticket.pk), score=5, by=bob.user)

    add(1)
    client.force_login(bob.user)
    client.get("/t/acme/portal/")  # the first visit of a while also stamps last_seen_at
    with CaptureQueriesContext(connection) as small:
        client.get("/t/acme/portal/")
    add(5)
    with CaptureQueriesContext(connection) as large:
        page = client.get("/t/acme/portal/").content.decode()
    assert page.count("5/5") == 6
    assert len(large) == len(small)
