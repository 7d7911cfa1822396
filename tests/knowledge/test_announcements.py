"""Admins publish to everyone or to roles; a banner shows until read; admins see who read."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from knowledge.models import Announcement, AnnouncementRead
from knowledge.services import publish_announcement

pytestmark = pytest.mark.django_db


@pytest.fixture
def for_agents(acme, ada, alice):
    return publish_announcement(
        tenant=acme,
        by=ada.user,
        title="New refund limit",
        body="€200.",
        audience="roles",
        roles=[alice.role],
    )


def banner(member):
    request = RequestFactory().get("/t/acme/kb/")
    return render_to_string(
        "knowledge/_banner.html",
        {
            "tenant": member.tenant if member else None,
            "membership": member,
            "request": request,
        },
    )


def test_role_announcement_reaches_agents_only(client, alice, bob, for_agents):
    assert "New refund limit" in banner(alice)
    assert "New refund limit" not in banner(bob)
    client.force_login(bob.user)
    assert "New refund limit" not in client.get("/t/acme/news/").content.decode()
    assert client.post(f"/t/acme/news/{for_agents.pk}/read/").status_code == 404


def test_agent_dismisses_the_banner_and_admin_sees_who_read(client, ada, alice, olga, for_agents):
    client.force_login(alice.user)
    page = client.get("/t/acme/kb/").content.decode()
    assert "Read the announcement" in page

    client.post(f"/t/acme/news/{for_agents.pk}/read/", {"next": "/t/acme/kb/"})

    assert "Read the announcement" not in client.get("/t/acme/kb/").content.decode()
    client.force_login(ada.user)
    page = client.get(f"/t/acme/news/{for_agents.pk}/readers/").content.decode()
    assert "1 of 2 have read it." in page  # alice has, olga has not


def test_admin_publishes_by_email_to_everyone(
    client, ada, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(ada.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/t/acme/news/",
            {
                "title": "Office closed Friday",
                "body": "See you Monday.",
                "audience": "everyone",
                "send_email": "on",
            },
        )
    announcement = Announcement.objects.get()
    assert announcement.emailed_at is not None
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["ada@acme.test", "alice@acme.test", "bob@acme.test"]
    )


def test_email_job_sends_once(acme, ada, alice, mailoutbox):
    from knowledge.tasks import email_announcement_task

    announcement = publish_announcement(tenant=acme, by=ada.user, title="Hi", body="Hello")
    email_announcement_task.delay(announcement.pk)
    email_announcement_task.delay(announcement.pk)
    assert len(mailoutbox) == 2  # ada and alice, once each


def test_non_admins_cannot_publish(client, sam, api):
    client.force_login(sam.user)
    client.post("/t/acme/news/", {"title": "x", "body": "y", "audience": "everyone"})
    assert not Announcement.objects.exists()
    api.force_authenticate(sam.user)
    response = api.post(
        "/api/v1/t/acme/announcements/",
        {"title": "x", "body": "y", "audience": "everyone"},
    )
    assert response.status_code == 403
    assert "publish announcements" in response.json()["detail"]


def test_api_lists_and_marks_read(api, alice, bob, for_agents):
    api.force_authenticate(alice.user)
    listed = api.get("/api/v1/t/acme/announcements/").json()["results"]
    assert [(a["title"], a["is_read"]) for a in listed] == [("New refund limit", False)]
    response = api.post(f"/api/v1/t/acme/announcements/{for_agents.pk}/read/")
    assert response.json()["is_read"] is True
    assert AnnouncementRead.objects.filter(membership=alice).count() == 1
    api.force_authenticate(bob.user)
    assert api.get("/api/v1/t/acme/announcements/").json()["count"] == 0
    assert api.post(f"/api/v1/t/acme/announcements/{for_agents.pk}/read/").status_code == 404


def test_banner_costs_one_query_and_nothing_without_a_member(
    alice, for_agents, django_assert_num_queries
):
    with django_assert_num_queries(1):
        banner(alice)
    with django_assert_num_queries(0):
        assert banner(None).strip() == ""
