"""calendars/ and sla-policies/ as /work/shared/API.md has them, and the tickets' SLA fields."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEntry
from tests.conftest import login_api
from tests.factories import make_ticket
from tickets.models import Calendar, SlaPolicy

from .conftest import api_ticket_url
from .sla import always_open, policy

pytestmark = pytest.mark.django_db


def url(tenant, path):
    return f"/api/v1/t/{tenant.slug}/{path}"


def test_admin_makes_a_calendar_in_the_contracts_shape(api, acme, ada):
    login_api(api, ada)
    body = {
        "name": "Tel Aviv",
        "time_zone": "Asia/Jerusalem",
        "hours": [
            {"weekday": 6, "start": "08:00", "end": "17:00"},
            {"weekday": 4, "start": "08:00", "end": "13:00"},
            {"weekday": 0, "start": "13:00", "end": "17:00"},
            {"weekday": 0, "start": "08:00", "end": "12:00"},
        ],
        "holidays": ["2027-10-11", "2027-10-02"],
    }
    response = api.post(url(acme, "calendars/"), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == {"id", "name", "time_zone", "hours", "holidays"}
    assert data["hours"] == [
        {"weekday": 0, "start": "08:00", "end": "12:00"},
        {"weekday": 0, "start": "13:00", "end": "17:00"},
        {"weekday": 4, "start": "08:00", "end": "13:00"},
        {"weekday": 6, "start": "08:00", "end": "17:00"},
    ]
    assert data["holidays"] == ["2027-10-02", "2027-10-11"]
    assert AuditEntry.objects.filter(tenant=acme, action="calendar.created").exists()

    listed = api.get(url(acme, "calendars/")).json()
    assert listed["count"] == 1 and listed["results"][0] == data

    changed = api.patch(
        url(acme, f"calendars/{data['id']}/"), {"holidays": ["2027-12-25"]}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["holidays"] == ["2027-12-25"]
    assert changed.json()["hours"] == data["hours"]  # left as it was


def test_no_hours_is_a_24_7_calendar(api, acme, ada):
    login_api(api, ada)
    response = api.post(url(acme, "calendars/"), {"name": "Always"}, format="json")
    assert response.status_code == 201
    assert response.json()["hours"] == []
    assert response.json()["time_zone"] == "UTC"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"hours": [{"weekday": 0, "start": "25:00", "end": "26:00"}]}, "hours"),
        ({"hours": [{"weekday": 0, "start": "17:00", "end": "09:00"}]}, "hours"),
        ({"hours": [{"weekday": 7, "start": "09:00", "end": "17:00"}]}, "hours"),
        ({"hours": [{"weekday": 0, "start": "9am", "end": "17:00"}]}, "hours"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"holidays": ["2027-02-30"]}, "holidays"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_calendars_are_a_400_naming_the_field(api, acme, ada, body, field):
    login_api(api, ada)
    response = api.post(url(acme, "calendars/"), {"name": "Office", **body}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Calendar.objects.for_tenant(acme).exists()


def test_a_calendar_in_use_is_not_deleted(api, acme, ada):
    calendar = always_open(acme)
    policy(acme, calendar, name="Standard")
    login_api(api, ada)
    response = api.delete(url(acme, f"calendars/{calendar.pk}/"))
    assert response.status_code == 400
    assert "Standard" in response.json()["detail"][0]
    assert Calendar.objects.filter(pk=calendar.pk).exists()


def test_admin_orders_policies_in_the_contracts_shape(api, acme, ada, billing):
    calendar = always_open(acme)
    login_api(api, ada)
    first = api.post(
        url(acme, "sla-policies/"),
        {
            "name": "Urgent",
            "calendar": calendar.pk,
            "conditions": {"priority": ["urgent"], "queue": [billing.pk]},
            "first_response_minutes": 15,
            "resolution_minutes": 240,
        },
        format="json",
    )
    assert first.status_code == 201, first.content
    data = first.json()
    assert set(data) == {
        "id",
        "name",
        "position",
        "calendar",
        "conditions",
        "first_response_minutes",
        "next_response_minutes",
        "resolution_minutes",
        "pause_when_pending",
        "warn_minutes_before",  # an extension (docs/architecture.md)
    }
    assert data["conditions"]["priority"] == ["urgent"]
    assert data["conditions"]["queue"] == [billing.pk]
    assert data["next_response_minutes"] is None
    assert data["pause_when_pending"] is True
    second = api.post(
        url(acme, "sla-policies/"), {"name": "Rest", "calendar": calendar.pk}, format="json"
    )
    assert second.json()["position"] == data["position"] + 1  # goes last

    api.patch(url(acme, f"sla-policies/{second.json()['id']}/"), {"position": 0}, format="json")
    api.patch(url(acme, f"sla-policies/{data['id']}/"), {"position": 1}, format="json")
    names = [p["name"] for p in api.get(url(acme, "sla-policies/")).json()["results"]]
    assert names == ["Rest", "Urgent"]
    assert AuditEntry.objects.filter(tenant=acme, action="sla_policy.changed").count() == 2

    assert api.delete(url(acme, f"sla-policies/{data['id']}/")).status_code == 204
    assert AuditEntry.objects.filter(tenant=acme, action="sla_policy.deleted").exists()


def test_another_tenants_ids_are_refused(api, acme, globex, ada, globex_queue):
    theirs = always_open(globex, name="Globex hours")
    login_api(api, ada)
    response = api.post(
        url(acme, "sla-policies/"), {"name": "Sneaky", "calendar": theirs.pk}, format="json"
    )
    assert response.status_code == 400 and "calendar" in response.json()
    mine = always_open(acme)
    response = api.post(
        url(acme, "sla-policies/"),
        {"name": "Sneaky", "calendar": mine.pk, "conditions": {"queue": [globex_queue.pk]}},
        format="json",
    )
    assert response.status_code == 400 and "conditions" in response.json()
    assert api.get(url(acme, f"calendars/{theirs.pk}/")).status_code == 404
    assert not SlaPolicy.objects.for_tenant(acme).exists()


@pytest.mark.parametrize(
    "body",
    [
        {"first_response_minutes": 0},
        {"first_response_minutes": -5},
        {"conditions": {"priority": ["whenever"]}},
        {"conditions": {"mood": ["grumpy"]}},
        {"conditions": {"role": ["no-such-role"]}},
        {"conditions": ["urgent"]},
    ],
)
def test_bad_policies_are_a_400(api, acme, ada, body):
    calendar = always_open(acme)
    login_api(api, ada)
    response = api.post(
        url(acme, "sla-policies/"), {"name": "P", "calendar": calendar.pk, **body}, format="json"
    )
    assert response.status_code == 400, response.content
    assert not SlaPolicy.objects.for_tenant(acme).exists()


@pytest.mark.parametrize("path", ["calendars/", "sla-policies/"])
def test_only_admins_manage_service_levels(api, acme, sam, alice, bob, mallory, path):
    for member in (sam, alice, bob):
        login_api(api, member)
        response = api.get(url(acme, path))
        assert response.status_code == 403
        assert response.json()["detail"]
    login_api(api, mallory)
    assert api.get(url(acme, path)).status_code == 404  # another tenant's admin


def test_the_dry_run_shows_the_policy_and_due_times(api, acme, ada, bob, billing):
    ticket = make_ticket(acme, bob.user, billing)  # opened before any policy
    standard = policy(acme, always_open(acme), resolution_minutes=120)
    login_api(api, ada)

    response = api.get(url(acme, "sla-policies/test/"), {"ticket": ticket.pk})

    assert response.status_code == 200
    data = response.json()
    assert data["policy"] == standard.pk and data["policy_name"] == "Standard"
    due = timezone.datetime.fromisoformat(data["resolution_due_at"])
    assert due == ticket.created_at + timedelta(minutes=120)
    ticket.refresh_from_db()
    assert ticket.resolution_due_at is None  # a dry run writes nothing


@pytest.mark.parametrize("value", ["", "abc", "0", "99999999999999999999"])
def test_the_dry_run_needs_a_ticket_of_this_helpdesk(api, acme, ada, value):
    login_api(api, ada)
    response = api.get(url(acme, "sla-policies/test/"), {"ticket": value})
    assert response.status_code == 400
    assert "ticket" in response.json()


def test_the_dry_run_refuses_another_tenants_ticket(api, acme, ada, globex_ticket):
    login_api(api, ada)
    response = api.get(url(acme, "sla-policies/test/"), {"ticket": globex_ticket.pk})
    assert response.status_code == 400


def test_staff_see_due_times_on_tickets_and_customers_do_not(api, acme, alice, bob, billing):
    policy(acme, always_open(acme), first_response_minutes=60)
    ticket = make_ticket(acme, bob.user, billing, at=timezone.now() - timedelta(hours=2))

    login_api(api, alice)
    staff_view = api.get(api_ticket_url(ticket)).json()
    listed = api.get(url(acme, "tickets/")).json()["results"][0]
    assert staff_view["first_response_due_at"] is not None
    assert staff_view["next_response_due_at"] is None
    assert staff_view["sla_breached"] == ["first_response"]
    assert listed["sla_breached"] == ["first_response"]
    assert listed["resolution_due_at"] == staff_view["resolution_due_at"]

    login_api(api, bob)
    own_view = api.get(api_ticket_url(ticket)).json()
    own_listed = api.get(url(acme, "tickets/")).json()["results"][0]
    for seen in (own_view, own_listed):
        assert seen["first_response_due_at"] is None
        assert seen["resolution_due_at"] is None
        assert seen["sla_breached"] == []


def test_the_warning_lead_time_is_set_and_checked(api, acme, ada):
    standard = policy(acme, always_open(acme))
    assert standard.warn_minutes_before == 30  # the default
    login_api(api, ada)
    bad = api.patch(url(acme, f"sla-policies/{standard.pk}/"), {"warn_minutes_before": -5})
    assert bad.status_code == 400 and "warn_minutes_before" in bad.json()
    good = api.patch(url(acme, f"sla-policies/{standard.pk}/"), {"warn_minutes_before": 15})
    assert good.status_code == 200 and good.json()["warn_minutes_before"] == 15
    assert SlaPolicy.objects.get(pk=standard.pk).warn_minutes_before == 15
    entry = AuditEntry.objects.filter(action="sla_policy.changed").latest("pk")
    assert entry.after["warn_minutes_before"] == 15
