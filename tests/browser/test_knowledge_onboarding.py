"""A new agent opens the welcome page, reads the guides of the onboarding checklist, and the
admin sees the checklist completed."""

from playwright.sync_api import expect

from knowledge.services import save_article, set_onboarding_checklist
from tests.factories import PASSWORD, make_member, make_tenant


def test_new_agent_completes_the_onboarding_checklist(page, live_server, login):
    acme = make_tenant("acme")
    ada = make_member(acme, "ada@acme.test", "admin", name="Ada Admin")
    agnes = make_member(acme, "agnes@acme.test", "agent", name="Agnes Agent")
    guides = [
        save_article(tenant=acme, by=ada.user, title=title, body=body, audience="staff")
        for title, body in [
            ("Agent handbook", "Warm, short, specific."),
            ("Triage rules", "Urgent means money or an outage."),
        ]
    ]
    set_onboarding_checklist(
        tenant=acme, role=agnes.role, articles=guides, due_within_days=7, by=ada.user
    )

    login("agnes@acme.test", PASSWORD)
    page.goto(live_server.url + "/t/acme/welcome/")
    checklist = page.get_by_role("region", name="Your onboarding checklist")
    expect(checklist.get_by_text("0 of 2 guides read")).to_be_visible()

    # Read the first guide on its own page and acknowledge it there.
    checklist.get_by_role("link", name="Agent handbook").click()
    expect(page.get_by_text("Warm, short, specific.")).to_be_visible()
    page.get_by_role("button", name="I have read and understood this guide").click()
    expect(page.get_by_text("You acknowledged this guide")).to_be_visible()

    # The second one straight from the checklist.
    page.goto(live_server.url + "/t/acme/welcome/")
    checklist = page.get_by_role("region", name="Your onboarding checklist")
    expect(checklist.get_by_text("1 of 2 guides read")).to_be_visible()
    checklist.get_by_role("button", name="I have read it: Triage rules").click()

    checklist = page.get_by_role("region", name="Your onboarding checklist")
    expect(checklist.get_by_text("2 of 2 guides read")).to_be_visible()
    expect(checklist.get_by_text("Completed")).to_be_visible()
    assert page.url.endswith("/t/acme/welcome/")

    page.get_by_role("button", name="Sign out").click()
    login("ada@acme.test", PASSWORD)
    page.goto(live_server.url + "/t/acme/onboarding/")
    row = page.get_by_role("row", name="Agnes Agent")
    expect(row.get_by_text("Completed")).to_be_visible()
    expect(row.get_by_text("2 / 2")).to_be_visible()
