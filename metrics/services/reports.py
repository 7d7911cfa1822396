"""Report subscriptions, and the report e-mails sent once per period."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import Membership, Tenant, User
from core.mail import subject_line

from ..models import ReportSubscription
from .days import local_today


def subscribe_to_report(*, tenant: Tenant, user: User, frequency: str) -> ReportSubscription:
    subscription, _created = ReportSubscription.objects.get_or_create(
        tenant=tenant, user=user, frequency=frequency
    )
    return subscription


def unsubscribe_from_report(*, tenant: Tenant, user: User, frequency: str) -> None:
    ReportSubscription.objects.for_tenant(tenant).filter(user=user, frequency=frequency).delete()


def report_period(frequency: str, today: date) -> tuple[date, date]:
    """The last complete week (Monday to Sunday) or month before ``today``."""
    if frequency == ReportSubscription.Frequency.MONTHLY:
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    end = today - timedelta(days=today.weekday() + 1)
    return end - timedelta(days=6), end


def send_reports(*, frequency: str) -> int:
    """Send each subscriber the report of the last complete period, once per period."""
    from ..queries import headline

    sent = 0
    for subscription in ReportSubscription.objects.due(frequency):
        tenant = subscription.tenant
        start, end = report_period(frequency, local_today(tenant))
        with transaction.atomic():
            locked = ReportSubscription.objects.select_for_update().get(pk=subscription.pk)
            if locked.last_period_start is not None and locked.last_period_start >= start:
                continue  # already sent for this period
            member = Membership.objects.for_tenant(tenant).filter(user=locked.user).first()
            if member is None or not member.is_active:
                continue
            figures = headline(tenant, start, end)
            url = settings.SITE_URL + reverse("metrics:dashboard", args=[tenant.slug])
            with translation.override(locked.user.language or settings.LANGUAGE_CODE):
                context = {
                    "tenant": tenant,
                    "start": start,
                    "end": end,
                    "figures": figures,
                    "url": f"{url}?from={start}&to={end}",
                    "frequency": locked.get_frequency_display(),
                }
                subject = render_to_string("metrics/email/report_subject.txt", context).strip()
                body = render_to_string("metrics/email/report.txt", context)
            send_mail(subject_line(subject), body, settings.DEFAULT_FROM_EMAIL, [locked.user.email])
            locked.last_period_start = start
            locked.save(update_fields=["last_period_start"])
            sent += 1
    return sent
