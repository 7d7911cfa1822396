"""A row says "customer replied" and the ticket's age; the filter panel opens only when a
filter applies."""

import re
from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from tests.factories import make_ticket
from tickets.models import Ticket
from tickets.services import add_comment, change_status


def _row(response, ticket) -> str:
    body = response.content.decode()
    start = body.index(f'<tr data-ticket="{ticket.number}">')
    return body[start : body.index("</tr>", start)]


def test_a_customers_reply_is_marked_until_the_helpdesk_answers(
    client, acme, alice, bob, carol, acme_ticket
):
    client.force_login(alice.user)
    assert "Customer replied" not in _row(client.get("/t/acme/workspace/"), acme_ticket)

    add_comment(ticket=acme_ticket, author=alice.user, body="Which card?")
    add_comment(ticket=acme_ticket, author=bob.user, body="The Visa.")
    first = Ticket.objects.get(pk=acme_ticket.pk).customer_replied_at
    add_comment(ticket=acme_ticket, author=carol.user, body="Me too.")  # a colleague, later
    assert Ticket.objects.get(pk=acme_ticket.pk).customer_replied_at == first  # waiting since
    assert "Customer replied" in _row(client.get("/t/acme/workspace/"), acme_ticket)

    add_comment(ticket=acme_ticket, author=alice.user, body="Checking.", is_public=False)
    assert "Customer replied" in _row(client.get("/t/acme/workspace/"), acme_ticket)  # a note

    add_comment(ticket=acme_ticket, author=alice.user, body="Refunded.")
    assert "Customer replied" not in _row(client.get("/t/acme/workspace/"), acme_ticket)
    assert Ticket.objects.get(pk=acme_ticket.pk).customer_replied_at is None


def test_a_reply_on_a_pending_request_is_marked_and_reopens_it(client, alice, bob, acme_ticket):
    change_status(ticket=acme_ticket, to="pending", by=alice.user)
    add_comment(ticket=acme_ticket, author=bob.user, body="Here is the invoice.")
    client.force_login(alice.user)
    row = _row(client.get("/t/acme/workspace/"), acme_ticket)
    assert "Customer replied" in row and "Open" in row


def test_the_marker_of_tickets_from_before_is_filled_in(acme, alice, bob, carol, billing):
    from importlib import import_module

    migration = import_module("tickets.migrations.0013_team_views_customer_replied_priority_sort")
    answered = make_ticket(acme, bob.user, billing, subject="Answered")
    add_comment(ticket=answered, author=bob.user, body="Hello?")
    add_comment(ticket=answered, author=alice.user, body="Hi.")
    waiting = make_ticket(acme, bob.user, billing, subject="Waiting")
    add_comment(ticket=waiting, author=alice.user, body="Which card?")
    reply = add_comment(ticket=waiting, author=bob.user, body="The Visa.")
    add_comment(ticket=waiting, author=carol.user, body="And mine.")
    add_comment(ticket=waiting, author=alice.user, body="A note.", is_public=False)
    untouched = make_ticket(acme, bob.user, billing, subject="Untouched")
    Ticket.objects.update(customer_replied_at=None)  # as the column was added

    migration.fill_customer_replied(apps, None)

    marks = dict(Ticket.objects.values_list("subject", "customer_replied_at"))
    assert marks["Answered"] is None and marks["Untouched"] is None
    assert marks["Waiting"] == reply.created_at
    assert untouched.customer_replied_at is None


def test_a_row_shows_the_tickets_age(client, alice, acme_ticket):
    Ticket.objects.filter(pk=acme_ticket.pk).update(created_at=timezone.now() - timedelta(days=3))
    client.force_login(alice.user)
    row = _row(client.get("/t/acme/workspace/"), acme_ticket)
    assert re.search(r"<time datetime=\"[^\"]+\">3\xa0days</time>", row), row


def test_the_filter_panel_opens_only_when_a_filter_applies(client, alice, acme_ticket):
    client.force_login(alice.user)
    folded = ["", "?view=mine", "?view=queues&sort=-updated", "?page_size=10"]
    for query in folded:
        page = client.get("/t/acme/workspace/" + query).content.decode()
        assert '<details class="card filters">' in page, query
    for query in ["?priority=urgent", "?view=mine&tag=vip", "?created_after=nope"]:
        page = client.get("/t/acme/workspace/" + query).content.decode()
        assert '<details class="card filters" open>' in page, query
