"""Articles not reviewed for the tenant's period are flagged and their owners reminded once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from knowledge.models import Article, KnowledgeSettings
from knowledge.tasks import remind_stale_articles_task
from tests.conftest import wait_for

pytestmark = pytest.mark.django_db


def age(article, days):
    Article.objects.filter(pk=article.pk).update(reviewed_at=timezone.now() - timedelta(days=days))


def test_the_job_reminds_the_owner_once_per_period(acme, public_article, mailoutbox):
    KnowledgeSettings.objects.update_or_create(tenant=acme, defaults={"stale_after_days": 30})
    age(public_article, 31)

    assert remind_stale_articles_task.delay().get() == 1
    assert remind_stale_articles_task.delay().get() == 0  # run twice: still one reminder

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["sam@acme.test"]
    assert "Refund basics" in mailoutbox[0].subject
    assert f"/t/acme/kb/manage/{public_article.pk}/edit/" in mailoutbox[0].body


def test_fresh_articles_and_other_periods_are_left_alone(acme, public_article, mailoutbox):
    KnowledgeSettings.objects.update_or_create(tenant=acme, defaults={"stale_after_days": 60})
    age(public_article, 31)
    remind_stale_articles_task.delay()
    assert mailoutbox == []


def test_a_new_period_brings_a_new_reminder(acme, public_article, mailoutbox):
    KnowledgeSettings.objects.update_or_create(tenant=acme, defaults={"stale_after_days": 30})
    age(public_article, 100)
    remind_stale_articles_task.delay()
    Article.objects.filter(pk=public_article.pk).update(
        stale_reminded_at=timezone.now() - timedelta(days=31)
    )
    remind_stale_articles_task.delay()
    assert len(mailoutbox) == 2


def test_manage_page_flags_stale_and_review_clears_it(client, acme, sam, public_article):
    age(public_article, 400)
    client.force_login(sam.user)
    page = client.get("/t/acme/kb/manage/").content.decode()
    assert "Stale</span>" in page

    client.post(f"/t/acme/kb/manage/{public_article.pk}/reviewed/")

    page = client.get("/t/acme/kb/manage/").content.decode()
    assert "Stale</span>" not in page


def test_tenant_sets_the_period(client, acme, ada):
    client.force_login(ada.user)
    client.post("/t/acme/kb/manage/settings/", {"stale_after_days": 45})
    assert KnowledgeSettings.objects.get(tenant=acme).stale_after_days == 45


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_reminder_travels_through_a_real_worker(real_worker, acme, public_article, mailoutbox):
    KnowledgeSettings.objects.update_or_create(tenant=acme, defaults={"stale_after_days": 30})
    age(public_article, 31)

    remind_stale_articles_task.delay()

    wait_for(lambda: len(mailoutbox) == 1)
    assert mailoutbox[0].to == ["sam@acme.test"]
    public_article.refresh_from_db()
    assert public_article.stale_reminded_at is not None
