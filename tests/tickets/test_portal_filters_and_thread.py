""" "My requests": a search box (subject or number) and a status filter, kept in the pages; the
customer's thread draws the helpdesk's replies and the requester's side apart."""

import re
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.factories import make_ticket
from tickets.models import Ticket
from tickets.services import add_comment, change_status

from .conftest import ticket_url

PORTAL = "/t/acme/portal/"


def _numbers(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"<tr>\s*<td>(\d+)</td>", page)]


def test_customer_finds_a_request_by_words_of_its_subject_or_its_number(
    client, acme, bob, carol, billing, acme_ticket
):
    address = make_ticket(acme, bob.user, billing, subject="How do I change my billing address?")
    make_ticket(acme, carol.user, billing, subject="Carol's billing address")  # not Bob's
    client.force_login(bob.user)

    by_words = client.get(PORTAL, {"q": "billing ADDRESS"}).content.decode()
    by_number = client.get(PORTAL, {"q": f"#{acme_ticket.number}"}).content.decode()
    by_bare_number = client.get(PORTAL, {"q": str(address.number)}).content.decode()

    assert _numbers(by_words) == [address.number]
    assert "Carol" not in by_words  # only the customer's visible part is searched
    assert _numbers(by_number) == [acme_ticket.number]
    assert address.number in _numbers(by_bare_number)


def test_status_filter_and_search_are_kept_by_the_pages(client, acme, bob, billing):
    for n in range(3):
        ticket = make_ticket(acme, bob.user, billing, subject=f"Printer {n}")
        change_status(ticket=ticket, to="pending", by=None)
    make_ticket(acme, bob.user, billing, subject="Printer still new")
    client.force_login(bob.user)

    first = client.get(PORTAL, {"q": "printer", "status": "pending", "page_size": 2})
    page = first.content.decode()

    assert len(_numbers(page)) == 2
    assert "Printer still new" not in page
    link = re.search(r'href="\?([^"]*page=2)" rel="next"', page).group(1).replace("&amp;", "&")
    assert "q=printer" in link and "status=pending" in link
    second = client.get(PORTAL + "?" + link).content.decode()
    assert len(_numbers(second)) == 1 and "Printer still new" not in second
    assert 'value="printer"' in second  # the box still says what was asked


def test_a_bad_filter_is_named_on_the_form_and_no_match_says_so(client, bob, acme_ticket):
    client.force_login(bob.user)

    bad = client.get(PORTAL, {"status": "on-fire", "q": "x" * 500})
    none = client.get(PORTAL, {"q": "nothing like this"}).content.decode()

    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()
    assert _numbers(bad.content.decode()) == [acme_ticket.number]  # a bad filter filters nothing
    assert "No request matches." in none and _numbers(none) == []


def test_the_thread_tells_the_helpdesk_from_the_customer(client, alice, bob, acme_ticket):
    add_comment(ticket=acme_ticket, author=alice.user, body="We refunded one charge.")
    add_comment(ticket=acme_ticket, author=bob.user, body="Thanks, I see it.")
    client.force_login(bob.user)

    page = client.get(ticket_url(acme_ticket)).content.decode()

    cards = re.findall(r'<li class="card message ([^"]+)">(.*?)</li>', page, re.S)
    sides = [(classes, re.sub(r"\s+", " ", body)) for classes, body in cards]
    assert len(sides) == 3  # the request itself, the agent's reply, Bob's reply
    opening, staff, own = sides
    assert "message--requester message--own" in opening[0]
    assert "message--helpdesk" in staff[0] and "message--own" not in staff[0]
    assert "<bdi>Alice Agent</bdi>" in staff[1] and "Support team</span>" in staff[1]
    assert "alice@acme.test" not in page  # a name, never an agent's address
    assert "message--requester message--own" in own[0] and "You</span>" in own[1]
    assert "We refunded one charge." in staff[1] and "Thanks, I see it." in own[1]


def test_the_thread_mirrors_in_hebrew_through_classes_and_logical_css(
    client, alice, bob, acme_ticket
):
    add_comment(ticket=acme_ticket, author=alice.user, body="שלום")
    client.force_login(bob.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "he"

    page = client.get(ticket_url(acme_ticket)).content.decode()

    assert 'dir="rtl"' in page
    assert "message--helpdesk" in page and "message--requester" in page
    assert " style=" not in page
    css = (Path(settings.BASE_DIR) / "static/tickets/tickets.css").read_text()
    rules = [line for line in css.splitlines() if line.startswith(".message")]
    assert rules and not any(re.search(r"\b(left|right)\b", line) for line in rules)
    assert any("margin-inline-start: auto" in line for line in rules)  # the requester's end


def test_the_portal_finds_shared_requests_without_a_check_on_every_row(bob, acme_ticket):
    """The shared requests are one array read once, so the OR with the requester's own still
    runs on indexes; ``pk IN (subquery)`` there was a filter run on each of the tenant's tickets."""
    query = Ticket.objects.visible_to(bob).order_by("-created_at", "-pk")[:26]
    sql, params = query.query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "InitPlan" in plan and "SubPlan" not in plan, plan
