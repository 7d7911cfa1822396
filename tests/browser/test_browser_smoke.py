"""Self-check of the browser fixtures: Chromium starts and renders the login page."""

from playwright.sync_api import expect


def test_login_page_renders_in_chromium(page, live_server):
    response = page.goto(live_server.url + "/accounts/login/")

    assert response is not None and response.ok
    heading_or_email = page.get_by_role("heading").or_(page.get_by_label("Email", exact=True))
    expect(heading_or_email.first).to_be_visible()
