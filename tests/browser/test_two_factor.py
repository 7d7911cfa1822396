"""An admin adds an authenticator app through the pages, with codes computed here from the
secret the page shows (as an app computes them), signs out, and signs in with the password
and a fresh code; a wrong code is refused on the way."""

import base64
import time

from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_member, make_tenant


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for this secret (RFC 6238: SHA-1, 30 s, 6 digits)."""
    totp = TOTP(base64.b32decode(secret.replace(" ", "")), step=30, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_admin_sets_up_an_authenticator_and_signs_in_with_it(page, live_server, login):
    acme = make_tenant("acme")
    make_member(acme, "ada@acme.test", "admin", name="Ada Admin")

    login("ada@acme.test", PASSWORD)
    page.get_by_role("link", name="Two-factor sign-in").click()
    page.get_by_role("button", name="Add an authenticator app").click()
    qr = page.get_by_role("img", name="QR code of your new two-factor secret")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0  # the SVG data: URI loads under the CSP
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code").fill(app_code(secret))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_text("Two-factor sign-in is on.")).to_be_visible()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert page.locator("#recovery-codes li").count() == 10

    page.get_by_role("button", name="Sign out").click()
    login("ada@acme.test", PASSWORD)
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    assert page.url.endswith("/accounts/login/code/")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    # The code used to confirm is spent: the app's next one is fresh (and within tolerance).
    page.get_by_label("Code").fill(app_code(secret, steps_ahead=1))
    with page.expect_navigation():
        page.get_by_role("button", name="Verify").click()

    assert page.url.endswith("/t/acme/workspace/")
    expect(page.locator(".topbar__name")).to_contain_text("Ada Admin")
