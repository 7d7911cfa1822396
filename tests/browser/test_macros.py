"""Macros in a real browser: an agent picks one with the keyboard, its text arrives filled in
for the ticket, and "Send and set pending" sends it with the macro's changes."""

from playwright.sync_api import expect

from tests.factories import PASSWORD
from tickets.services import add_macro


def test_agent_picks_a_macro_with_the_keyboard_and_sends_setting_pending(
    page, live_server, login, alice, acme_ticket
):
    add_macro(member=alice, name="Greeting", body="Hi {{ requester.name }}!")
    add_macro(
        member=alice,
        name="Refund done",
        body="Hello {{ requester.name }}, #{{ ticket.number }} is refunded. {{ agent.name }}",
        sets={"tags": ["refund"]},
    )
    login(alice.user.email, PASSWORD)
    page.goto(live_server.url + f"/t/acme/tickets/{acme_ticket.number}/")

    opener = page.get_by_role("button", name="Insert a macro")
    opener.click()
    search = page.get_by_role("combobox", name="Find a macro")
    expect(search).to_be_focused()
    search.press("Escape")  # Escape closes and gives the focus back
    expect(search).to_be_hidden()
    expect(opener).to_be_focused()

    opener.press("Enter")
    search.fill("re")  # "Greeting" and "Refund done" both hold "re"
    options = page.get_by_role("option")
    expect(options.filter(visible=True)).to_have_count(2)
    search.press("ArrowDown")
    expect(page.get_by_role("option", name="Refund done")).to_have_attribute(
        "aria-selected", "true"
    )
    search.press("Enter")

    body = page.locator("#id_body")
    expected = f"Hello Bob Buyer, #{acme_ticket.number} is refunded. Alice Agent"
    expect(body).to_have_value(expected)
    expect(page.locator("#macro-changes")).to_contain_text("refund")
    page.get_by_role("button", name="Send and set pending").click()

    expect(page.get_by_text("Reply sent; the ticket is Pending.")).to_be_visible()
    expect(page.locator(".badge", has_text="Pending").first).to_be_visible()
    timeline = page.get_by_role("list", name="Timeline")
    expect(timeline.get_by_text(expected)).to_be_visible()
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "pending"
    assert [t.name for t in acme_ticket.tags.all()] == ["refund"]
