"""Single sign-on against a real OpenID provider (tests/oidc_provider: django-oauth-toolkit
in its own process): the code flow, the ID token's checks, who is matched and what the joining
rules make of them, at the first sign-in and at the next."""

from __future__ import annotations

import pytest

from accounts.models import AuditEntry, JoiningRule, Membership, SsoIdentity, User
from accounts.services import add_identity_provider, add_joining_rule
from tests.factories import role
from tests.oidc_provider.people import CLIENT_ID, CLIENT_SECRET, profiles, sign_in_through
from tests.oidc_provider.server import Provider

from .conftest import api_url, page_url
from .test_joining import domain_rule

CALLBACK = "http://testserver/accounts/sso/callback/"


@pytest.fixture(scope="module")
def acme_id_server(tmp_path_factory):
    server = Provider(tmp_path_factory.mktemp("acme-id"), profiles(CALLBACK)).start()
    yield server
    server.stop()


@pytest.fixture
def acme_id(acme_id_server, acme, ada, settings):
    """The provider connected to Acme, and its people as the provider first knows them."""
    settings.SSO_ALLOW_HTTP_ISSUERS = True  # plain http on loopback, for tests only
    acme_id_server.profiles = profiles(CALLBACK)
    acme_id_server.save()
    provider = add_identity_provider(
        tenant=acme,
        by=ada.user,
        name="Acme ID",
        issuer=acme_id_server.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        domains=["acme.test"],
    )
    provider.server = acme_id_server
    return provider


def start(provider) -> str:
    return page_url(f"sso/{provider.pk}/start/")


def signed_in_as(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.filter(pk=user_id).first() if user_id else None


@pytest.fixture
def lead_rules(acme, ada):
    """Group support-leads at acme.test: supervisor; anyone else at acme.test: customer."""
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
    domain_rule(acme, "acme.test", by=ada.user)


def test_first_sign_in_matches_the_account_of_the_verified_address(client, acme_id, bob):
    answer = sign_in_through(client, start(acme_id), "bob")

    assert answer.status_code == 302
    assert answer["Location"] == page_url("")
    assert signed_in_as(client) == bob.user
    identity = SsoIdentity.objects.get(provider=acme_id)
    assert identity.user == bob.user
    assert not identity.manages_membership  # Bob's membership stays as his admin set it
    assert User.objects.filter(email="bob@acme.test").count() == 1


def test_an_address_the_provider_did_not_verify_matches_nobody(client, acme_id, alice):
    answer = sign_in_through(client, start(acme_id), "eve")  # says she is alice@acme.test

    assert answer.status_code == 403
    assert "has not verified the address" in answer.content.decode()
    assert signed_in_as(client) is None
    assert not SsoIdentity.objects.exists()


def test_an_unverified_address_makes_no_account_either(client, acme_id, lead_rules):
    answer = sign_in_through(client, start(acme_id), "newt")

    assert answer.status_code == 403
    assert signed_in_as(client) is None
    assert not User.objects.filter(email="newt@acme.test").exists()


def test_a_newcomer_joins_by_the_joining_rules_with_the_providers_groups(
    client, api, acme_id, ada, lead_rules
):
    answer = sign_in_through(client, start(acme_id), "dana")

    assert answer.status_code == 302
    dana = signed_in_as(client)
    assert dana.email == "dana@acme.test" and dana.email_verified
    assert not dana.has_usable_password()
    membership = Membership.objects.get(tenant=acme_id.tenant, user=dana)
    assert membership.role.key == "supervisor"
    assert client.get(page_url("")).status_code in (200, 302)
    # The dry run says the same, given the same groups.
    api.force_authenticate(ada.user)
    dry = api.get(
        api_url("joining-rules/test/"), {"email": "dana@acme.test", "groups": "support-leads"}
    )
    assert dry.json()["role"] == "supervisor"
    without = api.get(api_url("joining-rules/test/"), {"email": "dana@acme.test"})
    assert without.json()["role"] == "customer"


def test_removed_from_the_group_she_loses_the_role_at_the_next_sign_in(client, acme_id, lead_rules):
    sign_in_through(client, start(acme_id), "dana")
    dana = signed_in_as(client)
    client.logout()
    acme_id.server.profiles["users"]["dana"]["groups"] = []
    acme_id.server.save()

    answer = sign_in_through(client, start(acme_id), "dana")

    assert answer.status_code == 302
    membership = Membership.objects.get(tenant=acme_id.tenant, user=dana)
    assert membership.role.key == "customer"
    entry = AuditEntry.objects.get(action="membership.role_changed", target_id=str(membership.pk))
    assert entry.before == {"role": "supervisor"} and entry.after == {"role": "customer"}
    assert entry.actor is None  # the rules did it, at her sign-in
    assert SsoIdentity.objects.get(user=dana).groups == []


@pytest.mark.parametrize("who", ["forged", "expired", "wrongaud"])
def test_an_id_token_that_cannot_be_trusted_signs_nobody_in(client, acme_id, lead_rules, who):
    answer = sign_in_through(client, start(acme_id), who)

    assert answer.status_code == 400
    assert "could not be trusted" in answer.content.decode()
    assert signed_in_as(client) is None
    assert not User.objects.filter(email=f"{who}@acme.test").exists()


def test_an_answer_used_twice_signs_in_once(client, acme_id, bob):
    sign_in_through(client, start(acme_id), "bob")
    client.logout()
    # The provider's answer replayed: its state was spent.
    answer = client.get("/accounts/sso/callback/?state=spent&code=x")
    assert answer.status_code == 400
    assert signed_in_as(client) is None


def test_staff_must_use_the_provider_where_it_is_required(client, acme_id, ada, alice, bob):
    client.force_login(ada.user)
    client.patch(
        api_url(f"identity-providers/{acme_id.pk}/"),
        {"required_for_staff": True},
        content_type="application/json",
    )
    # Alice signed in with her password: refused on Acme's pages, shown the way.
    client.force_login(alice.user)
    refused = client.get(page_url("workspace/"))
    assert refused.status_code == 403
    body = refused.content.decode()
    assert "Sign in with Acme ID" in body and start(acme_id) in body
    api_refused = client.get(api_url("me/"))  # her browser session in the API: the same
    assert api_refused.status_code == 403
    assert "identity provider" in api_refused.json()["detail"]
    # A customer is not staff: his password is enough.
    client.force_login(bob.user)
    assert client.get(page_url("portal/")).status_code == 200
    # Through the provider, Alice is in.
    client.logout()
    assert sign_in_through(client, start(acme_id), "alice").status_code == 302
    assert signed_in_as(client) == alice.user
    assert client.get(page_url("workspace/")).status_code == 200
    assert client.get(api_url("me/")).status_code == 200
