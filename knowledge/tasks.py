"""Celery entry points of knowledge: ids in, one service call, safe to run twice."""

from celery import shared_task

from accounts.models import Tenant

from . import services
from .models import Announcement


@shared_task
def remind_stale_articles_task() -> int:
    return services.remind_stale_articles()


@shared_task
def email_announcement_task(announcement_id: int) -> int:
    announcement = Announcement.objects.select_related("tenant").filter(pk=announcement_id).first()
    if announcement is None:  # deleted after it was queued; nothing to send
        return 0
    return services.email_announcement(announcement=announcement)


@shared_task
def send_monthly_digests_task() -> int:
    return sum(services.send_monthly_digest(tenant=t) for t in Tenant.objects.all())


@shared_task
def send_weekly_wins_task() -> int:
    return sum(services.send_weekly_wins(tenant=t) for t in Tenant.objects.all())
