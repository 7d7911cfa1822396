"""The dry run says what sign-up does: the joining-rules tester (API and page) and a real
sign-up, once its link is followed, give the same outcome for every kind of address."""

import pytest

from accounts.models import JoiningRule, Membership, normal_address
from accounts.services import invite
from tests.factories import role

from .conftest import api_url, page_url
from .test_joining import domain_rule, follow_link, sign_up

# address -> the outcome both must give, with the rules of ``rules`` below.
ADDRESSES = {
    "dora@acme.test": "active",  # allowed by a domain rule
    "Dora.Two@ACME.Test": "active",  # mixed case
    "x@eu.acme.test": "active",  # shadowed: eu.acme.test's own rule never decides
    "pat@partner.test": "pending",  # a rule that waits for an admin
    "kim@bücher.example": "pending",  # unicode domain
    "zoë@acme.test": "refused",  # unicode local part: not an address we can take
    "x@mailinator.com": "refused",  # disposable, though the open-ish rules would match
    "y@eu.yopmail.com": "refused",  # disposable subdomain
    "nina@acme.test": "refused",  # invited: her invitation is the way in
    "x@nowhere.test": "refused",  # no rule matches
    "x@rival.acme.test": "refused",  # a deny rule, asked before the acme.test rule
    # Look-alike (full-width) letters: mail goes to the plain address, so rules see that one.
    "x@\uff4dailinator.com": "refused",
    "dora.three@\uff41cme.test": "active",
}


@pytest.fixture
def rules(acme, ada):
    domain_rule(acme, "acme.test", by=ada.user)
    domain_rule(acme, "eu.acme.test", "agent", by=ada.user)  # shadowed by the first
    domain_rule(acme, "partner.test", approval=True, by=ada.user)
    domain_rule(acme, "bücher.example", approval=True, by=ada.user)
    domain_rule(acme, "mailinator.com", by=ada.user)  # a rule cannot let a throw-away in
    domain_rule(acme, "yopmail.com", by=ada.user)
    deny = domain_rule(acme, "rival.acme.test", by=ada.user)
    JoiningRule.objects.filter(pk=deny.pk).update(effect=JoiningRule.Effect.DENY)
    invite(tenant=acme, email="nina@acme.test", role=role(acme, "agent"), by=ada.user)


def _signed_up(api, email) -> str:
    """What a real sign-up of ``email`` ends in: the API, then the link in the mail."""
    response = sign_up(api, email)
    if response.status_code == 400:  # refused at the door, for the same reason
        assert "email" in response.json(), response.json()
        return "refused"
    assert response.status_code == 202, response.json()
    return follow_link(api, email).json()["status"]


@pytest.mark.parametrize("email", list(ADDRESSES))
def test_dry_run_and_sign_up_agree(api, client, ada, rules, email):
    client.force_login(ada.user)
    api.force_authenticate(ada.user)
    in_api = api.get(api_url("joining-rules/test/"), {"email": email}).json()["outcome"]
    on_page = client.get(page_url("joining-rules/"), {"email": email}).context["outcome"].outcome
    api.force_authenticate(None)

    signed_up = _signed_up(api, email)

    assert in_api == on_page == signed_up == ADDRESSES[email]
    members = Membership.objects.filter(user__email=normal_address(email))
    assert members.exists() == (ADDRESSES[email] != "refused")


def test_the_shadowed_rule_never_gives_its_role(api, ada, rules):
    api.force_authenticate(ada.user)
    assert api.get(api_url("joining-rules/test/"), {"email": "x@eu.acme.test"}).json()["role"] == (
        "customer"
    )
    api.force_authenticate(None)
    _signed_up(api, "x@eu.acme.test")
    assert Membership.objects.get(user__email="x@eu.acme.test").role.key == "customer"
