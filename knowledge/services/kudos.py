"""Kudos: thank-you notes, and the periodic e-mails to the team (monthly digest, weekly
wins)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can, ensure
from accounts.models import Membership, Tenant
from core.mail import subject_line
from tickets.models import Ticket

from ..models import (
    Article,
    Deflection,
    DigestSent,
    ThankYouNote,
    kudos_ratings,
)
from .base import KnowledgeError


def thank_agent(*, by: Membership, agent: Membership, message: str) -> ThankYouNote:
    ensure(by, "thank_agents")
    if agent.tenant_id != by.tenant_id or not can(agent, "work_tickets"):
        raise KnowledgeError(_("Thank-you notes go to agents of this helpdesk."))
    if agent.user_id == by.user_id:
        raise KnowledgeError(_("You cannot thank yourself."))
    return ThankYouNote.objects.create(
        tenant_id=by.tenant_id, from_user=by.user, to_user=agent.user, message=message
    )


# ---------------------------------------------------------------- digests


def _staff_emails(tenant: Tenant) -> list[str]:
    return list(
        Membership.objects.for_tenant(tenant)
        .active()
        .staff()
        .values_list("user__email", flat=True)
        .order_by("user__email")
    )


def _claim_digest(tenant: Tenant, kind: str, period_start: date) -> bool:
    try:
        with transaction.atomic():
            DigestSent.objects.create(tenant=tenant, kind=kind, period_start=period_start)
    except IntegrityError:
        return False
    return True


def _month_bounds(day: date) -> tuple[date, date]:
    """The calendar month before the one containing ``day``."""
    end = day.replace(day=1)
    start = (end - timedelta(days=1)).replace(day=1)
    return start, end


def send_monthly_digest(*, tenant: Tenant, today: date | None = None) -> bool:
    """Last month in a few lines for the tenant's staff: once per month."""
    start, end = _month_bounds(today or timezone.localdate())
    recipients = _staff_emails(tenant)
    if not recipients or not _claim_digest(tenant, DigestSent.Kind.MONTHLY, start):
        return False
    in_month = {"created_at__date__gte": start, "created_at__date__lt": end}
    tickets = Ticket.objects.for_tenant(tenant)
    context = {
        "tenant": tenant,
        "month": start,
        "articles": list(
            Article.objects.for_tenant(tenant).filter(**in_month).order_by("title")[:20]
        ),
        "people": list(
            Membership.objects.for_tenant(tenant)
            .active()
            .filter(joined_at__date__gte=start, joined_at__date__lt=end)
            .select_related("user", "role")[:50]
        ),
        "opened": tickets.filter(**in_month).count(),
        "solved": tickets.filter(solved_at__date__gte=start, solved_at__date__lt=end).count(),
        "deflected": Deflection.objects.for_tenant(tenant).filter(**in_month).count(),
    }
    subject = _("%(tenant)s: your monthly digest") % {"tenant": tenant.name}
    send_mail(
        subject_line(subject),
        render_to_string("knowledge/email/monthly_digest.txt", context),
        None,
        recipients,
    )
    return True


def send_weekly_wins(*, tenant: Tenant, today: date | None = None) -> bool:
    """Last week's good ratings and thank-you notes, to the team: once per week."""
    today = today or timezone.localdate()
    end = today - timedelta(days=today.weekday())  # this Monday
    start = end - timedelta(days=7)
    ratings = list(
        kudos_ratings(tenant)
        .filter(updated_at__date__gte=start, updated_at__date__lt=end)
        .select_related("agent", "ticket")[:30]
    )
    notes = list(
        ThankYouNote.objects.for_tenant(tenant)
        .filter(created_at__date__gte=start, created_at__date__lt=end)
        .select_related("from_user", "to_user")[:30]
    )
    recipients = _staff_emails(tenant)
    if not (ratings or notes) or not recipients:
        return False
    if not _claim_digest(tenant, DigestSent.Kind.WINS, start):
        return False
    context = {"tenant": tenant, "start": start, "ratings": ratings, "notes": notes}
    send_mail(
        subject_line(_("%(tenant)s: this week's wins") % {"tenant": tenant.name}),
        render_to_string("knowledge/email/weekly_wins.txt", context),
        None,
        recipients,
    )
    return True
