"""Tickets in a real browser: a customer asks, is answered and rates; an agent replies and notes."""

from playwright.sync_api import expect

from tests.factories import PASSWORD
from tickets.models import Attachment, Rating, Ticket
from tickets.services import change_status


def test_customer_submits_with_an_attachment_and_rates_once_solved(
    page, live_server, login, bob, alice, billing
):
    login(bob.user.email, PASSWORD)
    page.goto(live_server.url + "/t/acme/portal/new/")
    page.locator("#id_subject").fill("Invoice shows the wrong VAT number")
    page.locator("#id_description").fill("Our VAT number is **DE123**, not DE321.")
    page.get_by_label("Topic").select_option(label="Billing")
    page.get_by_label("Attachments").set_input_files(
        files=[{"name": "invoice.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n fake"}]
    )
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_text("Your request #1 is in.")).to_be_visible()
    expect(page.get_by_role("link", name="invoice.png")).to_be_visible()
    ticket = Ticket.objects.get()
    assert Attachment.objects.get().ticket == ticket

    change_status(ticket=ticket, to="solved", by=alice.user)  # the agent solves it

    page.goto(live_server.url + f"/t/acme/tickets/{ticket.number}/rate/?score=4")
    expect(page.get_by_role("heading", name="Rate your request")).to_be_visible()
    assert not Rating.objects.exists()  # following the link alone rates nothing
    expect(page.get_by_label("4", exact=True)).to_be_checked()
    page.get_by_label("Comment (optional)").fill("Quick and clear.")
    page.get_by_role("button", name="Confirm my rating").click()

    expect(page.get_by_text("Thank you for your rating.")).to_be_visible()
    rating = Rating.objects.get()
    assert (rating.score, rating.comment) == (4, "Quick and clear.")


def test_agent_replies_and_adds_an_internal_note(page, live_server, login, alice, acme_ticket):
    login(alice.user.email, PASSWORD)
    page.goto(live_server.url + f"/t/acme/tickets/{acme_ticket.number}/")

    page.locator("#id_body").fill("We refunded the second charge.")
    page.get_by_label("The requester (public reply)").check()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("Reply sent.")).to_be_visible()

    page.locator("#id_body").fill("Finance confirmed the refund.")
    page.get_by_label("Staff only (internal note)").check()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("Internal note added.")).to_be_visible()

    timeline = page.get_by_role("list", name="Timeline")
    expect(timeline.get_by_text("We refunded the second charge.")).to_be_visible()
    expect(timeline.locator(".note").get_by_text("Finance confirmed the refund.")).to_be_visible()
    reply, note = acme_ticket.comments.order_by("pk")
    assert reply.is_public and not note.is_public


def test_customer_answers_a_pending_request_and_it_is_open_again(
    page, live_server, login, bob, alice, acme_ticket
):
    change_status(ticket=acme_ticket, to="pending", by=alice.user)  # waiting on Bob
    login(bob.user.email, PASSWORD)
    page.goto(live_server.url + f"/t/acme/tickets/{acme_ticket.number}/")
    expect(page.locator("h1 + p .badge")).to_have_text("Pending")

    page.get_by_label("Add to the conversation").fill("The invoice number is 4711.")
    page.get_by_role("button", name="Send", exact=True).click()

    expect(page.get_by_text("Your reply was added.")).to_be_visible()
    expect(page.locator("h1 + p .badge")).to_have_text("Open")
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "open"


def test_a_closed_request_says_so_and_offers_a_new_one(
    page, live_server, login, bob, alice, acme_ticket
):
    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    change_status(ticket=acme_ticket, to="closed", by=None)
    login(bob.user.email, PASSWORD)
    page.goto(live_server.url + f"/t/acme/tickets/{acme_ticket.number}/")

    expect(page.get_by_role("heading", name="This request is closed")).to_be_visible()
    expect(page.get_by_label("Add to the conversation")).to_have_count(0)
    page.get_by_role("link", name="Open a new request").click()
    expect(page).to_have_url(live_server.url + "/t/acme/portal/new/")
