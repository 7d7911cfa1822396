"""Two-factor sign-in around a helpdesk: required for its staff (pages and API), API tokens
that need the code, and an admin's audited reset of a person who lost their device."""

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, AuditEntry, Role, Tenant
from accounts.services import NotPermitted, reset_two_factor
from accounts.two_factor import has_second_factor
from tests.factories import make_member

from .conftest import page_url
from .two_factor_helpers import (
    CODE_URL,
    SETTINGS_URL,
    code_of,
    fresh_code,
    sign_in_with_password,
    with_authenticator,
)

TOKEN_URL = "/api/v1/auth/token/"
TICKETS_API = "/api/v1/t/acme/tickets/"


@pytest.fixture
def strict(acme):
    Tenant.objects.filter(pk=acme.pk).update(two_factor_required_for_staff=True)
    acme.refresh_from_db()
    return acme


def test_an_admin_requires_two_factor_for_staff_and_the_change_is_audited(
    client, acme, ada, sam, password
):
    device, _codes = with_authenticator(ada.user)
    sign_in_with_password(client, ada.user.email, password)
    client.post(CODE_URL, {"code": fresh_code(device)})
    response = client.post(
        page_url("settings/"),
        {"name": acme.name, "time_zone": "UTC", "two_factor_required_for_staff": "on"},
    )
    assert response.status_code == 302
    acme.refresh_from_db()
    assert acme.two_factor_required_for_staff
    entry = AuditEntry.objects.for_tenant(acme).get(action="tenant.settings_changed")
    assert entry.before == {"two_factor_required_for_staff": False}
    assert entry.after == {"two_factor_required_for_staff": True}
    log = client.get(page_url("audit-log/"), {"action": "tenant"}).content.decode()
    assert "staff must use two-factor sign-in: <bdi>yes</bdi>" in log
    # From then on a supervisor without a second factor is sent to add one.
    client.force_login(sam.user)
    assert client.get(page_url("metrics/"))["Location"].startswith(SETTINGS_URL)


def test_staff_without_a_second_factor_are_sent_to_add_one_first(client, strict, alice, bob):
    client.force_login(alice.user)

    for path in ("workspace/", "people/", "settings/", ""):
        response = client.get(page_url(path))
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{SETTINGS_URL}?next=")
    page = client.get(response["Location"]).content.decode()
    assert "requires two-factor sign-in for staff" in page
    # A customer is not staff: nothing changes for them.
    client.force_login(bob.user)
    assert client.get(page_url("portal/")).status_code == 200


def test_staff_with_an_authenticator_give_its_code_then_work(client, strict, alice, password):
    device, _codes = with_authenticator(alice.user)
    client.force_login(alice.user)  # a session that gave no code
    response = client.get(page_url("workspace/"))
    assert response["Location"] == f"{CODE_URL}?next=%2Ft%2Facme%2Fworkspace%2F"

    done = client.post(response["Location"], {"code": fresh_code(device)})

    assert done["Location"] == "/t/acme/workspace/"
    assert client.get(page_url("workspace/")).status_code == 200


def test_the_requirement_is_off_by_default(client, acme, alice):
    client.force_login(alice.user)
    assert client.get(page_url("workspace/")).status_code == 200


def test_setting_up_from_the_door_leads_back_to_the_page(client, strict, alice):
    client.force_login(alice.user)
    door = client.get(page_url("workspace/"))["Location"]
    client.post(door, {"action": "start", "next": "/t/acme/workspace/"})
    device = TOTPDevice.objects.get(user=alice.user)
    done = client.post(
        SETTINGS_URL,
        {"action": "confirm", "code": code_of(device), "next": "/t/acme/workspace/"},
    )

    assert 'href="/t/acme/workspace/"' in done.content.decode()  # "Continue", after the codes
    assert client.get(page_url("workspace/")).status_code == 200


def test_the_api_refuses_staff_tokens_issued_without_a_code(api, strict, alice, bob, password):
    key = api.post(TOKEN_URL, {"email": alice.user.email, "password": password}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = api.get(TICKETS_API)

    assert response.status_code == 403
    assert "requires two-factor sign-in for staff" in response.json()["detail"]
    assert response.json()["reasons"]
    # A customer's token works as before; so does a session that gave no code, refused alike.
    bob_key = api.post(TOKEN_URL, {"email": bob.user.email, "password": password}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {bob_key}")
    assert api.get(TICKETS_API).status_code == 200
    api.credentials()
    api.force_authenticate(alice.user)
    assert api.get(TICKETS_API).status_code == 403


def test_a_token_issued_with_the_code_works_where_it_is_required(api, strict, alice, password):
    device, _codes = with_authenticator(alice.user)
    answer = api.post(
        TOKEN_URL,
        {"email": alice.user.email, "password": password, "otp": fresh_code(device)},
    )
    assert answer.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    assert api.get(TICKETS_API).status_code == 200


def test_the_token_endpoint_needs_the_code_of_an_account_with_one(api, alice, password):
    device, codes = with_authenticator(alice.user)
    ask = {"email": alice.user.email, "password": password}

    missing = api.post(TOKEN_URL, ask)
    wrong = api.post(TOKEN_URL, {**ask, "otp": "000000"})

    assert missing.status_code == 400 and "otp" in missing.json()
    assert "two-factor" in missing.json()["otp"][0]
    assert wrong.status_code == 400 and "not right" in wrong.json()["otp"][0]
    assert not ApiToken.objects.exists()
    right = api.post(TOKEN_URL, {**ask, "otp": fresh_code(device)})
    assert right.status_code == 200 and right.json()["token"]
    assert ApiToken.objects.get().second_factor
    by_recovery = api.post(TOKEN_URL, {**ask, "otp": codes[0]})
    assert by_recovery.status_code == 200


def test_code_guessing_at_the_token_endpoint_is_locked_out(api, alice, password, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    device, _codes = with_authenticator(alice.user)
    ask = {"email": alice.user.email, "password": password}
    codes = [api.post(TOKEN_URL, {**ask, "otp": f"{i:06d}"}).status_code for i in range(3)]
    assert codes == [400, 400, 400]

    refused = api.post(TOKEN_URL, {**ask, "otp": fresh_code(device)})

    assert refused.status_code == 429 and "token" not in refused.json()
    assert not ApiToken.objects.exists()


def test_an_admin_resets_a_lost_device_audited_and_the_person_is_told(
    client, acme, ada, alice, password, mailoutbox, django_capture_on_commit_callbacks
):
    with_authenticator(alice.user)
    client.force_login(ada.user)
    person = client.get(page_url(f"people/{alice.user_id}/")).content.decode()
    assert "Reset two-factor sign-in" in person

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url(f"people/{alice.user_id}/two-factor/reset/"))

    assert response.status_code == 302
    assert not has_second_factor(alice.user)
    entry = AuditEntry.objects.for_tenant(acme).get(action="membership.two_factor_reset")
    assert entry.actor == ada.user and entry.target_id == str(alice.pk)
    assert (entry.before, entry.after) == ({"two_factor": True}, {"two_factor": False})
    log = client.get(page_url("audit-log/")).content.decode()
    assert "two-factor sign-in reset" in log
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [alice.user.email]
    assert "Ada Admin" in mailoutbox[0].body and "/accounts/two-factor/" in mailoutbox[0].body
    # Alice signs in with her password alone again.
    client.logout()
    sign_in_with_password(client, alice.user.email, password)
    assert "_auth_user_id" in client.session


def test_a_lesser_people_manager_cannot_reset_someone_who_holds_more(client, acme, ada):
    Role.objects.create(
        tenant=acme,
        key="people-desk",
        name="People desk",
        permissions=["view_people", "manage_people", "view_ticket", "submit_ticket"],
        scope="own",
    )
    desk = make_member(acme, "desk@acme.test", "people-desk")
    with_authenticator(ada.user)
    client.force_login(desk.user)

    client.post(page_url(f"people/{ada.user_id}/two-factor/reset/"))

    assert has_second_factor(ada.user)
    assert not AuditEntry.objects.for_tenant(acme).filter(action__contains="two_factor").exists()
    with pytest.raises(NotPermitted, match="holds more than"):
        reset_two_factor(membership=ada, by=desk.user)


def test_agents_customers_outsiders_and_oneself_cannot_reset(client, acme, ada, alice, mallory):
    with_authenticator(alice.user)
    with_authenticator(ada.user)
    url = page_url(f"people/{alice.user_id}/two-factor/reset/")
    client.force_login(alice.user)
    assert client.post(page_url(f"people/{ada.user_id}/two-factor/reset/")).status_code == 403
    client.force_login(mallory.user)
    assert client.post(url).status_code == 404
    with pytest.raises(NotPermitted):
        reset_two_factor(membership=ada, by=ada.user)
    assert has_second_factor(alice.user) and has_second_factor(ada.user)
    assert not AuditEntry.objects.filter(action="membership.two_factor_reset").exists()
    assert not mail.outbox


def test_resetting_someone_without_a_second_factor_says_so(client, acme, ada, alice):
    client.force_login(ada.user)
    response = client.post(page_url(f"people/{alice.user_id}/two-factor/reset/"), follow=True)
    assert "has no second factor to reset" in response.content.decode()
    assert not AuditEntry.objects.filter(action="membership.two_factor_reset").exists()


def test_an_admin_cannot_reset_someone_who_is_staff_where_they_are_not(acme, globex, ada):
    # Gina runs Globex and is a customer of Acme; Ada runs Acme and is an agent at Globex.
    gina = make_member(globex, "gina@globex.test", "admin").user
    make_member(acme, gina.email, "customer")
    ada_at_globex = make_member(globex, ada.user.email, "agent")
    with_authenticator(ada.user)

    with pytest.raises(NotPermitted, match="also works in another helpdesk"):
        reset_two_factor(membership=ada_at_globex, by=gina)

    assert has_second_factor(ada.user)
    assert not AuditEntry.objects.filter(action="membership.two_factor_reset").exists()
    # Where the person's other membership is a customer's, the reset goes through.
    al_at_globex = make_member(globex, "al@globex.test", "agent")
    make_member(acme, "al@globex.test", "customer")
    with_authenticator(al_at_globex.user)
    reset_two_factor(membership=al_at_globex, by=gina)
    assert not has_second_factor(al_at_globex.user)
