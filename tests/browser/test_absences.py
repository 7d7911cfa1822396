"""An agent says they are away, covered by a colleague; the directory shows it, and the
supervisor sees the cover on the person's page."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_member, make_tenant


def test_an_agent_sets_an_absence_and_the_directory_shows_the_cover(page, live_server, login):
    acme = make_tenant("acme")
    alice = make_member(acme, "alice@acme.test", "agent", name="Alice Agent")
    make_member(acme, "olga@acme.test", "agent", name="Olga Other")
    make_member(acme, "sam@acme.test", "supervisor", name="Sam Supervisor")
    today = timezone.localdate()
    until = today + timedelta(days=3)

    login("alice@acme.test", PASSWORD)
    page.goto(live_server.url + "/t/acme/people/")
    page.get_by_role("link", name="I'm away").click()
    expect(page.get_by_role("heading", name="I'm away", level=1)).to_be_visible()
    page.get_by_label("First day away").fill(today.isoformat())
    page.get_by_label("Last day away").fill(until.isoformat())
    page.get_by_label("Covered by").select_option(label="Olga Other")
    page.get_by_label("Reason (optional)").fill("Conference")
    page.get_by_role("button", name="Save the absence").click()
    expect(page.get_by_text("The absence is saved.")).to_be_visible()
    expect(page.locator("#absences")).to_contain_text("covered by Olga Other")
    page.get_by_role("button", name="Sign out").click()

    login("sam@acme.test", PASSWORD)
    page.goto(live_server.url + "/t/acme/people/")
    row = page.get_by_role("row").filter(has_text="Alice Agent")
    expect(row).to_contain_text("away until")
    expect(row).to_contain_text("covered by Olga Other")
    row.get_by_role("link", name="Alice Agent").click()
    expect(page.locator("#person-absences")).to_contain_text("covered by Olga Other")
    assert alice.absences.get().substitute.user.email == "olga@acme.test"
