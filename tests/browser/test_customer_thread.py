"""A customer reading in Hebrew sees their thread with the helpdesk's side and their own apart
(mirrored: the helpdesk's replies on the right, their own on the left), and marks it solved."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tickets.models import Ticket, TicketEvent
from tickets.services import add_comment


def in_hebrew(msgid):
    with translation.override("he"):
        return gettext(msgid)


def test_customer_in_hebrew_sees_both_sides_and_marks_the_request_solved(
    page, live_server, login, bob, alice, acme_ticket
):
    add_comment(ticket=acme_ticket, author=alice.user, body="החזרנו את החיוב הכפול.")
    add_comment(ticket=acme_ticket, author=bob.user, body="תודה, אני רואה את זה.")
    login(bob.user.email, PASSWORD)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "he", "url": live_server.url}]
    )

    page.goto(live_server.url + f"/t/acme/tickets/{acme_ticket.number}/")

    assert page.locator("html").get_attribute("dir") == "rtl"
    helpdesk = page.locator(".message--helpdesk")
    own = page.locator(".message--own").last
    expect(helpdesk).to_have_count(1)
    expect(helpdesk.get_by_text("Alice Agent")).to_be_visible()
    expect(helpdesk.locator(".badge--helpdesk")).to_have_text(in_hebrew("Support team"))
    expect(own.locator(".badge--own")).to_have_text(in_hebrew("You"))
    theirs, mine = helpdesk.bounding_box(), own.bounding_box()
    # Right to left: the helpdesk's side starts on the right, the customer's own on the left.
    assert theirs["x"] + theirs["width"] > mine["x"] + mine["width"] + 20
    assert mine["x"] < theirs["x"] - 20
    assert helpdesk.evaluate("e => getComputedStyle(e).borderRightStyle") == "solid"

    page.get_by_role("button", name=in_hebrew("Mark as solved")).click()

    expect(page.locator("h1 + p .badge").first).to_have_text(in_hebrew("Solved"))
    assert Ticket.objects.get(pk=acme_ticket.pk).status == Ticket.Status.SOLVED
    # The last status move is Bob's (Alice's reply had opened the new request before it).
    event = TicketEvent.objects.filter(ticket=acme_ticket, kind="status").latest("created_at")
    assert (event.actor, event.new_value) == (bob.user, "solved")
    expect(page.get_by_role("button", name=in_hebrew("Mark as solved"))).to_have_count(0)
