"""identity-providers/ (API.md): admins connect OpenID Connect providers; the client secret
is write-only and kept encrypted, an issuer must be https, and other helpdesks see nothing."""

from __future__ import annotations

import pytest

from accounts.models import AuditEntry, IdentityProvider, Tenant
from accounts.sso import secret_of

from .conftest import api_url

NEW = {
    "name": "Acme ID",
    "issuer": "https://id.acme.test",
    "client_id": "helpdesk",
    "client_secret": "s3cret-value",
    "domains": ["Acme.test", "@eu.acme.test"],
}


def url(pk=None, slug="acme"):
    return api_url("identity-providers/" + (f"{pk}/" if pk else ""), slug)


@pytest.fixture
def connected(api, ada):
    api.force_authenticate(ada.user)
    response = api.post(url(), NEW, format="json")
    assert response.status_code == 201, response.json()
    return IdentityProvider.objects.get(pk=response.json()["id"])


def test_an_admin_connects_a_provider_and_its_secret_is_never_shown(api, ada, connected):
    listed = api.get(url()).json()
    assert listed["count"] == 1
    shown = listed["results"][0]
    assert shown == {
        "id": connected.pk,
        "name": "Acme ID",
        "issuer": "https://id.acme.test",
        "client_id": "helpdesk",
        "domains": ["acme.test", "eu.acme.test"],
        "required_for_staff": False,
    }
    assert "s3cret-value" not in connected.client_secret_encrypted  # encrypted at rest
    assert secret_of(connected) == "s3cret-value"
    entry = AuditEntry.objects.get(action="identity_provider.created")
    assert "s3cret-value" not in str(entry.after) and entry.actor == ada.user


def test_a_new_secret_replaces_the_old_and_requiring_it_for_staff_is_audited(api, acme, connected):
    response = api.patch(
        url(connected.pk), {"client_secret": "rotated", "required_for_staff": True}, format="json"
    )

    assert response.status_code == 200
    assert "client_secret" not in response.json()
    connected.refresh_from_db()
    assert secret_of(connected) == "rotated"
    assert Tenant.objects.get(pk=acme.pk).staff_sign_in_with_sso
    entry = AuditEntry.objects.get(action="identity_provider.changed")
    assert entry.before["required_for_staff"] is False and entry.after["required_for_staff"]


def test_removing_it_is_audited_and_lifts_the_requirement(api, acme, connected):
    api.patch(url(connected.pk), {"required_for_staff": True}, format="json")

    assert api.delete(url(connected.pk)).status_code == 204

    assert not IdentityProvider.objects.exists()
    assert not Tenant.objects.get(pk=acme.pk).staff_sign_in_with_sso
    assert AuditEntry.objects.filter(action="identity_provider.deleted").count() == 1


@pytest.mark.parametrize(
    "issuer",
    ["not a url", "http://id.acme.test", "ftp://id.acme.test", "https://", "https://x?a=1"],
)
def test_a_bad_issuer_is_a_400_naming_it(api, ada, issuer):
    api.force_authenticate(ada.user)
    response = api.post(url(), {**NEW, "issuer": issuer}, format="json")
    assert response.status_code == 400
    assert "issuer" in response.json()
    assert not IdentityProvider.objects.exists()


def test_http_issuers_only_where_the_setting_allows_them(api, ada, settings):
    settings.SSO_ALLOW_HTTP_ISSUERS = True
    api.force_authenticate(ada.user)
    assert (
        api.post(url(), {**NEW, "issuer": "http://127.0.0.1:9/o"}, format="json").status_code == 201
    )


@pytest.mark.parametrize(
    "body",
    [
        {k: v for k, v in NEW.items() if k != "client_secret"},
        {**NEW, "domains": ["not a domain"]},
        {**NEW, "domains": "acme.test"},
        {**NEW, "name": ""},
        {**NEW, "client_secret_env": "1 bad"},
    ],
)
def test_incomplete_or_malformed_input_is_a_400(api, ada, body):
    api.force_authenticate(ada.user)
    response = api.post(url(), body, format="json")
    assert response.status_code == 400, response.json()
    assert not IdentityProvider.objects.exists()


def test_only_admins_and_never_another_helpdesk(api, connected, alice, mallory):
    api.force_authenticate(alice.user)
    assert api.get(url()).status_code == 403
    assert api.patch(url(connected.pk), {"name": "x"}, format="json").status_code == 403
    api.force_authenticate(mallory.user)  # Globex's admin
    assert api.get(url()).status_code == 404
    assert api.get(url(connected.pk, "globex")).status_code == 404
    assert api.delete(url(connected.pk, "globex")).status_code == 404
    assert api.get(url(slug="globex")).json()["count"] == 0
    assert IdentityProvider.objects.filter(pk=connected.pk).exists()


def test_the_admin_page_connects_and_removes_a_provider(client, ada, acme):
    client.force_login(ada.user)
    page = client.get("/t/acme/identity-providers/")
    assert page.status_code == 200
    assert "/accounts/sso/callback/" in page.content.decode()
    form = {**NEW, "domains": "acme.test", "client_secret_env": ""}
    saved = client.post("/t/acme/identity-providers/", form)
    assert saved.status_code == 302
    provider = IdentityProvider.objects.get()
    assert "Acme ID" in client.get("/t/acme/identity-providers/").content.decode()
    removed = client.post(f"/t/acme/identity-providers/{provider.pk}/delete/")
    assert removed.status_code == 302
    assert not IdentityProvider.objects.exists()
    assert AuditEntry.objects.filter(action__startswith="identity_provider.").count() == 2
