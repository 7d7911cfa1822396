"""Admins are told, by e-mail in their own language, when a sign-up waits for their approval."""

from accounts.models import Membership
from notifications.approvals import tell_approvers
from tests.accounts.conftest import api_url
from tests.accounts.test_joining import link_token, open_rule, sign_up
from tests.factories import make_member


def test_admins_hear_of_a_sign_up_that_waits_once(
    api, acme, ada, alice, mailoutbox, django_capture_on_commit_callbacks
):
    hebrew = make_member(acme, "hadar@acme.test", "admin", name="Hadar")
    hebrew.user.language = "he"
    hebrew.user.save(update_fields=["language"])
    open_rule(acme, approval=True, by=ada.user)
    sign_up(api, "paula@example.net", name="Paula")
    mailoutbox.clear()  # the link to Paula

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(api_url("verify/"), {"token": link_token("paula@example.net")})

    assert response.json()["status"] == "pending"
    told = {m.to[0]: m for m in mailoutbox}
    assert set(told) == {"ada@acme.test", "hadar@acme.test"}  # admins, not the agent
    assert "waits for your approval" in told["ada@acme.test"].subject
    assert "Paula (paula@example.net)" in told["ada@acme.test"].body
    assert "/t/acme/people/approvals/" in told["ada@acme.test"].body
    paula = Membership.objects.for_tenant(acme).get(user__email="paula@example.net")
    assert paula.approvers_told_at is not None
    assert tell_approvers(membership_id=paula.pk) == 0  # a second run tells nobody again
    assert len(mailoutbox) == 2


def test_nobody_is_told_when_the_rule_lets_people_straight_in(
    api, acme, ada, mailoutbox, django_capture_on_commit_callbacks
):
    open_rule(acme, approval=False, by=ada.user)
    sign_up(api, "sol@example.net")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        api.post(api_url("verify/"), {"token": link_token("sol@example.net")})
    assert [m.to for m in mailoutbox if "approval" in m.subject] == []
