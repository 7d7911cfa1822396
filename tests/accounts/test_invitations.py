"""Invitations: single-use links that expire, sent by e-mail, one or many (CSV)."""

import re
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import AuditEntry, Invitation, Membership, User
from accounts.services import hash_token, invite
from tests.factories import PASSWORD, role

from .conftest import api_url, page_url

NEW_PASSWORD = "a-long-new-passphrase"


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/t/\S+/invitations/\S+/)", message.body).group(1)


def test_admin_invites_by_api_and_the_invitee_accepts_by_api(
    api, acme, ada, mailoutbox, django_capture_on_commit_callbacks
):
    api.force_authenticate(ada.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(api_url("invitations/"), {"email": "Nora@Example.com", "role": "agent"})

    assert response.status_code == 201
    body = response.json()
    assert set(body) >= {"id", "email", "role", "token", "expires_at"}
    assert (body["email"], body["role"]) == ("nora@example.com", "agent")
    invitation = Invitation.objects.get(pk=body["id"])
    assert invitation.token_hash == hash_token(body["token"])  # only the hash is kept
    assert body["token"] not in invitation.token_hash
    assert 6 <= (invitation.expires_at - timezone.now()).days <= 7
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["nora@example.com"]
    assert link_in(mailoutbox[0]).endswith(f"/invitations/{body['token']}/")
    # The token is never shown again.
    assert api.get(api_url("invitations/")).json()["results"][0]["token"] is None

    api.force_authenticate(None)
    response = api.post(
        api_url("invitations/accept/"),
        {"token": body["token"], "name": "Nora", "password": NEW_PASSWORD},
    )

    assert response.status_code == 201
    member = Membership.objects.for_tenant(acme).get(user__email="nora@example.com")
    assert (member.role.key, member.status) == ("agent", "active")
    actions = set(AuditEntry.objects.for_tenant(acme).values_list("action", flat=True))
    assert {"invitation.sent", "invitation.accepted"} <= actions


def test_a_used_link_cannot_be_used_again(api, acme, ada):
    invitation, token = invite(
        tenant=acme, email="once@example.com", role=role(acme, "agent"), by=ada.user
    )
    payload = {"token": token, "name": "Once", "password": NEW_PASSWORD}
    assert api.post(api_url("invitations/accept/"), payload).status_code == 201

    again = api.post(api_url("invitations/accept/"), {**payload, "name": "Twice"})

    assert again.status_code == 403
    assert "already been used" in again.json()["detail"]
    assert User.objects.get(email="once@example.com").name == "Once"


def test_inviting_again_replaces_the_open_invitation(api, acme, ada):
    first, old_token = invite(
        tenant=acme, email="twice@example.com", role=role(acme, "agent"), by=ada.user
    )
    second, new_token = invite(
        tenant=acme, email="TWICE@example.com", role=role(acme, "customer"), by=ada.user
    )

    assert list(Invitation.objects.for_tenant(acme).open()) == [second]
    stale = api.post(
        api_url("invitations/accept/"), {"token": old_token, "name": "T", "password": NEW_PASSWORD}
    )
    assert stale.status_code == 403
    assert not User.objects.filter(email="twice@example.com").exists()
    assert AuditEntry.objects.for_tenant(acme).filter(action="invitation.revoked").count() == 1
    fresh = api.post(
        api_url("invitations/accept/"), {"token": new_token, "name": "T", "password": NEW_PASSWORD}
    )
    assert fresh.status_code == 201
    assert Membership.objects.for_tenant(acme).get(user__email="twice@example.com").role.key == (
        "customer"
    )


def test_an_expired_link_is_refused_and_changes_nothing(api, client, acme, ada):
    invitation, token = invite(
        tenant=acme, email="late@example.com", role=role(acme, "agent"), by=ada.user
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = api.post(
        api_url("invitations/accept/"), {"token": token, "name": "L", "password": NEW_PASSWORD}
    )
    page = client.get(page_url(f"invitations/{token}/"))

    assert response.status_code == 403 and "expired" in response.json()["detail"]
    assert page.status_code == 410 and "expired" in page.content.decode()
    assert not User.objects.filter(email="late@example.com").exists()


def test_an_unknown_token_is_not_found(api, client, acme):
    assert client.get(page_url("invitations/nonsense/")).status_code == 404
    response = api.post(
        api_url("invitations/accept/"), {"token": "nonsense", "name": "N", "password": "x"}
    )
    unknown = api.post(
        api_url("invitations/accept/", "no-such-helpdesk"),
        {"token": "nonsense", "name": "N", "password": "x"},
    )
    # As for a helpdesk that does not exist: a stranger learns nothing, even with no password.
    assert response.status_code == unknown.status_code == 404
    assert response.json() == unknown.json()
    empty = api.post(api_url("invitations/accept/"), {})
    assert empty.status_code == 404 and empty.json() == unknown.json()


def test_a_token_of_another_tenant_does_not_open_this_one(api, client, acme, globex, mallory):
    _invitation, token = invite(
        tenant=globex, email="g@example.com", role=role(globex, "agent"), by=mallory.user
    )
    assert client.get(page_url(f"invitations/{token}/")).status_code == 404
    response = api.post(
        api_url("invitations/accept/"), {"token": token, "name": "G", "password": NEW_PASSWORD}
    )
    assert response.status_code == 404
    assert not Membership.objects.for_tenant(acme).filter(user__email="g@example.com").exists()


def test_an_existing_user_proves_the_account_with_its_password(api, acme, ada, mallory):
    _inv, token = invite(
        tenant=acme, email=mallory.user.email, role=role(acme, "customer"), by=ada.user
    )
    wrong = api.post(
        api_url("invitations/accept/"), {"token": token, "name": "", "password": "guess"}
    )
    assert wrong.status_code == 400 and "password" in wrong.json()
    right = api.post(
        api_url("invitations/accept/"), {"token": token, "name": "", "password": PASSWORD}
    )
    assert right.status_code == 201
    assert Membership.objects.for_tenant(acme).get(user=mallory.user).role.key == "customer"


def test_an_existing_user_signs_in_and_joins_on_the_page(client, acme, ada, mallory):
    _inv, token = invite(
        tenant=acme, email=mallory.user.email, role=role(acme, "agent"), by=ada.user
    )
    page = client.get(page_url(f"invitations/{token}/"))
    assert "Sign in to accept" in page.content.decode()

    client.force_login(mallory.user)
    response = client.post(page_url(f"invitations/{token}/"))

    assert response.url == page_url("welcome/")
    assert Membership.objects.for_tenant(acme).get(user=mallory.user).is_active


def test_someone_else_signed_in_cannot_take_the_invitation(client, acme, ada, alice):
    _inv, token = invite(
        tenant=acme, email="meant@example.com", role=role(acme, "admin"), by=ada.user
    )
    client.force_login(alice.user)
    client.post(page_url(f"invitations/{token}/"))
    assert Membership.objects.for_tenant(acme).get(user=alice.user).role.key == "agent"
    assert Invitation.objects.get().accepted_at is None


def test_a_new_person_accepts_on_the_page_and_lands_on_the_welcome_page(client, acme, ada):
    _inv, token = invite(
        tenant=acme, email="newbie@example.com", role=role(acme, "agent"), by=ada.user
    )
    response = client.post(
        page_url(f"invitations/{token}/"),
        {"name": "Newbie", "password": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page_url("welcome/")
    body = response.content.decode()
    assert "Your role here: Agent." in body and "Write internal notes" in body


def test_inviting_a_member_or_a_bad_address_is_refused(api, ada, bob):
    api.force_authenticate(ada.user)
    assert (
        api.post(
            api_url("invitations/"), {"email": bob.user.email.upper(), "role": "agent"}
        ).status_code
        == 400
    )
    assert api.post(api_url("invitations/"), {"email": "nope", "role": "agent"}).status_code == 400
    assert (
        api.post(api_url("invitations/"), {"email": "a@b.test", "role": "wizard"}).status_code
        == 400
    )
    assert not Invitation.objects.exists()


def test_non_admins_cannot_invite(api, sam, alice):
    for member in (sam, alice):
        api.force_authenticate(member.user)
        assert (
            api.post(
                api_url("invitations/"), {"email": "x@example.com", "role": "admin"}
            ).status_code
            == 403
        )
    assert not Invitation.objects.exists()


def test_csv_upload_invites_everyone_or_nobody(
    client, acme, ada, acme_co, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(ada.user)
    bad = SimpleUploadedFile(
        "people.csv", b"email,role,organization\nann@example.com,agent\nben@example.com,wizard\n"
    )
    response = client.post(page_url("people/invitations/"), {"file": bad})
    assert "no role" in response.content.decode()
    assert not Invitation.objects.exists()

    good = SimpleUploadedFile(
        "people.csv",
        b"email,role,organization\nann@example.com,agent\nben@example.com,Customer,Acme Co\n",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url("people/invitations/"), {"file": good})

    assert response.status_code == 302
    invited = {i.email: (i.role.key, i.organization) for i in Invitation.objects.all()}
    assert invited == {"ann@example.com": ("agent", None), "ben@example.com": ("customer", acme_co)}
    assert sorted(m.to[0] for m in mailoutbox) == ["ann@example.com", "ben@example.com"]


def test_invitation_page_invites_one_and_withdraws(client, acme, ada):
    client.force_login(ada.user)
    client.post(page_url("people/invitations/"), {"email": "one@example.com", "role": "agent"})
    invitation = Invitation.objects.get()
    client.post(page_url(f"people/invitations/{invitation.pk}/withdraw/"))
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    assert AuditEntry.objects.for_tenant(acme).filter(action="invitation.revoked").count() == 1


def test_invitations_of_another_tenant_are_neither_listed_nor_withdrawn(
    api, client, acme, ada, globex, mallory
):
    theirs, _token = invite(
        tenant=globex, email="secret@example.com", role=role(globex, "agent"), by=mallory.user
    )
    api.force_authenticate(ada.user)
    assert api.get(api_url("invitations/")).json()["count"] == 0
    client.force_login(ada.user)
    response = client.post(page_url(f"people/invitations/{theirs.pk}/withdraw/"))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "open"
