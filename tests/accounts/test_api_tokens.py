"""API tokens: named, per person, hashed at rest, expiring, listed, revocable; and ended by a
password change, a deactivation or a lost membership."""

from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, Membership
from accounts.tokens import hash_key

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/t/acme/me/"


def new_token(api, member, password, **extra):
    response = api.post(TOKEN_URL, {"email": member.user.email, "password": password, **extra})
    assert response.status_code == 200, response.content
    return response.json()


def with_token(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_each_request_issues_a_new_named_token_kept_only_as_a_hash(api, alice, password):
    first = new_token(api, alice, password, name="reporting script")
    second = new_token(api, alice, password)
    assert first["token"] != second["token"]
    assert first["name"] == "reporting script"
    token = ApiToken.objects.get(pk=first["id"])
    assert token.key_hash == hash_key(first["token"])
    assert first["token"] not in {token.key_hash, token.prefix, token.password_state}
    assert first["token"].startswith(token.prefix)
    assert with_token(first["token"]).get(ME_URL).json()["email"] == alice.user.email
    assert with_token(second["token"]).get(ME_URL).status_code == 200


def test_a_token_expires_by_default_and_when_asked(api, alice, password, settings):
    settings.API_TOKEN_DAYS = 90
    default = ApiToken.objects.get(pk=new_token(api, alice, password)["id"])
    assert abs(default.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    short = new_token(api, alice, password, expires_in_days=1)
    ApiToken.objects.filter(pk=short["id"]).update(expires_at=timezone.now())
    response = with_token(short["token"]).get(ME_URL)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_lifetime_past_the_maximum_is_a_400(api, alice, password, settings):
    settings.API_TOKEN_MAX_DAYS = 30
    response = api.post(
        TOKEN_URL, {"email": alice.user.email, "password": password, "expires_in_days": 31}
    )
    assert response.status_code == 400 and "expires_in_days" in response.json()


def test_one_lists_ones_own_tokens_with_last_use_and_no_secret(api, alice, bob, password):
    used = new_token(api, alice, password, name="used")
    new_token(api, alice, password, name="unused")
    new_token(api, bob, password, name="bob's")
    client = with_token(used["token"])
    client.get(ME_URL)
    listed = client.get("/api/v1/auth/tokens/").json()["results"]
    assert [t["name"] for t in listed] == ["unused", "used"]
    assert listed[1]["last_used_at"] is not None and listed[0]["last_used_at"] is None
    assert {t["status"] for t in listed} == {"active"}
    assert all("token" not in t and "key_hash" not in t for t in listed)


def test_last_use_is_written_at_most_every_few_minutes(api, alice, password):
    key = new_token(api, alice, password)["token"]
    client = with_token(key)
    client.get(ME_URL)
    first = ApiToken.objects.get(key_hash=hash_key(key)).last_used_at
    client.get(ME_URL)
    assert ApiToken.objects.get(key_hash=hash_key(key)).last_used_at == first


def test_revoking_a_token_ends_it_at_once_and_only_the_owner_can(api, alice, bob, password):
    key = new_token(api, alice, password)
    other = new_token(api, alice, password)
    bob_client = with_token(new_token(api, bob, password)["token"])
    assert bob_client.delete(f"/api/v1/auth/tokens/{key['id']}/").status_code == 404
    client = with_token(other["token"])
    assert client.delete(f"/api/v1/auth/tokens/{key['id']}/").status_code == 204
    assert with_token(key["token"]).get(ME_URL).status_code == 401
    assert client.get(ME_URL).status_code == 200
    listed = {t["id"]: t for t in client.get("/api/v1/auth/tokens/").json()["results"]}
    assert listed[key["id"]]["status"] == "revoked"


def test_a_password_change_ends_every_token(api, client, alice, password):
    key = new_token(api, alice, password)["token"]
    client.force_login(alice.user)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": password,
            "new_password1": "a-brand-new-passphrase",
            "new_password2": "a-brand-new-passphrase",
        },
    )
    assert response.status_code == 302
    assert with_token(key).get(ME_URL).status_code == 401
    fresh = new_token(api, alice, "a-brand-new-passphrase")["token"]
    assert with_token(fresh).get(ME_URL).status_code == 200
    page = client.get("/accounts/tokens/").content.decode()
    assert "Ended by a password change" in page


def test_a_deactivated_person_s_tokens_stop_at_once(api, alice, password):
    key = new_token(api, alice, password)["token"]
    alice.user.is_active = False
    alice.user.save(update_fields=["is_active"])
    assert with_token(key).get(ME_URL).status_code == 401


def test_a_deactivated_or_removed_membership_closes_the_tenant_door(api, alice, password):
    key = new_token(api, alice, password)["token"]
    client = with_token(key)
    Membership.objects.filter(pk=alice.pk).update(status=Membership.Status.DEACTIVATED)
    assert client.get("/api/v1/t/acme/tickets/").status_code in (403, 404)
    Membership.objects.filter(pk=alice.pk).delete()
    assert client.get(ME_URL).status_code == 404
    assert client.get("/api/v1/t/acme/tickets/").status_code == 404


def test_the_tokens_page_shows_a_new_key_once_and_revokes(client, alice):
    client.force_login(alice.user)
    page = client.get("/accounts/tokens/")
    assert "No tokens yet" in page.content.decode()
    response = client.post("/accounts/tokens/", {"name": "backup job", "expires_in_days": 7})
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=alice.user)
    body = response.content.decode()
    key = body.split('class="token-key"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert hash_key(key) == token.key_hash and token.name == "backup job"
    assert with_token(key).get(ME_URL).status_code == 200
    again = client.get("/accounts/tokens/").content.decode()
    assert "backup job" in again and key not in again and token.prefix in again
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert with_token(key).get(ME_URL).status_code == 401


def test_the_tokens_page_refuses_others_tokens_and_bad_input(client, alice, bob, password):
    from accounts.tokens import issue_token

    bobs, key = issue_token(user=bob.user, name="bob's")
    client.force_login(alice.user)
    assert client.post(f"/accounts/tokens/{bobs.pk}/revoke/").status_code == 404
    assert with_token(key).get(ME_URL).status_code == 200
    response = client.post("/accounts/tokens/", {"name": "", "expires_in_days": 100000})
    assert response.status_code == 200
    assert not ApiToken.objects.filter(user=alice.user).exists()
