"""A supervisor switches to Hebrew: the pages read right to left, in the catalogue's words."""

from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from accounts.demo import DEMO_PASSWORD

NAV_LABELS = ["Workspace", "Queues", "Knowledge base", "News", "Ideas", "Metrics", "People"]


def hebrew(msgid):
    with translation.override("he"):
        text = gettext(msgid)
    # An untranslated label or an uncompiled catalogue would show the English.
    assert text != msgid, f"“{msgid}” has no Hebrew translation"
    return text


def test_supervisor_reads_the_helpdesk_in_hebrew(page, live_server, login):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    login("supervisor@demo.example", DEMO_PASSWORD)
    page.goto(live_server.url + "/t/demo/workspace/")
    assert page.locator("html").get_attribute("dir") == "ltr"

    with page.expect_navigation():  # choosing a language submits the switcher at once
        page.get_by_label("Language").select_option("he")

    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert html.get_attribute("lang") == "he"
    nav = page.get_by_role("navigation", name=hebrew("Main"))
    for label in NAV_LABELS:
        assert nav.get_by_role("link", name=hebrew(label), exact=True).is_visible(), label
    assert page.get_by_role("heading", name=hebrew("Workspace"), exact=True).is_visible()
    assert page.get_by_role("button", name=hebrew("Sign out"), exact=True).is_visible()

    # The choice is remembered: the next page is Hebrew too.
    with page.expect_navigation():
        nav.get_by_role("link", name=hebrew("Metrics"), exact=True).click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", name=hebrew("Metrics"), exact=True).is_visible()
    assert page.get_by_role("heading", name=hebrew("Headline figures")).is_visible()
