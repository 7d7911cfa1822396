"""An admin makes a "light agent" role through the page: the reach first, then the save."""

from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import PASSWORD, make_member, make_tenant


def test_admin_creates_a_light_agent_role_after_seeing_its_reach(page, live_server, login):
    acme = make_tenant("acme")
    make_member(acme, "ada@acme.test", "admin", name="Ada Admin")

    login("ada@acme.test", PASSWORD)
    page.goto(live_server.url + "/t/acme/roles/new/")
    page.get_by_label("Name").fill("Light agent")
    page.get_by_label("Plain description").fill("Reads tickets and writes internal notes.")
    # The new-role form starts from "sees tickets, writes notes"; keep that, no public replies.
    expect(page.get_by_role("checkbox", name="reply publicly", exact=False)).not_to_be_checked()
    page.get_by_role("button", name="Review the change").click()

    expect(
        page.get_by_role("heading", name="Before you save: the reach of this change")
    ).to_be_visible()
    assert not Role.objects.filter(tenant=acme, name="Light agent").exists()
    page.get_by_role("button", name="Save this change").click()

    expect(page.get_by_text("Role Light agent saved.")).to_be_visible()
    light = Role.objects.get(tenant=acme, name="Light agent")
    assert sorted(light.permissions) == ["add_internal_note", "view_ticket"]
    assert light.scope == "queues"
