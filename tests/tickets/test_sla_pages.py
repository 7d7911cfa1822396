"""The service-level settings pages: calendars, holidays, policies and the dry run."""

from datetime import date

import pytest

from accounts.models import AuditEntry
from tests.factories import make_ticket
from tickets.models import Calendar, SlaPolicy

from .sla import always_open, policy

pytestmark = pytest.mark.django_db

PAGE = "/t/acme/settings/service-levels/"


def test_admin_sets_up_israels_week_and_holidays(client, acme, ada):
    client.force_login(ada.user)
    response = client.post(
        PAGE, {"new_calendar": "1", "name": "Tel Aviv", "time_zone": "Asia/Jerusalem"}
    )
    calendar = Calendar.objects.for_tenant(acme).get()
    assert response.status_code == 302
    edit = f"{PAGE}calendars/{calendar.pk}/"
    hours = {f"hours_{day}": "08:00-12:00, 12:30-17:00" for day in (6, 0, 1, 2, 3)}
    response = client.post(
        edit,
        {
            "name": "Tel Aviv",
            "time_zone": "Asia/Jerusalem",
            **hours,
            "hours_4": "08:00-13:00",
            "hours_5": "",
            "holidays": "2027-05-12 Independence Day",
        },
    )
    assert response.status_code == 302
    calendar.refresh_from_db()
    assert {"weekday": 4, "start": "08:00", "end": "13:00"} in calendar.hours
    assert {"weekday": 6, "start": "12:30", "end": "17:00"} in calendar.hours
    assert not [h for h in calendar.hours if h["weekday"] == 5]

    response = client.post(f"{edit}holidays/", {"country": "IL", "year": "2027"})
    assert response.status_code == 302
    assert calendar.holidays.filter(date=date(2027, 10, 11)).exists()  # Yom Kippur
    page = client.get(edit).content.decode()
    assert "2027-10-11 Yom Kippur" in page
    assert AuditEntry.objects.filter(action="calendar.holidays_loaded").exists()


@pytest.mark.parametrize("hours", ["25:00-26:00", "17:00-09:00", "nine to five"])
def test_bad_hours_are_a_form_error(client, acme, ada, hours):
    calendar = always_open(acme)
    client.force_login(ada.user)
    response = client.post(
        f"{PAGE}calendars/{calendar.pk}/",
        {"name": "24/7", "time_zone": "UTC", "hours_0": hours, "holidays": ""},
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode() or "errorlist" in response.content.decode()
    calendar.refresh_from_db()
    assert calendar.hours == []


def test_admin_adds_a_policy_and_tests_a_ticket(client, acme, ada, bob, billing):
    calendar = always_open(acme)
    ticket = make_ticket(acme, bob.user, billing, priority="urgent")
    client.force_login(ada.user)
    response = client.post(
        PAGE,
        {
            "new_policy": "1",
            "name": "Urgent",
            "calendar": calendar.pk,
            "priority": ["urgent"],
            "queue": [billing.pk],
            "first_response_minutes": "15",
            "resolution_minutes": "240",
            "pause_when_pending": "on",
        },
    )
    assert response.status_code == 302
    created = SlaPolicy.objects.for_tenant(acme).get()
    assert created.conditions == {"priority": ["urgent"], "queue": [billing.pk]}

    page = client.get(PAGE, {"ticket": ticket.number}).content.decode()
    assert "Policy: Urgent" in page
    missing = client.get(PAGE, {"ticket": "999"}).content.decode()
    assert "There is no such ticket in this helpdesk." in missing


def test_a_calendar_in_use_stays(client, acme, ada):
    calendar = always_open(acme)
    policy(acme, calendar)
    client.force_login(ada.user)
    response = client.post(f"{PAGE}calendars/{calendar.pk}/delete/", follow=True)
    assert "These policies use this calendar" in response.content.decode()
    assert Calendar.objects.filter(pk=calendar.pk).exists()


def test_policies_are_edited_and_deleted(client, acme, ada):
    standard = policy(acme, always_open(acme))
    client.force_login(ada.user)
    response = client.post(
        f"{PAGE}policies/{standard.pk}/",
        {
            "name": "Gold",
            "position": "3",
            "calendar": standard.calendar_id,
            "resolution_minutes": "90",
        },
    )
    assert response.status_code == 302
    standard.refresh_from_db()
    assert (standard.name, standard.position, standard.resolution_minutes) == ("Gold", 3, 90)
    assert standard.pause_when_pending is False  # the box was left unticked
    client.post(f"{PAGE}policies/{standard.pk}/delete/")
    assert not SlaPolicy.objects.filter(pk=standard.pk).exists()


def test_only_admins_reach_the_pages(client, acme, sam, alice):
    for member in (sam, alice):
        client.force_login(member.user)
        assert client.get(PAGE).status_code == 403
