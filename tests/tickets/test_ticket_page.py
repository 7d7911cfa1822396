"""Agents on a ticket page: replies, notes, properties, roles, conflicts and presence."""

from tests.factories import make_ticket
from tickets.models import Ticket, TicketEvent
from tickets.services import add_comment, change_status

from .conftest import ticket_url


def _version(client, ticket):
    page = client.get(ticket_url(ticket)).content.decode()
    marker = 'name="version" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_agent_replies_publicly_and_adds_an_internal_note(client, alice, acme_ticket):
    client.force_login(alice.user)
    page = client.get(ticket_url(acme_ticket)).content.decode()
    assert 'id="id_body"' in page
    version = _version(client, acme_ticket)

    client.post(
        ticket_url(acme_ticket),
        {
            "action": "reply",
            "body": "Refund is on its way",
            "visibility": "public",
            "version": version,
        },
    )
    version = _version(client, acme_ticket)
    client.post(
        ticket_url(acme_ticket),
        {
            "action": "reply",
            "body": "Checked with finance",
            "visibility": "internal",
            "version": version,
        },
    )

    reply, note = acme_ticket.comments.order_by("pk")
    assert reply.is_public and not note.is_public
    acme_ticket.refresh_from_db()
    assert acme_ticket.first_response_at == reply.created_at
    page = client.get(ticket_url(acme_ticket)).content.decode()
    assert "Refund is on its way" in page and "Checked with finance" in page
    assert "Internal note" in page


def test_light_agent_may_note_but_not_reply_publicly(client, lena, acme_ticket):
    client.force_login(lena.user)
    page = client.get(ticket_url(acme_ticket)).content.decode()
    assert 'value="internal"' in page and 'value="public"' not in page

    response = client.post(
        ticket_url(acme_ticket), {"action": "reply", "body": "Psst", "visibility": "public"}
    )
    assert response.status_code == 400  # not a choice offered to this role
    assert not acme_ticket.comments.exists()

    client.post(
        ticket_url(acme_ticket), {"action": "reply", "body": "Note", "visibility": "internal"}
    )
    assert acme_ticket.comments.get().is_public is False


def test_agent_changes_properties_and_the_timeline_tells_who_and_what(
    client, alice, sam, acme_ticket, billing
):
    client.force_login(alice.user)
    client.post(
        ticket_url(acme_ticket),
        {
            "action": "update",
            "status": "pending",
            "priority": "urgent",
            "queue": billing.pk,
            "assignee": sam.user.pk,
            "tags": "vip, refund",
            "version": _version(client, acme_ticket),
        },
    )
    acme_ticket.refresh_from_db()
    assert (acme_ticket.status, acme_ticket.priority) == ("pending", "urgent")
    assert acme_ticket.assignee == sam.user
    assert sorted(acme_ticket.tags.values_list("name", flat=True)) == ["refund", "vip"]
    kinds = set(TicketEvent.objects.filter(ticket=acme_ticket).values_list("kind", flat=True))
    assert {"status", "priority", "assignee", "tags"} <= kinds
    page = client.get(ticket_url(acme_ticket)).content.decode()
    assert "Alice Agent: status changed, New → Pending" in page
    assert "Alice Agent changed the assignee from — to Sam Supervisor" in page
    assert "sam@acme.test" not in page.split('class="timeline"')[1]


def test_invalid_transition_is_a_clear_form_error_and_nothing_changes(client, alice, acme_ticket):
    client.force_login(alice.user)
    response = client.post(
        ticket_url(acme_ticket),
        {
            "action": "update",
            "status": "closed",
            "priority": "urgent",
            "tags": "",
            "version": _version(client, acme_ticket),
        },
    )
    assert response.status_code == 400
    assert "cannot move from New to Closed" in response.content.decode()
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "new" and acme_ticket.priority == "normal"  # all or nothing


def test_a_closed_tickets_properties_no_longer_change(client, alice, billing, acme_ticket):
    client.force_login(alice.user)
    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    change_status(ticket=acme_ticket, to="closed", by=alice.user)
    page = client.get(ticket_url(acme_ticket)).content.decode()
    assert "its assignee, priority, queue and tags no longer change" in page
    assert 'value="take"' not in page and 'value="update"' not in page
    acme_ticket.refresh_from_db()
    response = client.post(
        ticket_url(acme_ticket),
        {
            "action": "update",
            "status": "closed",
            "priority": "urgent",
            "queue": billing.pk,
            "tags": "late",
            "version": acme_ticket.updated_at.isoformat(),
        },
    )
    assert response.status_code == 400
    assert "no longer change" in response.content.decode()
    response = client.post(ticket_url(acme_ticket), {"action": "take"}, follow=True)
    assert "no longer change" in response.content.decode()
    acme_ticket.refresh_from_db()
    assert (acme_ticket.priority, acme_ticket.assignee, list(acme_ticket.tags.all())) == (
        "normal",
        None,
        [],
    )
    assert not TicketEvent.objects.filter(ticket=acme_ticket, kind__in=["priority", "tags"])


def test_second_agent_sees_what_changed_and_keeps_the_typed_reply(client, alice, sam, acme_ticket):
    client.force_login(alice.user)
    stale = _version(client, acme_ticket)
    add_comment(ticket=acme_ticket, author=sam.user, body="Sam already answered this")

    response = client.post(
        ticket_url(acme_ticket),
        {
            "action": "reply",
            "body": "My long careful answer",
            "visibility": "public",
            "version": stale,
        },
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "changed while you were working on it" in page
    assert "Sam already answered this" in page  # what changed
    assert "My long careful answer</textarea>" in page  # nothing lost
    assert acme_ticket.comments.count() == 1


def test_stale_property_change_is_not_applied_over_a_newer_one(client, alice, sam, acme_ticket):
    client.force_login(alice.user)
    stale = _version(client, acme_ticket)
    change_status(ticket=acme_ticket, to="solved", by=sam.user)
    response = client.post(
        ticket_url(acme_ticket),
        {"action": "update", "status": "pending", "priority": "normal", "version": stale},
    )
    assert response.status_code == 409
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "solved"


def test_agent_without_the_queue_is_told_why(client, olga, acme_ticket):
    client.force_login(olga.user)
    response = client.get(ticket_url(acme_ticket))
    assert response.status_code == 403
    assert "don&#39;t work the Billing queue" in response.content.decode()


def test_requester_history_is_beside_the_ticket(client, alice, acme, bob, billing, acme_ticket):
    make_ticket(acme, bob.user, billing, subject="Earlier trouble")
    client.force_login(alice.user)
    page = client.get(ticket_url(acme_ticket)).content.decode()
    assert "Earlier trouble" in page
    assert f"/t/acme/history/people/{bob.user.pk}/" in page


def test_agents_see_each_other_on_the_ticket_but_customers_cannot_ask(
    client, alice, sam, bob, acme_ticket
):
    url = ticket_url(acme_ticket, "presence/")
    client.force_login(sam.user)
    assert client.post(url, {"state": "replying"}).json()["others"] == []
    client.force_login(alice.user)
    others = client.post(url, {"state": "viewing"}).json()["others"]
    assert [(o["name"], o["state"]) for o in others] == [("Sam Supervisor", "replying")]
    client.force_login(bob.user)
    assert client.get(url).status_code == 404


def test_agent_takes_a_ticket(client, alice, acme_ticket):
    client.force_login(alice.user)
    client.post(ticket_url(acme_ticket), {"action": "take"})
    assert Ticket.objects.get(pk=acme_ticket.pk).assignee == alice.user


def test_the_staff_page_reads_the_same_statements_whatever_its_thread_holds(
    client, acme, alice, bob, billing, django_assert_num_queries
):
    """No statement per comment, and none that only some threads need (files, tags)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tickets.services import attach_file, set_tags

    bare = make_ticket(acme, bob.user, billing, subject="Bare")
    busy = make_ticket(acme, bob.user, billing, subject="Busy")
    attach_file(ticket=busy, upload=SimpleUploadedFile("first.txt", b"1"), by=bob.user)
    set_tags(ticket=busy, names=["vip", "billing"], by=alice.user)
    for n in range(3):
        reply = add_comment(ticket=busy, author=alice.user, body=f"Reply {n}")
        attach_file(
            ticket=busy, upload=SimpleUploadedFile(f"r{n}.txt", b"r"), by=alice.user, comment=reply
        )
        add_comment(ticket=busy, author=alice.user, body=f"Note {n}", is_public=False)
    client.force_login(alice.user)
    client.get(ticket_url(bare))  # the first visit records last_seen
    with CaptureQueriesContext(connection) as bare_reads:
        assert client.get(ticket_url(bare)).status_code == 200
    with django_assert_num_queries(len(bare_reads)):
        page = client.get(ticket_url(busy)).content.decode()
    assert page.count('class="attachments"') == 4  # the request's file and each reply's
    assert "r2.txt" in page and "first.txt" in page
    assert page.index('<span class="badge tag"><bdi>billing') < page.index(
        '<span class="badge tag"><bdi>vip'
    )
