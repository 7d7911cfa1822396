"""A sign-up proves its address before any joining rule lets it in.

Eve claims acme.test without owning a mailbox there: she gets nothing until someone follows
the link sent to that address. The link works once and expires; resending is limited per
address; the answer never says whether the address already has an account.
"""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from accounts.models import Membership, SignUp, User
from accounts.services import invite
from accounts.verification import find_sign_up
from tests.factories import PASSWORD, make_member, role

from .conftest import api_url, page_url
from .test_joining import NEW_PASSWORD, domain_rule, link_token, open_rule, sign_up


def _link_in(message) -> str:
    return re.search(r"http://\S+/verify/(\S+)/", message.body).group(1)


def test_a_claimed_domain_gets_nothing_until_the_mailbox_answers(
    api, acme, ada, bob, acme_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    domain_rule(acme, "acme.test", by=ada.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(api, "eve@acme.test", name="Eve")

    assert response.status_code == 202
    assert response.json() == {"status": "unverified"}
    # No account, so no token and nothing of Acme: eve@acme.test is only a claim so far.
    assert not User.objects.filter(email="eve@acme.test").exists()
    assert not Membership.objects.filter(user__email="eve@acme.test").exists()
    token = api.post("/api/v1/auth/token/", {"email": "eve@acme.test", "password": NEW_PASSWORD})
    assert token.status_code == 400
    # The link went to the address; whoever reads that mailbox decides.
    [message] = mailoutbox
    assert message.to == ["eve@acme.test"] and "Confirm your e-mail address" in message.subject
    response = api.post(api_url("verify/"), {"token": _link_in(message)})
    assert response.status_code == 200 and response.json()["status"] == "active"
    eve = User.objects.get(email="eve@acme.test")
    assert eve.email_verified and eve.check_password(NEW_PASSWORD)


def test_a_link_works_once(api, acme, ada):
    open_rule(acme, approval=False, by=ada.user)
    sign_up(api, "once@example.com")
    token = link_token("once@example.com")

    assert api.post(api_url("verify/"), {"token": token}).json()["status"] == "active"
    again = api.post(api_url("verify/"), {"token": token})

    assert again.status_code == 400 and "already been used" in again.json()["token"][0]
    assert Membership.objects.filter(user__email="once@example.com").count() == 1


def test_a_link_expires(api, acme, ada, settings):
    open_rule(acme, approval=False, by=ada.user)
    sign_up(api, "late@example.com")
    token = link_token("late@example.com")
    settings.SIGNUP_LINK_HOURS = 0  # every link is older than that

    response = api.post(api_url("verify/"), {"token": token})

    assert response.status_code == 400 and "expired" in response.json()["token"][0]
    assert not User.objects.filter(email="late@example.com").exists()


@pytest.mark.parametrize("token", ["", "nonsense", "x" * 400])
def test_a_link_that_is_not_one_is_a_400(api, acme, ada, token):
    open_rule(acme, approval=False, by=ada.user)
    response = api.post(api_url("verify/"), {"token": token})
    assert response.status_code == 400 and "token" in response.json()


def test_a_link_of_another_tenant_does_not_open_this_one(api, acme, ada, globex, mallory):
    open_rule(acme, approval=False, by=ada.user)
    open_rule(globex, approval=False, by=mallory.user)
    sign_up(api, "gus@example.com", slug="globex")
    response = api.post(api_url("verify/"), {"token": link_token("gus@example.com")})
    assert response.status_code == 400
    assert not Membership.objects.filter(user__email="gus@example.com").exists()


def test_the_link_page_asks_first_then_signs_in_and_lands(client, acme, ada):
    domain_rule(acme, "acme.test", by=ada.user)
    client.post(page_url("join/"), {"email": "dan@acme.test", "name": "Dan", "password": "x"})
    assert not SignUp.objects.exists()  # a weak password is a form error, nothing is sent
    client.post(
        page_url("join/"), {"email": "dan@acme.test", "name": "Dan", "password": NEW_PASSWORD}
    )
    link = page_url(f"verify/{link_token('dan@acme.test')}/")

    page = client.get(link)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and "Confirm and join" in page.content.decode()
    assert not User.objects.filter(email="dan@acme.test").exists()

    response = client.post(link, follow=True)
    assert response.redirect_chain[-1][0] == page_url("welcome/")
    assert response.context["user"].email == "dan@acme.test"
    used = client.post(link)
    assert used.status_code == 400 and "already been used" in used.content.decode()


def test_a_refused_address_is_told_why_on_the_page(client, acme, ada):
    domain_rule(acme, "acme.test", by=ada.user)
    client.post(
        page_url("join/"), {"email": "eve@else.test", "name": "Eve", "password": NEW_PASSWORD}
    )
    response = client.post(page_url(f"verify/{link_token('eve@else.test')}/"))
    assert response.status_code == 200
    assert "No joining rule of Acme lets this address sign up" in response.content.decode()
    assert not User.objects.filter(email="eve@else.test").exists()


def test_a_signed_in_person_with_an_unproved_address_proves_it_before_joining(
    client, acme, ada, globex, mallory, mailoutbox, django_capture_on_commit_callbacks
):
    open_rule(acme, approval=False, by=ada.user)
    # Uma's account was made without proof of her address (e-mail in, an old sign-up).
    uma = make_member(globex, "uma@example.com")
    User.objects.filter(pk=uma.user.pk).update(email_verified_at=None)
    client.force_login(uma.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url("join/"))

    assert response.url == page_url("join/sent/")
    assert not Membership.objects.for_tenant(acme).filter(user=uma.user).exists()
    assert mailoutbox[0].to == ["uma@example.com"]
    response = client.post(page_url(f"verify/{_link_in(mailoutbox[0])}/"))
    assert response.url == page_url("welcome/")
    assert Membership.objects.for_tenant(acme).get(user=uma.user).is_active
    uma.user.refresh_from_db()
    assert uma.user.email_verified


def test_accepting_an_invitation_proves_the_address(api, acme, ada):
    _invitation, token = invite(
        tenant=acme, email="ivy@example.com", role=role(acme, "agent"), by=ada.user
    )
    response = api.post(
        api_url("invitations/accept/"), {"token": token, "name": "Ivy", "password": NEW_PASSWORD}
    )
    assert response.status_code == 201
    assert User.objects.get(email="ivy@example.com").email_verified


def test_people_of_the_factories_and_the_demo_are_verified(bob, db):
    from django.core.management import call_command

    assert bob.user.email_verified
    call_command("seed_demo", verbosity=0)
    assert not User.objects.filter(email_verified_at__isnull=True).exists()
    # The demo's applicant proved her address and waits for an admin.
    assert Membership.objects.filter(status=Membership.Status.PENDING).exists()


def test_resending_is_limited_per_address_whoever_asks(
    api, client, acme, ada, bob, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SIGNUP_MAILS_PER_HOUR = 2
    open_rule(acme, approval=False, by=ada.user)

    def attempt(email):
        cache.delete("throttle_register_127.0.0.1")  # from many clients: this limit is per address
        assert sign_up(api, email).status_code == 202

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            attempt("flo@example.com")
        client.post(
            page_url("join/"), {"email": "flo@example.com", "name": "F", "password": NEW_PASSWORD}
        )
        again = client.post(page_url("join/sent/"), follow=True)
        for _ in range(3):
            attempt(bob.user.email)  # the same for a taken address
    assert again.status_code == 200 and "a new message is on its way" in again.content.decode()
    assert [m.to for m in mailoutbox] == [["flo@example.com"]] * 2 + [[bob.user.email]] * 2


def test_the_limit_counts_the_last_hour_only(api, acme, ada, settings):
    settings.SIGNUP_MAILS_PER_HOUR = 1
    open_rule(acme, approval=False, by=ada.user)
    sign_up(api, "hal@example.com")
    SignUp.objects.update(created_at=timezone.now() - timedelta(hours=2))
    sign_up(api, "hal@example.com")
    assert list(SignUp.objects.order_by("pk").values_list("mails_sent", flat=True)) == [1, 1]


@override_settings(SIGNUP_MAILS_PER_HOUR=5)
def test_the_mail_of_a_new_address_and_of_a_taken_one_do_not_say_more_than_they_should(
    api, acme, ada, bob, mailoutbox, django_capture_on_commit_callbacks
):
    open_rule(acme, approval=False, by=ada.user)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(api, "new@example.com")
        sign_up(api, bob.user.email)
    new, taken = mailoutbox
    assert "/verify/" in new.body and "expires in 48 hours" in new.body
    assert "already have an account" in taken.body and "/verify/" not in taken.body
    assert PASSWORD not in taken.body and NEW_PASSWORD not in new.body
    # The link's token (signed with a time stamp, so read from the mail) names this sign-up.
    token = re.search(r"/verify/([^/\s]+)/", new.body).group(1)
    assert find_sign_up(tenant=acme, token=token) == SignUp.objects.get(email="new@example.com")


def test_sign_ups_whose_links_can_no_longer_work_are_forgotten(api, acme, ada, settings):
    from accounts.tasks import forget_stale_sign_ups_task

    open_rule(acme, approval=False, by=ada.user)
    sign_up(api, "old@example.com")
    sign_up(api, "new@example.com")
    sign_up(api, "done@example.com")
    follow_link_of = api.post(api_url("verify/"), {"token": link_token("done@example.com")})
    assert follow_link_of.json()["status"] == "active"
    long_ago = timezone.now() - timedelta(hours=2 * settings.SIGNUP_LINK_HOURS + 1)
    SignUp.objects.exclude(email="new@example.com").update(created_at=long_ago)

    assert forget_stale_sign_ups_task.delay().get() == 1

    assert set(SignUp.objects.values_list("email", flat=True)) == {
        "new@example.com",
        "done@example.com",
    }
    assert SignUp.objects.get(email="done@example.com").password == ""


def test_a_look_alike_address_is_the_account_it_looks_like(
    api, acme, ada, bob, mailoutbox, django_capture_on_commit_callbacks
):
    """A full-width letter is delivered to the plain address: it is the same mailbox, so it
    is told it already has an account, and no second account is made for it."""
    open_rule(acme, approval=False, by=ada.user)
    look_alike = bob.user.email.replace("a", "\uff41", 1)
    assert look_alike != bob.user.email
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(api, look_alike)
    assert response.status_code == 202 and response.json() == {"status": "unverified"}
    assert SignUp.objects.get().kind == SignUp.Kind.EXISTING
    assert [m.to for m in mailoutbox] == [[bob.user.email]]
    assert "already have an account" in mailoutbox[0].body


def test_a_taken_address_and_a_new_one_cost_the_same_work(api, acme, ada, bob, monkeypatch):
    """The answer's timing must not tell whether an account exists: both hash the password."""
    import accounts.verification as verification

    hashed = []
    real = verification.make_password
    monkeypatch.setattr(verification, "make_password", lambda p: hashed.append(p) or real(p))
    open_rule(acme, approval=False, by=ada.user)
    for email in ("fresh@example.com", bob.user.email):
        assert sign_up(api, email).status_code == 202
    assert hashed == [NEW_PASSWORD, NEW_PASSWORD]
