"""Joining rules, extended: deny rules come before the allow rules, a rule may give its
memberships an end date (temporary contractors), and the end comes on time, audited."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import AuditEntry, JoiningRule, Membership, User
from accounts.services import expire_memberships, unreachable_rules
from tests.factories import role

from .conftest import api_url, page_url
from .test_joining import domain_rule, open_rule, sign_up_and_verify


def test_a_deny_rule_turns_an_address_away_whatever_its_position(api, acme, ada):
    open_rule(acme, approval=False, by=ada.user)
    api.force_authenticate(ada.user)
    response = api.post(
        api_url("joining-rules/"),
        {"kind": "domain", "pattern": "rival.test", "role": "customer", "effect": "deny"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["effect"] == "deny" and response.json()["position"] == 2

    verdict = api.get(api_url("joining-rules/test/"), {"email": "spy@rival.test"}).json()
    assert verdict["outcome"] == "refused" and verdict["rule"] == response.json()["id"]
    assert (
        api.get(api_url("joining-rules/test/"), {"email": "x@friend.test"}).json()["outcome"]
        == "active"
    )
    api.force_authenticate(None)
    assert sign_up_and_verify(api, "spy@rival.test").json()["status"] == "refused"
    assert not Membership.objects.for_tenant(acme).filter(user__email="spy@rival.test").exists()


def test_an_allow_rule_a_deny_rule_covers_never_decides(acme, ada):
    deny = domain_rule(acme, "rival.test", by=ada.user)
    JoiningRule.objects.filter(pk=deny.pk).update(effect="deny")
    later = domain_rule(acme, "eu.rival.test", by=ada.user)
    rules = JoiningRule.objects.for_tenant(acme).in_order()
    assert unreachable_rules(rules)[later.pk].pk == deny.pk


def test_contractors_membership_ends_after_the_rules_days(api, acme, ada):
    api.force_authenticate(ada.user)
    created = api.post(
        api_url("joining-rules/"),
        {
            "kind": "domain",
            "pattern": "contractor.test",
            "role": "agent",
            "requires_approval": False,
            "expires_after_days": 30,
        },
    )
    assert created.status_code == 201, created.json()
    assert created.json()["expires_after_days"] == 30
    api.force_authenticate(None)

    assert sign_up_and_verify(api, "cleo@contractor.test").json()["status"] == "active"
    cleo = Membership.objects.for_tenant(acme).get(user__email="cleo@contractor.test")
    assert timedelta(days=29) < cleo.expires_at - timezone.now() <= timedelta(days=30)

    assert expire_memberships(now=timezone.now() + timedelta(days=29)) == 0
    assert expire_memberships(now=timezone.now() + timedelta(days=31)) == 1
    assert expire_memberships(now=timezone.now() + timedelta(days=31)) == 0  # once
    cleo.refresh_from_db()
    assert cleo.status == Membership.Status.DEACTIVATED
    entry = AuditEntry.objects.for_tenant(acme).get(action="membership.expired")
    assert entry.target_id == str(cleo.pk) and entry.actor is None


def test_a_bad_expiry_is_a_400(api, acme, ada):
    api.force_authenticate(ada.user)
    for bad in (0, -3, "soon"):
        response = api.post(
            api_url("joining-rules/"),
            {"kind": "open", "role": "customer", "expires_after_days": bad},
        )
        assert response.status_code == 400 and "expires_after_days" in response.json()
    assert not JoiningRule.objects.exists()
    assert User.objects.filter(email="x").count() == 0
    assert role(acme, "customer")


def test_the_page_adds_a_deny_rule_and_the_person_page_shows_the_end(client, acme, ada, bob):
    client.force_login(ada.user)
    response = client.post(
        page_url("joining-rules/"),
        {
            "kind": "domain",
            "pattern": "rival.test",
            "role": role(acme, "customer").pk,
            "effect": "deny",
            "expires_after_days": "",
            "position": 1,
        },
    )
    assert response.status_code == 302
    assert JoiningRule.objects.for_tenant(acme).get().denies
    assert (
        "Turned away (asked before every other rule)"
        in client.get(page_url("joining-rules/")).content.decode()
    )

    Membership.objects.filter(pk=bob.pk).update(expires_at=timezone.now() + timedelta(days=3))
    person = client.get(page_url(f"people/{bob.user_id}/")).content.decode()
    assert 'id="membership-ends"' in person
