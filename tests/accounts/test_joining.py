"""Joining rules decide who may sign up: each policy end to end, in the API and the pages."""

import re

import pytest
from django.core import mail
from django.test import override_settings

from accounts.models import AuditEntry, JoiningRule, Membership, SignUp, User, normal_address
from accounts.services import add_joining_rule, invite, unreachable_rules
from accounts.verification import make_token
from tests.factories import PASSWORD, make_member, make_tenant, role

from .conftest import api_url, page_url

NEW_PASSWORD = "a-long-new-passphrase"


def domain_rule(tenant, pattern, role_key="customer", *, approval=False, organization=None, by):
    return add_joining_rule(
        tenant=tenant,
        by=by,
        kind=JoiningRule.Kind.DOMAIN,
        pattern=pattern,
        role=role(tenant, role_key),
        organization=organization,
        requires_approval=approval,
        position=None,
    )


def open_rule(tenant, role_key="customer", *, approval=True, by):
    return add_joining_rule(
        tenant=tenant,
        by=by,
        kind=JoiningRule.Kind.OPEN,
        pattern="",
        role=role(tenant, role_key),
        organization=None,
        requires_approval=approval,
        position=None,
    )


def sign_up(api, email, name="New Person", password=NEW_PASSWORD, slug="acme", **extra):
    return api.post(
        api_url("register/", slug), {"email": email, "name": name, "password": password, **extra}
    )


def link_token(email):
    """The token of the link the last sign-up of ``email`` was sent (tests read it from the
    row; tests/accounts/test_verification.py reads it from the mail)."""
    return make_token(SignUp.objects.filter(email=normal_address(email)).latest("pk"))


def follow_link(api, email, slug="acme"):
    return api.post(api_url("verify/", slug), {"token": link_token(email)})


def sign_up_and_verify(api, email, **kwargs):
    response = sign_up(api, email, **kwargs)
    assert response.status_code == 202, response.json()
    assert response.json() == {"status": "unverified"}
    return follow_link(api, email, slug=kwargs.get("slug", "acme"))


# --- A new tenant is invitation-only --------------------------------------------------------


def test_new_tenant_is_invitation_only_and_answers_as_an_unknown_slug(api, ada):
    response = sign_up(api, "someone@example.com")
    unknown = sign_up(api, "someone@example.com", slug="no-such-helpdesk")
    assert response.status_code == unknown.status_code == 404
    assert response.json() == unknown.json()
    assert "Acme" not in response.content.decode()
    assert not User.objects.filter(email="someone@example.com").exists()


# --- Domain rule: straight in, with role and organization -----------------------------------


def test_domain_policy_end_to_end_in_the_api(api, client, acme, ada, acme_co):
    domain_rule(acme, "acme.test", organization=acme_co, by=ada.user)

    response = sign_up_and_verify(api, "Dora@ACME.test", name="Dora")

    assert response.status_code == 200
    assert response.json()["status"] == "active"
    member = Membership.objects.get(user__email="dora@acme.test")
    assert (member.role.key, member.organization, member.status) == (
        "customer",
        acme_co,
        Membership.Status.ACTIVE,
    )
    # First login: the token works and me/ answers with the customer's permissions.
    token = api.post("/api/v1/auth/token/", {"email": "dora@acme.test", "password": NEW_PASSWORD})
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    me = api.get(api_url("me/")).json()
    assert me["role"] == "customer" and "submit_ticket" in me["permissions"]


def test_an_address_no_rule_matches_is_refused_with_the_reason(api, acme, ada):
    domain_rule(acme, "acme.test", by=ada.user)
    response = sign_up_and_verify(api, "eve@elsewhere.test")
    assert response.status_code == 200
    assert response.json()["status"] == "refused"
    assert "No joining rule" in response.json()["detail"]
    assert not User.objects.filter(email="eve@elsewhere.test").exists()


def test_subdomain_matches_a_domain_rule(acme, ada):
    rule = domain_rule(acme, "acme.test", by=ada.user)
    assert rule.matches("x@eu.acme.test")
    assert not rule.matches("x@notacme.test")


# --- Open rule with approval: pending, approved, first login --------------------------------


def test_open_policy_with_approval_end_to_end_in_the_api(
    api, acme, ada, mailoutbox, django_capture_on_commit_callbacks
):
    open_rule(acme, approval=True, by=ada.user)

    response = sign_up_and_verify(api, "paula@example.net", name="Paula")
    assert response.status_code == 200
    assert response.json()["status"] == "pending"

    # Before approval: Paula can get a token, but the helpdesk says she waits.
    token = api.post(
        "/api/v1/auth/token/", {"email": "paula@example.net", "password": NEW_PASSWORD}
    ).json()["token"]
    paula_api = type(api)()
    paula_api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    refused = paula_api.get(api_url("roles/"))
    assert refused.status_code == 403
    assert "waiting for approval" in refused.json()["detail"]

    # The admin sees her in the approvals and approves.
    api.force_authenticate(ada.user)
    pending = api.get(api_url("approvals/")).json()["results"]
    assert [p["email"] for p in pending] == ["paula@example.net"]
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(api_url(f"approvals/{pending[0]['id']}/approve/"))
    assert response.status_code == 200
    assert response.json()["status"] == "active"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["paula@example.net"]
    assert "approved" in mailoutbox[0].body

    # First use after approval: she may now do what her role allows.
    me = paula_api.get(api_url("me/")).json()
    assert me["status"] == "active" and "submit_ticket" in me["permissions"]
    assert AuditEntry.objects.for_tenant(acme).filter(action="registration.approved").count() == 1


def test_rejected_sign_up_loses_the_membership_and_is_told(
    api, acme, ada, mailoutbox, django_capture_on_commit_callbacks
):
    open_rule(acme, by=ada.user)
    sign_up_and_verify(api, "rick@example.net")
    member = Membership.objects.get(user__email="rick@example.net")
    api.force_authenticate(ada.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(api_url(f"approvals/{member.pk}/reject/"))

    assert response.status_code == 204
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert "did not approve" in mailoutbox[0].body
    assert AuditEntry.objects.for_tenant(acme).filter(action="registration.rejected").count() == 1


def test_first_matching_rule_decides(api, acme, ada):
    domain_rule(acme, "vip.test", "agent", approval=False, by=ada.user)
    open_rule(acme, approval=True, by=ada.user)
    api.force_authenticate(ada.user)

    vip = api.get(api_url("joining-rules/test/"), {"email": "v@vip.test"}).json()
    other = api.get(api_url("joining-rules/test/"), {"email": "o@other.test"}).json()

    assert (vip["outcome"], vip["role"]) == ("active", "agent")
    assert (other["outcome"], other["role"]) == ("pending", "customer")
    assert vip["rule"] != other["rule"]


# --- Joining rules API ----------------------------------------------------------------------


def test_admin_manages_rules_through_the_api_and_each_change_is_audited(api, acme, ada, acme_co):
    api.force_authenticate(ada.user)
    created = api.post(
        api_url("joining-rules/"),
        {
            "kind": "domain",
            "pattern": "@Acme.COM",
            "role": "customer",
            "organization": acme_co.pk,
            "requires_approval": False,
            "position": 5,
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["pattern"] == "acme.com" and body["organization"] == acme_co.pk
    changed = api.patch(api_url(f"joining-rules/{body['id']}/"), {"requires_approval": True})
    assert changed.json()["requires_approval"] is True
    assert api.delete(api_url(f"joining-rules/{body['id']}/")).status_code == 204
    actions = list(
        AuditEntry.objects.for_tenant(acme)
        .filter(target_type="joiningrule")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["joining_rule.created", "joining_rule.changed", "joining_rule.deleted"]


def test_a_domain_rule_needs_a_domain(api, ada):
    api.force_authenticate(ada.user)
    response = api.post(
        api_url("joining-rules/"), {"kind": "domain", "pattern": "", "role": "customer"}
    )
    assert response.status_code == 400
    assert "pattern" in response.json()
    assert not JoiningRule.objects.exists()


def test_rule_test_needs_an_address(api, ada):
    api.force_authenticate(ada.user)
    assert api.get(api_url("joining-rules/test/")).status_code == 400


@pytest.mark.parametrize("member", ["sam", "alice", "bob"])
def test_only_admins_touch_joining_rules(api, member, request):
    api.force_authenticate(request.getfixturevalue(member).user)
    response = api.post(api_url("joining-rules/"), {"kind": "open", "role": "admin"})
    assert response.status_code == 403
    assert not JoiningRule.objects.exists()


def test_rules_and_approvals_of_another_tenant_are_404(api, ada, mallory, globex):
    rule = open_rule(globex, by=mallory.user)
    applicant = make_member(globex, "gail@globex.test", status=Membership.Status.PENDING)
    api.force_authenticate(ada.user)
    assert api.get(api_url(f"joining-rules/{rule.pk}/")).status_code == 404
    assert api.delete(api_url(f"joining-rules/{rule.pk}/")).status_code == 404
    assert api.post(api_url(f"approvals/{applicant.pk}/approve/")).status_code == 404
    applicant.refresh_from_db()
    assert applicant.status == Membership.Status.PENDING
    assert JoiningRule.objects.filter(pk=rule.pk).exists()


# --- Bad input changes nothing --------------------------------------------------------------


def test_duplicate_email_in_any_case_answers_as_a_new_one_and_its_owner_is_told_by_mail(
    api, acme, ada, bob, mailoutbox, django_capture_on_commit_callbacks
):
    open_rule(acme, approval=False, by=ada.user)
    with django_capture_on_commit_callbacks(execute=True):
        taken = sign_up(api, bob.user.email.upper())
        free = sign_up(api, "nobody-yet@example.com")
    assert taken.status_code == free.status_code == 202
    assert taken.json() == free.json() == {"status": "unverified"}
    assert User.objects.filter(email__iexact=bob.user.email).count() == 1
    to_bob = [m for m in mailoutbox if m.to == [bob.user.email]]
    assert len(to_bob) == 1 and "already have an account" in to_bob[0].body
    assert "/accounts/password/reset/" in to_bob[0].body and "/verify/" not in to_bob[0].body
    bob.user.refresh_from_db()
    assert bob.user.check_password(PASSWORD)  # a stranger's sign-up changed nothing


@pytest.mark.parametrize("email", ["not-an-address", "a@b", "x@mailinator.com", "y@eu.yopmail.com"])
def test_malformed_or_disposable_addresses_are_refused(api, acme, ada, email):
    open_rule(acme, approval=False, by=ada.user)
    response = sign_up(api, email)
    assert response.status_code == 400
    assert "email" in response.json()
    assert User.objects.count() == 1  # ada only


def test_weak_password_is_refused(api, acme, ada):
    open_rule(acme, approval=False, by=ada.user)
    response = sign_up(api, "weak@example.com", password="123")
    assert response.status_code == 400 and "password" in response.json()
    assert not User.objects.filter(email="weak@example.com").exists()


@pytest.mark.parametrize("field", ["role", "status", "organization"])
def test_an_applicant_cannot_choose_their_role(api, acme, ada, field):
    open_rule(acme, approval=True, by=ada.user)
    response = sign_up(api, "mal@example.com", **{field: "admin"})
    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.filter(email="mal@example.com").exists()


def test_a_role_posted_on_the_sign_up_page_is_ignored(client, acme, ada):
    open_rule(acme, approval=False, by=ada.user)
    client.post(
        page_url("join/"),
        {"email": "sly@example.com", "name": "Sly", "password": NEW_PASSWORD, "role": "admin"},
    )
    client.post(page_url(f"verify/{link_token('sly@example.com')}/"))
    assert Membership.objects.get(user__email="sly@example.com").role.key == "customer"


@override_settings(
    REST_FRAMEWORK={
        **__import__("django.conf").conf.settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **__import__("django.conf").conf.settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "register": "3/hour",
        },
    }
)
def test_registration_floods_are_throttled_in_api_and_page(api, client, acme, ada):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle

    open_rule(acme, approval=True, by=ada.user)
    rates = ScopedRateThrottle.THROTTLE_RATES  # the class keeps them: put back the same ones
    ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        codes = [sign_up(api, f"flood{i}@example.com").status_code for i in range(5)]
        assert codes[:3] == [202, 202, 202] and codes[3:] == [429, 429]
        for i in range(4):
            client.logout()  # each attempt comes from a stranger at the same address
            page = client.post(
                page_url("join/"),
                {"email": f"pflood{i}@example.com", "name": "F", "password": NEW_PASSWORD},
            )
        assert page.status_code == 429
        assert "Too many sign-ups" in page.content.decode()
    finally:
        ScopedRateThrottle.THROTTLE_RATES = rates
    assert not User.objects.filter(email="flood3@example.com").exists()
    assert not User.objects.filter(email="pflood3@example.com").exists()


# --- The pages ------------------------------------------------------------------------------


def test_sign_up_page_with_approval_waits_then_first_login_after_approval(client, acme, ada):
    open_rule(acme, approval=True, by=ada.user)

    response = client.post(
        page_url("join/"),
        {"email": "wendy@example.net", "name": "Wendy Wait", "password": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page_url("join/sent/")
    assert "Check your inbox" in response.content.decode()
    link = page_url(f"verify/{link_token('wendy@example.net')}/")
    assert "Confirm and join" in client.get(link).content.decode()
    response = client.post(link, follow=True)

    assert response.redirect_chain[-1][0] == page_url("waiting/")
    body = response.content.decode()
    assert "waiting for approval" in body and "Ada Admin" in body  # and for whom
    # The home page of the tenant sends her back to the waiting page.
    assert client.get(page_url("")).url == page_url("waiting/")

    client.force_login(ada.user)
    member = Membership.objects.get(user__email="wendy@example.net")
    response = client.post(page_url(f"people/approvals/{member.pk}/"), {"decision": "approve"})
    assert response.status_code == 302
    approvals = client.get(page_url("people/approvals/")).content.decode()
    decided = approvals.split("Recently decided", 1)[1]
    assert "Wendy Wait (customer)" in decided and "sign-up approved" in decided

    client.logout()
    response = client.post(
        "/accounts/login/",
        {"username": "wendy@example.net", "password": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page_url("portal/")


def test_sign_up_page_domain_rule_lands_on_the_welcome_page(client, acme, ada, acme_co):
    domain_rule(acme, "acme.test", organization=acme_co, by=ada.user)
    response = client.post(
        page_url("join/"),
        {"email": "dan@acme.test", "name": "Dan", "password": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page_url("join/sent/")
    assert not User.objects.filter(email="dan@acme.test").exists()  # nothing before the link
    response = client.post(page_url(f"verify/{link_token('dan@acme.test')}/"), follow=True)
    assert response.redirect_chain[-1][0] == page_url("welcome/")
    body = response.content.decode()
    assert "Welcome to Acme" in body and "Submit requests" in body


def test_sign_up_page_of_an_invitation_only_tenant_is_a_404_and_existing_accounts_look_new(
    client, acme, ada, bob
):
    response = client.post(
        page_url("join/"), {"email": "x@example.com", "name": "X", "password": NEW_PASSWORD}
    )
    unknown = client.post(
        page_url("join/", "no-such-helpdesk"),
        {"email": "x@example.com", "name": "X", "password": NEW_PASSWORD},
    )
    assert response.status_code == unknown.status_code == 404
    assert "Acme" not in response.content.decode()
    open_rule(acme, by=ada.user)
    pages = []
    for email in (bob.user.email, "x@example.com"):
        response = client.post(
            page_url("join/"), {"email": email, "name": "B", "password": NEW_PASSWORD}, follow=True
        )
        body = response.content.decode().replace(email, "EMAIL")
        pages.append(re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", body))
    assert pages[0] == pages[1]  # the same "check your inbox" whether or not it has an account
    assert not User.objects.filter(email="x@example.com").exists()


def test_a_signed_in_person_joins_another_helpdesk_with_their_account(client, alice, mallory):
    globex = mallory.tenant
    open_rule(globex, approval=True, by=mallory.user)
    client.force_login(alice.user)

    page = client.get("/t/globex/join/")
    assert page.status_code == 200  # not a member (yet): the helpdesk's door, a way to join
    assert "Join Globex" in page.content.decode()
    response = client.post("/t/globex/join/")

    assert response.url == "/t/globex/waiting/"
    member = Membership.objects.for_tenant(globex).get(user=alice.user)
    assert member.status == Membership.Status.PENDING


def test_joining_rules_page_tests_an_address_before_anyone_signs_up(client, acme, ada, acme_co):
    rule = domain_rule(acme, "acme.test", organization=acme_co, by=ada.user)
    client.force_login(ada.user)
    body = client.get(page_url("joining-rules/"), {"email": "new@acme.test"}).content.decode()
    assert "Joins straight away" in body and str(rule) in body and "Acme Co" in body
    body = client.get(page_url("joining-rules/"), {"email": "x@nowhere.test"}).content.decode()
    assert "Refused" in body


def test_joining_rules_page_adds_a_rule(client, acme, ada):
    client.force_login(ada.user)
    response = client.post(
        page_url("joining-rules/"),
        {
            "kind": "open",
            "pattern": "",
            "role": role(acme, "customer").pk,
            "requires_approval": "on",
            "position": 1,
        },
    )
    assert response.status_code == 302
    assert JoiningRule.objects.for_tenant(acme).get().requires_approval


def test_a_rule_that_can_never_decide_is_called_out(client, acme, ada):
    catch_all = open_rule(acme, by=ada.user)
    client.force_login(ada.user)

    response = client.post(
        page_url("joining-rules/"),
        {
            "kind": "domain",
            "pattern": "initech.test",
            "role": role(acme, "agent").pk,
            "position": 2,
        },
        follow=True,
    )

    body = response.content.decode()
    assert f"never decides: “{catch_all}” comes first" in body
    assert "makes people staff with no admin approving them first" in body
    assert "Never decides: " in body and "Staff without approval" in body
    # The tester agrees: the catch-all decides for that domain.
    outcome = client.get(page_url("joining-rules/"), {"email": "x@initech.test"}).context["outcome"]
    assert outcome.rule == catch_all


def test_a_narrower_domain_after_a_wider_one_never_decides(acme, ada):
    wide = domain_rule(acme, "acme.test", by=ada.user)
    narrow = domain_rule(acme, "eu.acme.test", by=ada.user)
    other = domain_rule(acme, "notacme.test", by=ada.user)
    assert unreachable_rules(JoiningRule.objects.for_tenant(acme).in_order()) == {narrow.pk: wide}
    assert not wide.covers(other)


def test_pages_are_refused_to_those_without_the_action(client, sam, bob):
    client.force_login(sam.user)
    assert client.get(page_url("joining-rules/")).status_code == 403
    client.force_login(bob.user)
    assert client.get(page_url("people/")).status_code == 403


def test_unused_tenant_is_untouched_by_sign_ups_elsewhere(api, acme, ada):
    other = make_tenant("initech")
    open_rule(acme, approval=False, by=ada.user)
    assert sign_up_and_verify(api, "x@example.com").json()["status"] == "active"
    assert not Membership.objects.for_tenant(other).exists()
    assert mail.outbox == []
    assert PASSWORD


def test_an_invited_address_joins_through_its_invitation_not_a_sign_up(api, acme, ada):
    open_rule(acme, approval=True, by=ada.user)
    invite(tenant=acme, email="nina@example.com", role=role(acme, "agent"), by=ada.user)

    response = sign_up_and_verify(api, "Nina@example.com")

    assert response.json()["status"] == "refused"
    assert "An invitation to Acme waits for this address" in response.json()["detail"]
    assert not User.objects.filter(email="nina@example.com").exists()
