"""Admins publish to everyone or to roles; a banner shows until read; admins see who read."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from knowledge.models import Announcement, AnnouncementRead
from knowledge.services import mark_announcement_read, publish_announcement

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


def test_banner_costs_one_query_then_none_and_nothing_without_a_member(
    alice, for_agents, django_assert_num_queries
):
    with django_assert_num_queries(1):
        banner(alice)
    with django_assert_num_queries(0):  # kept until the tenant's announcements change
        assert "New refund limit" in banner(alice)
    with django_assert_num_queries(0):
        assert banner(None).strip() == ""


def test_kept_banner_follows_every_change(acme, ada, alice, olga, bob, sam, for_agents):
    """What a banner shows is kept per member and role, and any change is seen at once."""
    assert "New refund limit" in banner(alice) and "New refund limit" in banner(olga)
    assert "New refund limit" not in banner(bob)  # another member's kept answer is their own
    newer = publish_announcement(tenant=acme, by=ada.user, title="Office closed", body="Fri.")
    assert "Office closed" in banner(alice) and "Office closed" in banner(bob)
    mark_announcement_read(announcement=newer, membership=alice)
    assert "New refund limit" in banner(alice)
    assert "Office closed" in banner(bob)  # someone else's reading changes nothing for bob
    mark_announcement_read(announcement=for_agents, membership=alice)
    assert banner(alice).strip() == ""
    # The audience changes: olga's agents are no longer in it.
    for_agents.roles.set([sam.role])
    mark_announcement_read(announcement=newer, membership=olga)
    mark_announcement_read(announcement=newer, membership=sam)
    assert banner(olga).strip() == ""
    assert "New refund limit" in banner(sam)
    # A new role for a member: the answer kept for the old one is not read.
    olga.role = sam.role
    olga.save(update_fields=["role"])
    assert "New refund limit" in banner(olga)
    # The title changed: shown as it is now.
    for_agents.title = "Refund limit raised"
    for_agents.save(update_fields=["title"])
    assert "Refund limit raised" in banner(olga)
    for_agents.delete()
    assert banner(olga).strip() == ""


def test_kept_banner_stays_in_its_helpdesk(acme, ada, alice, mallory, for_agents):
    from tests.factories import make_member

    other = make_member(mallory.tenant, "alice@acme.test", "agent")  # the same person
    assert "New refund limit" in banner(alice)
    assert banner(other).strip() == ""
