"""Admins choose each role's guides; newcomers acknowledge them; late people show up."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import Membership
from knowledge.models import OnboardingChecklist, onboarding_overview, onboarding_status
from knowledge.services import set_onboarding_checklist

from .conftest import write

pytestmark = pytest.mark.django_db


@pytest.fixture
def guides(acme, sam, ada, alice):
    handbook = write(acme, "Agent handbook", "staff", by=sam.user)
    triage = write(acme, "Triage rules", "staff", by=sam.user)
    set_onboarding_checklist(
        tenant=acme,
        role=alice.role,
        articles=[handbook, triage],
        due_within_days=7,
        by=ada.user,
    )
    return handbook, triage


def checklist_html(member):
    return render_to_string(
        "knowledge/_welcome_checklist.html",
        {
            "membership": member,
            "tenant": member.tenant,
            "request": RequestFactory().get("/"),
        },
    )


def test_admin_sets_the_checklist_on_the_onboarding_page(client, acme, ada, alice, sam):
    guide = write(acme, "Agent handbook", "staff", by=sam.user)
    client.force_login(ada.user)
    response = client.post(
        f"/t/acme/onboarding/{alice.role.pk}/",
        {
            f"role{alice.role.pk}-due_within_days": 10,
            f"role{alice.role.pk}-articles": [guide.pk],
        },
    )
    assert response.status_code == 302
    status = onboarding_status(alice, now=timezone.now())
    assert [a.title for a in status.articles] == ["Agent handbook"]
    assert status.checklist.due_within_days == 10


def test_new_agent_reads_both_guides_and_completes(client, alice, guides):
    handbook, triage = guides
    assert "0 of 2 guides read" in checklist_html(alice)

    client.force_login(alice.user)
    client.post(f"/t/acme/kb/{handbook.slug}/acknowledge/")
    html = checklist_html(alice)
    assert "1 of 2 guides read" in html

    client.post(f"/t/acme/kb/{triage.slug}/acknowledge/")
    client.post(f"/t/acme/kb/{triage.slug}/acknowledge/")  # twice is still once
    status = onboarding_status(alice, now=timezone.now())
    assert status.is_complete and status.done == 2
    assert "Completed" in checklist_html(alice)


def test_admin_sees_who_is_late(client, ada, alice, olga, guides):
    month_ago = timezone.now() - timedelta(days=30)
    OnboardingChecklist.objects.update(created_at=month_ago)
    Membership.objects.filter(pk=olga.pk).update(joined_at=month_ago)
    client.force_login(ada.user)
    page = client.get("/t/acme/onboarding/").content.decode()
    assert "1 person is late." in page
    overview = {s.member.user.email: s for s in onboarding_overview(ada.tenant, now=timezone.now())}
    assert overview["olga@acme.test"].is_late
    assert not overview["alice@acme.test"].is_late


def test_people_who_joined_before_the_checklist_get_its_days_from_now(olga, guides):
    Membership.objects.filter(pk=olga.pk).update(joined_at=timezone.now() - timedelta(days=300))
    olga.refresh_from_db()
    status = onboarding_status(olga, now=timezone.now())
    assert not status.is_late
    assert status.due_at > timezone.now() + timedelta(days=6)
    assert onboarding_status(olga, now=timezone.now() + timedelta(days=8)).is_late


def test_customers_have_no_checklist_and_agents_cannot_open_onboarding(client, bob, alice, guides):
    assert checklist_html(bob).strip() == ""
    client.force_login(alice.user)
    assert client.get("/t/acme/onboarding/").status_code == 403


def test_checklist_needs_no_more_than_three_queries(alice, guides, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        checklist_html(alice)
