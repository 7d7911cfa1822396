"""Single sign-on in a real browser: "Sign in with Acme ID" on the sign-in page, the real
provider's own form (tests/oidc_provider), and back in the helpdesk as the role the joining
rules give the provider's group."""

import pytest
from playwright.sync_api import expect

from accounts.models import JoiningRule, Membership
from accounts.services import add_identity_provider, add_joining_rule
from tests.factories import make_member, make_tenant, role
from tests.oidc_provider.people import CLIENT_ID, CLIENT_SECRET, PROVIDER_PASSWORD, profiles
from tests.oidc_provider.server import Provider


@pytest.fixture
def acme_id_server(live_server, tmp_path):
    server = Provider(tmp_path, profiles(live_server.url + "/accounts/sso/callback/")).start()
    yield server
    server.stop()


def test_a_lead_signs_in_with_acme_id_and_lands_as_supervisor(
    page, live_server, acme_id_server, settings
):
    settings.SSO_ALLOW_HTTP_ISSUERS = True  # the provider is plain http on loopback
    acme = make_tenant("acme")
    ada = make_member(acme, "ada@acme.test", "admin", name="Ada Admin")
    add_joining_rule(
        tenant=acme,
        by=ada.user,
        kind=JoiningRule.Kind.DOMAIN,
        pattern="acme.test",
        group="support-leads",
        role=role(acme, "supervisor"),
        requires_approval=False,
        position=1,
    )
    add_identity_provider(
        tenant=acme,
        by=ada.user,
        name="Acme ID",
        issuer=acme_id_server.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        domains=["acme.test"],
    )

    page.goto(live_server.url + "/t/acme/")  # sent to sign in, on the way to Acme
    page.get_by_role("link", name="Sign in with Acme ID").click()
    expect(page.get_by_role("heading", name="Acme ID")).to_be_visible()  # the provider's page
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/t/acme/workspace/")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    dana = Membership.objects.get(tenant=acme, user__email="dana@acme.test")
    assert dana.role.key == "supervisor"
