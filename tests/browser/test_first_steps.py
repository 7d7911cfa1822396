"""The demo agent signs in, sees the workspace, and switches to Hebrew."""

from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD


def test_demo_agent_signs_in_sees_workspace_and_reads_it_right_to_left(page, live_server, login):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    login("agent@demo.example", DEMO_PASSWORD)

    assert page.url.endswith("/t/demo/workspace/")
    assert page.get_by_role("heading", name="Workspace").is_visible()
    assert page.locator("html").get_attribute("dir") == "ltr"

    with page.expect_navigation():  # choosing a language submits the switcher at once
        page.get_by_label("Language").select_option("he")

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "he"
