"""A stranger signs up on the join page, is asked to check their inbox, opens the e-mailed
link, confirms, and lands in the helpdesk signed in; the link then works no more."""

import re

from django.core import mail
from playwright.sync_api import expect

from accounts.models import JoiningRule, User
from accounts.services import add_joining_rule
from tests.factories import make_member, make_tenant, role

NEW_PASSWORD = "a-long-new-passphrase"


def test_a_sign_up_proves_its_address_then_lands_in_the_helpdesk(page, live_server):
    acme = make_tenant("acme")
    ada = make_member(acme, "ada@acme.test", "admin", name="Ada Admin")
    add_joining_rule(
        tenant=acme,
        by=ada.user,
        kind=JoiningRule.Kind.DOMAIN,
        pattern="acme.test",
        role=role(acme, "customer"),
        organization=None,
        requires_approval=False,
        position=None,
    )

    page.goto(live_server.url + "/t/acme/join/")
    page.get_by_label("E-mail").fill("dora@acme.test")
    page.get_by_label("Your name").fill("Dora")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    assert not User.objects.filter(email="dora@acme.test").exists()
    assert [m.to for m in mail.outbox] == [["dora@acme.test"]]
    link = re.search(r"https?://[^/\s]+(/t/acme/verify/\S+/)", mail.outbox[0].body).group(1)

    page.goto(live_server.url + link)
    page.get_by_role("button", name="Confirm and join").click()
    expect(page.get_by_role("heading", name="Welcome to Acme")).to_be_visible()
    assert page.url.endswith("/t/acme/welcome/")

    page.goto(live_server.url + link)
    expect(page.get_by_text("already been used")).to_be_visible()
