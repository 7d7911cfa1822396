"""An agent finds tickets in a real browser on PostgreSQL: by number, and by a Hebrew word
written without the prefix the ticket glued to it; the page marks where the words matched."""

from django.db import connection
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_ticket
from tickets.services import add_comment


def _search(page, text):
    filters = page.locator("details.filters")
    if filters.get_attribute("open") is None:  # it opens by itself once a search is made
        filters.locator("summary").click()
    page.get_by_label("Search").fill(text)
    with page.expect_navigation():
        page.get_by_label("Search").press("Enter")


def test_agent_finds_a_ticket_by_number_and_in_hebrew(
    page, live_server, login, acme, alice, bob, billing
):
    assert connection.vendor == "postgresql"
    make_ticket(acme, bob.user, billing, subject="המדפסת לא מדפיסה", description=".")
    office = make_ticket(acme, bob.user, billing, subject="Network down", description=".")
    add_comment(ticket=office, author=alice.user, body="הטכנאי כבר בדרך למשרד שלכם")
    make_ticket(acme, bob.user, billing, subject="Charged twice", description=".")

    login(alice.user.email, PASSWORD)
    page.goto(live_server.url + "/t/acme/workspace/")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)

    _search(page, f"#{office.number}")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("link", name="Network down")).to_be_visible()

    _search(page, "מדפסת")  # the subject says המדפסת
    expect(rows).to_have_count(1)
    expect(rows.first.locator("mark")).to_have_text("המדפסת")

    _search(page, "משרד")  # a comment says למשרד
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".snippet mark")).to_have_text("למשרד")
    rows.first.get_by_role("link", name="Network down").click()
    expect(page).to_have_url(live_server.url + f"/t/acme/tickets/{office.number}/")
