"""Keyboard triage in a real browser: j/k through the list and from ticket to ticket, open,
reply, note, assign to me, set status, search, "?" for help; never while typing; headers sort."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_ticket
from tickets.models import Ticket


@pytest.fixture
def listed(acme, bob, billing):
    """Three tickets in Billing, #1 the oldest: the default list shows #3, #2, #1."""
    now = timezone.now()
    made = []
    for n, (age, touched) in enumerate([(30, 1), (20, 3), (10, 5)]):
        ticket = make_ticket(acme, bob.user, billing, subject=f"Request {n + 1}")
        Ticket.objects.filter(pk=ticket.pk).update(
            created_at=now - timedelta(days=age), updated_at=now - timedelta(hours=touched)
        )
        made.append(ticket)
    return made


def _current(page):
    return page.locator("tr.is-current")


def _ready(page):
    """Wait until the page's shortcuts listen (the script is deferred): a key pressed sooner
    does nothing, and the test would race the page."""
    expect(page.locator("html")).to_have_attribute("data-shortcuts-ready", "1")


def test_j_and_k_walk_the_list_and_enter_opens_then_j_goes_on_from_ticket_to_ticket(
    page, live_server, login, alice, listed
):
    first, second, third = listed
    login(alice.user.email, PASSWORD)
    page.goto(live_server.url + "/t/acme/workspace/")
    _ready(page)
    page.keyboard.press("j")
    expect(_current(page)).to_have_attribute("data-ticket", str(third.number))
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")  # past the end: stays on the last row
    expect(_current(page)).to_have_attribute("data-ticket", str(first.number))
    page.keyboard.press("k")
    expect(_current(page)).to_have_attribute("data-ticket", str(second.number))
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + f"/t/acme/tickets/{second.number}/")
    _ready(page)

    page.keyboard.press("j")  # the next ticket of the list she came from
    expect(page).to_have_url(live_server.url + f"/t/acme/tickets/{first.number}/")
    _ready(page)
    page.keyboard.press("k")
    expect(page).to_have_url(live_server.url + f"/t/acme/tickets/{second.number}/")
    _ready(page)
    page.keyboard.press("k")
    expect(page).to_have_url(live_server.url + f"/t/acme/tickets/{third.number}/")
    _ready(page)
    page.keyboard.press("k")  # the first of the list: nothing before it
    expect(page.locator("h1")).to_contain_text(third.subject)
    page.goto(live_server.url + "/t/acme/workspace/")  # back: the row she left is current
    _ready(page)
    expect(_current(page)).to_have_attribute("data-ticket", str(third.number))
    page.keyboard.press("o")
    expect(page).to_have_url(live_server.url + f"/t/acme/tickets/{third.number}/")
    _ready(page)


def test_on_the_ticket_page_r_n_a_s_and_typing_stays_typing(
    page, live_server, login, alice, listed
):
    ticket = listed[0]
    login(alice.user.email, PASSWORD)
    page.goto(live_server.url + f"/t/acme/tickets/{ticket.number}/")
    _ready(page)
    body = page.locator("#id_body")

    page.keyboard.press("n")
    expect(body).to_be_focused()
    expect(page.get_by_label("Staff only (internal note)")).to_be_checked()
    page.keyboard.type("just a note: j k a s ?")  # shortcuts never fire in a field
    expect(body).to_have_value("just a note: j k a s ?")
    expect(page).to_have_url(live_server.url + f"/t/acme/tickets/{ticket.number}/")
    _ready(page)
    expect(page.locator("#shortcuts-help")).not_to_be_visible()
    body.blur()
    page.keyboard.press("r")
    expect(body).to_be_focused()
    expect(page.get_by_label("The requester (public reply)")).to_be_checked()
    body.blur()

    page.keyboard.press("Control+s")  # a modifier: the browser's, not ours
    expect(page.locator("#id_props_status")).not_to_be_focused()
    page.keyboard.press("s")
    expect(page.locator("#id_props_status")).to_be_focused()
    page.locator("#id_props_status").blur()

    page.keyboard.press("a")
    expect(page.get_by_text("You took this ticket.")).to_be_visible()
    ticket.refresh_from_db()
    assert ticket.assignee == alice.user
    assert not Ticket.objects.exclude(pk=ticket.pk).filter(assignee__isnull=False).exists()


def test_question_mark_lists_the_shortcuts_and_slash_goes_to_search(
    page, live_server, login, alice, listed
):
    login(alice.user.email, PASSWORD)
    page.goto(live_server.url + f"/t/acme/tickets/{listed[0].number}/")
    _ready(page)
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_text("Internal note")).to_be_visible()
    page.keyboard.press("j")  # the help is open: nothing moves
    expect(page).to_have_url(live_server.url + f"/t/acme/tickets/{listed[0].number}/")
    _ready(page)
    page.keyboard.press("Escape")
    expect(dialog).not_to_be_visible()

    page.keyboard.press("/")
    expect(page).to_have_url(live_server.url + "/t/acme/workspace/#search")
    _ready(page)
    search = page.locator("#id_q")
    expect(search).to_be_focused()
    came_from = str(listed[0].number)  # its row is the current one
    expect(_current(page)).to_have_attribute("data-ticket", came_from)
    page.keyboard.type("jk")
    expect(search).to_have_value("jk")
    expect(_current(page)).to_have_attribute("data-ticket", came_from)
    search.blur()
    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()


def test_in_the_workspace_a_assigns_the_current_row_to_me_and_s_sets_status(
    page, live_server, login, alice, listed
):
    first, second, third = listed
    login(alice.user.email, PASSWORD)
    page.goto(live_server.url + "/t/acme/workspace/")
    _ready(page)
    expect(page.locator("details.filters")).not_to_have_attribute("open", "")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("a")
    expect(page.get_by_text("1 ticket changed.")).to_be_visible()
    assert list(Ticket.objects.filter(assignee=alice.user)) == [second]

    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("s")
    expect(page.locator("#bulk_status")).to_be_focused()
    page.locator("#bulk_status").select_option("pending")
    page.get_by_role("button", name="Apply to selected").click()
    expect(page.get_by_text("1 ticket changed.")).to_be_visible()  # the ticked one only
    assert Ticket.objects.get(pk=third.pk).status == "pending"
    assert Ticket.objects.get(pk=second.pk).status == "new"


def test_headers_sort_and_say_how(page, live_server, login, alice, listed):
    first, second, third = listed
    login(alice.user.email, PASSWORD)
    page.goto(live_server.url + "/t/acme/workspace/")
    _ready(page)
    numbers = page.locator("table[data-ticket-list] tbody tr td:nth-child(2)")
    age = page.get_by_role("columnheader", name="Age")
    updated = page.get_by_role("columnheader", name="Updated")
    expect(age).to_have_attribute("aria-sort", "ascending")
    expect(numbers).to_have_text([str(t.number) for t in (third, second, first)])

    updated.get_by_role("link").click()
    expect(page.get_by_role("columnheader", name="Updated")).to_have_attribute(
        "aria-sort", "descending"
    )
    expect(page.get_by_role("columnheader", name="Age")).not_to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(numbers).to_have_text([str(t.number) for t in (first, second, third)])
    page.get_by_role("columnheader", name="Updated").get_by_role("link").click()
    expect(page.get_by_role("columnheader", name="Updated")).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(numbers).to_have_text([str(t.number) for t in (third, second, first)])
    page.get_by_role("columnheader", name="#").get_by_role("link").click()
    expect(numbers).to_have_text([str(t.number) for t in (third, second, first)])  # highest first
