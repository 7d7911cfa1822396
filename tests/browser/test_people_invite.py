"""An admin invites an agent through the pages; the agent opens the e-mailed link, sets a
password, lands on the welcome page, signs out and signs in again."""

import re

from django.core import mail
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_member, make_tenant

AGENT_PASSWORD = "a-fresh-agent-passphrase"


def test_admin_invites_an_agent_who_accepts_and_signs_in(page, live_server, login):
    acme = make_tenant("acme")
    make_member(acme, "ada@acme.test", "admin", name="Ada Admin")

    login("ada@acme.test", PASSWORD)
    page.goto(live_server.url + "/t/acme/people/invitations/")
    page.get_by_label("E-mail").fill("agnes@acme.test")
    page.get_by_label("Role").select_option(label="Agent")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to agnes@acme.test")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["agnes@acme.test"]
    link = re.search(r"https?://[^/\s]+(/t/acme/invitations/\S+/)", mail.outbox[0].body).group(1)
    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", name="Join Acme")).to_be_visible()
    page.get_by_label("Your name").fill("Agnes Agent")
    page.get_by_label("Choose a password").fill(AGENT_PASSWORD)
    page.get_by_role("button", name="Accept and join").click()

    expect(page.get_by_role("heading", name="Welcome to Acme")).to_be_visible()
    assert page.url.endswith("/t/acme/welcome/")
    expect(page.get_by_text("Your role here: Agent.")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    login("agnes@acme.test", AGENT_PASSWORD)
    assert page.url.endswith("/t/acme/workspace/")
    # The link worked once: opening it again is refused in words.
    page.goto(live_server.url + link)
    expect(page.get_by_text("already been used")).to_be_visible()
