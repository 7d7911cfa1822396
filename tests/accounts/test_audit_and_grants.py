"""The audit log (append-only, read-only API) and queue grants that end by themselves."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.access import decide
from accounts.audit_words import ACTIONS as AUDIT_WORDS
from accounts.models import AuditEntry
from tickets.models import QueueGrant
from tickets.tasks import expire_grants_task

from .conftest import api_url, page_url


def test_audit_log_api_lists_who_what_when_before_after(api, acme, ada, alice):
    api.force_authenticate(ada.user)
    api.patch(api_url(f"users/{alice.user_id}/"), {"role": "supervisor"})

    entries = api.get(api_url("audit-log/"), {"action": "membership.role_changed"}).json()

    assert entries["count"] == 1
    entry = entries["results"][0]
    assert entry["actor"] == ada.user.email
    assert (entry["before"], entry["after"]) == ({"role": "agent"}, {"role": "supervisor"})
    assert entry["created_at"].endswith(("+00:00", "Z"))


@pytest.mark.parametrize("method", ["put", "patch", "delete", "post"])
def test_no_api_can_edit_or_delete_an_entry(api, acme, ada, method):
    api.force_authenticate(ada.user)
    entry = AuditEntry.objects.for_tenant(acme).first()
    for url in (api_url("audit-log/"), api_url(f"audit-log/{entry.pk}/")):
        response = getattr(api, method)(url, {"action": "forged"})
        assert response.status_code in (404, 405)
    entry.refresh_from_db()
    assert entry.action == "membership.created"
    with pytest.raises(PermissionError):
        AuditEntry.objects.for_tenant(acme).update(action="forged")
    with pytest.raises(PermissionError):
        entry.delete()


def test_audit_log_filters_by_actor_and_date(api, acme, ada, alice):
    api.force_authenticate(ada.user)
    api.patch(api_url(f"users/{alice.user_id}/"), {"role": "supervisor"})
    by_ada = api.get(api_url("audit-log/"), {"actor": ada.user.email}).json()
    assert by_ada["count"] == 1
    today = timezone.localdate().isoformat()
    assert api.get(api_url("audit-log/"), {"from": today}).json()["count"] >= 3
    assert api.get(api_url("audit-log/"), {"to": "2000-01-01"}).json()["count"] == 0
    assert api.get(api_url("audit-log/"), {"from": "yesterday"}).status_code == 400


def test_only_admins_read_the_audit_log(api, client, sam, alice):
    api.force_authenticate(sam.user)
    assert api.get(api_url("audit-log/")).status_code == 403
    client.force_login(alice.user)
    assert client.get(page_url("audit-log/")).status_code == 403


def test_audit_log_page_filters(client, acme, ada, alice):
    client.force_login(ada.user)
    client.post(
        page_url(f"people/{alice.user_id}/change/"),
        {"role": alice.role.pk, "organization": "", "status": "deactivated", "confirm": "yes"},
    )
    body = client.get(page_url("audit-log/"), {"action": "membership"}).content.decode()
    assert ">deactivated</td>" in body and ">joined</td>" in body  # said in words
    body = client.get(page_url("audit-log/"), {"action": "role"}).content.decode()
    assert ">deactivated</td>" not in body
    # A bad date is named, and the other filters still apply.
    body = client.get(
        page_url("audit-log/"), {"action": "role", "date_from": "2026-99-01"}
    ).content.decode()
    assert "Enter a valid date." in body and ">deactivated</td>" not in body


def test_every_action_the_code_records_is_said_in_words():
    recorded = set()
    base = Path(settings.BASE_DIR)
    # The apps' modules, and those of the packages that split one (services, views, api).
    packages = ("services", "views", "api")
    for path in [*base.glob("*/*.py"), *(p for d in packages for p in base.glob(f"*/{d}/*.py"))]:
        text = path.read_text()
        recorded |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
        recorded |= set(re.findall(r'else "([a-z_]+\.[a-z_]+)"', text))
        recorded |= set(re.findall(r'"(membership\.[a-z_]+)"', text))
    recorded.discard("membership.user")  # a lookup, not an action
    assert recorded and recorded <= set(AUDIT_WORDS), recorded - set(AUDIT_WORDS)


def test_before_and_after_are_shown_in_words(client, acme, ada):
    from accounts.services import update_tenant_settings

    update_tenant_settings(tenant=acme, by=ada.user, agents_work_all_queues=True)
    client.force_login(ada.user)

    body = client.get(page_url("audit-log/"), {"action": "tenant"}).content.decode()

    assert "agents work every queue: <bdi>no</bdi>" in body
    assert "agents work every queue: <bdi>yes</bdi>" in body
    assert "agents_work_all_queues" not in body


def test_every_field_the_code_records_is_said_in_words():
    from accounts.audit_words import FIELDS
    from accounts.services import TENANT_SETTINGS

    recorded = set(TENANT_SETTINGS)
    base = Path(settings.BASE_DIR)
    for path in [*base.glob("*/services.py"), *base.glob("*/services/*.py")]:
        text = path.read_text()
        # Keys of the dicts written as before/after: literals in record_audit() calls and
        # the *_state() snapshots.
        for block in re.findall(r"record_audit\((.*?)\n\s+\)\n", text, re.S):
            recorded |= set(re.findall(r'"([a-z_]+)": ', block))
        for block in re.findall(r"def _\w+_state\(.*?\n\n", text, re.S):
            recorded |= set(re.findall(r'"([a-z_]+)": ', block))
        recorded |= set(re.findall(r'before = \{"([a-z_]+)"', text))
    assert {"role", "requires_approval", "permissions"} <= recorded
    assert recorded <= set(FIELDS), recorded - set(FIELDS)


def test_the_audit_log_of_another_tenant_is_never_shown(api, ada, mallory):
    api.force_authenticate(ada.user)
    emails = {e["target_repr"] for e in api.get(api_url("audit-log/")).json()["results"]}
    assert not any("Mallory" in e for e in emails)


# --- Grants with an expiry ------------------------------------------------------------------


def test_admin_grants_a_queue_until_a_date_on_the_person_page(
    client, acme, ada, olga, billing, acme_ticket
):
    client.force_login(ada.user)
    until = (timezone.localdate() + timedelta(days=3)).isoformat()

    client.post(
        page_url(f"people/{olga.user_id}/queues/"), {"queue": billing.pk, "expires_on": until}
    )

    grant = QueueGrant.objects.get(user=olga.user, queue=billing)
    assert grant.expires_at.date().isoformat() == until
    assert decide(olga, "view_ticket", acme_ticket).allowed
    body = client.get(page_url(f"people/{olga.user_id}/")).content.decode()
    assert "Billing" in body and "until" in body

    client.post(page_url(f"people/{olga.user_id}/queues/"), {"queue": billing.pk, "revoke": "1"})
    assert not QueueGrant.objects.filter(user=olga.user, queue=billing).exists()
    assert not decide(olga, "view_ticket", acme_ticket).allowed


def test_a_grant_in_the_past_is_refused(client, ada, olga, billing):
    client.force_login(ada.user)
    client.post(
        page_url(f"people/{olga.user_id}/queues/"),
        {"queue": billing.pk, "expires_on": "2001-01-01"},
    )
    assert not QueueGrant.objects.filter(user=olga.user).exists()


def test_a_customer_is_offered_no_queue_and_a_grant_is_refused(client, ada, bob, billing):
    client.force_login(ada.user)
    assert "Grant queue" not in client.get(page_url(f"people/{bob.user_id}/")).content.decode()

    response = client.post(
        page_url(f"people/{bob.user_id}/queues/"), {"queue": billing.pk}, follow=True
    )

    assert "customers do not work queues" in response.content.decode()
    assert not QueueGrant.objects.filter(user=bob.user).exists()


def test_an_expired_grant_ends_by_itself_and_is_logged(acme, ada, olga, billing, acme_ticket):
    from tickets.services import grant_queue

    grant_queue(
        queue=billing, user=olga.user, by=ada.user, expires_at=timezone.now() + timedelta(days=1)
    )
    assert decide(olga, "view_ticket", acme_ticket).allowed
    QueueGrant.objects.filter(user=olga.user).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    ended = expire_grants_task.delay().get()

    assert ended == 1
    assert not decide(olga, "view_ticket", acme_ticket).allowed
    entry = AuditEntry.objects.for_tenant(acme).get(action="grant.expired")
    assert entry.actor is None and entry.before["user"] == olga.user.email
    assert expire_grants_task.delay().get() == 0  # safe to run twice


def test_grants_of_another_tenant_cannot_be_touched(client, ada, mallory, globex_queue):
    client.force_login(ada.user)
    response = client.post(
        page_url(f"people/{mallory.user_id}/queues/"), {"queue": globex_queue.pk}
    )
    assert response.status_code == 404
    assert not QueueGrant.objects.filter(user=ada.user).exists()
