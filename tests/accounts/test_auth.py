import re

import pytest
from django.core import mail
from django.test import override_settings


def test_sign_in_with_email_in_any_case_lands_in_the_only_helpdesk(client, alice, password):
    response = client.post(
        "/accounts/login/",
        {"username": "ALICE@acme.test", "password": password},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/t/acme/workspace/"


def test_customer_lands_in_the_portal(client, bob, password):
    response = client.post(
        "/accounts/login/",
        {"username": bob.user.email, "password": password},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/t/acme/portal/"


def test_wrong_password_is_a_form_error(client, alice):
    response = client.post("/accounts/login/", {"username": alice.user.email, "password": "nope"})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_failed_sign_ins_are_throttled_even_with_the_right_password(client, alice, password):
    for _ in range(3):
        client.post("/accounts/login/", {"username": alice.user.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": alice.user.email, "password": password})
    assert response.status_code == 200
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_person_in_two_helpdesks_picks_one(client, alice, globex, password):
    from tests.factories import make_member

    make_member(globex, alice.user.email, "customer")
    client.post("/accounts/login/", {"username": alice.user.email, "password": password})
    response = client.get("/")
    body = response.content.decode()
    assert "Choose a helpdesk" in body
    assert "/t/acme/" in body and "/t/globex/" in body


def test_password_reset_sends_a_working_link(client, alice):
    client.post("/accounts/password/reset/", {"email": alice.user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    alice.user.refresh_from_db()
    assert alice.user.check_password("a-new-long-passphrase")


def test_weak_new_password_is_refused_by_the_validators(client, alice, password):
    client.force_login(alice.user)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": password, "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()


@pytest.mark.parametrize(("language", "direction"), [("he", "rtl"), ("en", "ltr")])
def test_language_choice_sets_direction_and_is_remembered(client, alice, language, direction):
    client.force_login(alice.user)
    client.post("/language/", {"language": language, "next": "/t/acme/workspace/"})
    body = client.get("/t/acme/workspace/").content.decode()
    assert f'dir="{direction}"' in body
    alice.user.refresh_from_db()
    assert alice.user.language == language


def test_api_token_for_email_and_password(api, alice, password):
    response = api.post(
        "/api/v1/auth/token/",
        {"email": alice.user.email, "password": password},
        format="json",
    )
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = api.get("/api/v1/t/acme/me/").json()
    assert me["email"] == alice.user.email
    assert me["role"] == "agent"
    assert "reply_public" in me["permissions"]
    assert "manage_people" not in me["permissions"]


def test_api_token_refuses_bad_credentials_with_400(api, alice):
    response = api.post(
        "/api/v1/auth/token/",
        {"email": alice.user.email, "password": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "detail" in response.json()


def test_api_without_credentials_is_401(api, acme):
    assert api.get("/api/v1/t/acme/me/").status_code == 401


def test_openapi_schema_is_served(api):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/t/{slug}/me/" in response.content


def test_openapi_schema_generates_without_warnings_and_holds_the_contract(tmp_path):
    from django.core.management import call_command

    schema = tmp_path / "schema.yml"
    # --fail-on-warn turns any warning (an untyped field, an enum clash) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))
    text = schema.read_text()
    for path in [
        "/api/v1/auth/token/",
        "/api/v1/t/{slug}/me/",
        "/api/v1/t/{slug}/register/",
        "/api/v1/t/{slug}/joining-rules/test/",
        "/api/v1/t/{slug}/tickets/{id}/comments/",
        "/api/v1/t/{slug}/tickets/{id}/rating/",
        "/api/v1/t/{slug}/metrics/summary/",
        "/api/v1/t/{slug}/access/explain/",
        "/api/v1/t/{slug}/audit-log/",
    ]:
        assert f"{path}:" in text, path
