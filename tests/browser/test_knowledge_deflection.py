"""A customer starts a request, sees a matching article while typing, says it solved the
problem, and no ticket is opened. A second customer finds the answer through KB search."""

from playwright.sync_api import expect

from knowledge.models import Deflection
from knowledge.services import save_article
from tests.factories import PASSWORD, make_member, make_tenant
from tickets.models import Ticket


def _library(acme, writer):
    for title, audience, body in [
        (
            "Why was I charged twice?",
            "customers",
            "A second charge is a pending authorization; the bank releases it in 5 days.",
        ),
        (
            "Refund limits for agents",
            "staff",
            "Agents may refund up to 200 euros when charged twice.",
        ),
    ]:
        save_article(
            tenant=acme, by=writer, owner=writer, title=title, body=body, audience=audience
        )


def test_customer_finds_an_article_instead_of_opening_a_ticket(page, live_server, login):
    acme = make_tenant("acme")
    sam = make_member(acme, "sam@acme.test", "supervisor", name="Sam Supervisor")
    make_member(acme, "bob@acme.test", "customer", name="Bob Buyer")
    _library(acme, sam.user)

    login("bob@acme.test", PASSWORD)
    page.goto(live_server.url + "/t/acme/portal/new/")
    page.get_by_label("Subject").fill("I was charged twice this month")

    suggestions = page.locator("[data-kb-suggest]")
    expect(suggestions.get_by_role("link", name="Why was I charged twice?")).to_be_visible()
    expect(suggestions.get_by_text("Refund limits for agents")).to_have_count(0)  # staff only
    suggestions.get_by_role(
        "button", name="This solved my problem: Why was I charged twice?"
    ).click()

    expect(page.get_by_text("Glad it helped! No request was opened.")).to_be_visible()
    assert page.url.endswith("/t/acme/portal/new/")
    assert Ticket.objects.count() == 0
    deflection = Deflection.objects.get()
    assert deflection.article.title == "Why was I charged twice?"
    assert "charged twice" in deflection.query


def test_customer_searches_the_knowledge_base_and_marks_the_answer(page, live_server, login):
    acme = make_tenant("acme")
    sam = make_member(acme, "sam@acme.test", "supervisor", name="Sam Supervisor")
    make_member(acme, "carol@acme.test", "customer", name="Carol Chen")
    _library(acme, sam.user)

    login("carol@acme.test", PASSWORD)
    page.get_by_role("link", name="Knowledge base").click()
    page.get_by_label("Search articles").fill("charged twice")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Refund limits for agents")).to_have_count(0)
    page.get_by_role("link", name="Why was I charged twice?").click()
    expect(page.get_by_role("heading", name="Why was I charged twice?")).to_be_visible()
    page.get_by_role("button", name="This solved my problem").click()

    expect(page.get_by_text("Glad it helped! No request was opened.")).to_be_visible()
    assert Deflection.objects.get().query == "charged twice"
    assert Ticket.objects.count() == 0
