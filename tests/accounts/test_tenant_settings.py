"""Admins set how their helpdesk works; pages follow its time zone."""

from datetime import UTC, datetime

from accounts.models import AuditEntry, Tenant
from tickets.services import add_comment


def test_admin_sets_time_zone_and_pages_show_local_times(client, acme, ada, alice, acme_ticket):
    client.force_login(ada.user)
    response = client.post(
        "/t/acme/settings/",
        {"name": "Acme Support", "time_zone": "Asia/Jerusalem", "agents_work_all_queues": "on"},
    )
    assert response.status_code == 302
    acme.refresh_from_db()
    assert (acme.name, acme.time_zone, acme.agents_work_all_queues) == (
        "Acme Support",
        "Asia/Jerusalem",
        True,
    )
    entry = AuditEntry.objects.for_tenant(acme).get(action="tenant.settings_changed")
    assert entry.before["time_zone"] == "UTC" and entry.after["time_zone"] == "Asia/Jerusalem"
    assert entry.actor == ada.user

    # 22:30 UTC on 1 March is 00:30 on 2 March in Jerusalem (UTC+2 in winter).
    add_comment(
        ticket=acme_ticket,
        author=alice.user,
        body="On it",
        at=datetime(2026, 3, 1, 22, 30, tzinfo=UTC),
    )
    response = client.get(f"/api/v1/t/acme/tickets/{acme_ticket.pk}/")
    assert response.json()["first_response_at"].startswith("2026-03-02T00:30:00+02:00")


def test_unknown_time_zone_is_a_form_error_and_nothing_changes(client, acme, ada):
    client.force_login(ada.user)
    response = client.post("/t/acme/settings/", {"name": "X", "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Tenant.objects.get(pk=acme.pk).name == "Acme"
    assert not AuditEntry.objects.for_tenant(acme).filter(action="tenant.settings_changed").exists()


def test_supervisor_may_not_change_settings_and_is_told_why(client, sam):
    client.force_login(sam.user)
    response = client.get("/t/acme/settings/")
    assert response.status_code == 403
    assert "does not allow you to change the helpdesk&#39;s settings" in response.content.decode()


def test_time_zones_are_offered_by_city_and_a_helpdesk_keeps_its_old_alias(client, acme, ada):
    client.force_login(ada.user)
    page = client.get("/t/acme/settings/").content.decode()
    assert '<option value="Europe/Paris"' in page and '<option value="UTC" selected' in page
    assert 'value="US/Eastern"' not in page and 'value="EST5EDT"' not in page

    Tenant.objects.filter(pk=acme.pk).update(time_zone="US/Eastern")
    page = client.get("/t/acme/settings/").content.decode()
    assert '<option value="US/Eastern" selected' in page
    response = client.post("/t/acme/settings/", {"name": "Acme", "time_zone": "US/Eastern"})
    assert response.status_code == 302
