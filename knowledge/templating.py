"""Template helpers of knowledge used on other apps' pages: banner, checklist, metrics panel."""

from django.utils import timezone

from core.versions import cached

from .models import (
    Announcement,
    Deflection,
    announcements_version,
    deflections_version,
    onboarding_status,
)
from .rendering import render_article_body


def article_body(text):
    """``{{ article.body|article_body }}``: sanitized Markdown with safe video players."""
    return render_article_body(text)


def unread_announcement(membership):
    """The newest unread announcement for the member: its pk and title, or None.

    Every page's banner asks; the answer is kept per member and role under the version of the
    tenant's announcements, which a new or changed announcement, its audience, or anyone's
    reading of one bumps (knowledge.models), so it is one cache read while nothing changes.
    """
    if membership is None or not getattr(membership, "is_active", False):
        return None

    def newest_unread():
        return (
            Announcement.objects.visible_to(membership)
            .unread_by(membership)
            .order_by("-published_at", "-pk")
            .values("pk", "title")
            .first()
        )

    key = f"kb:banner:{membership.tenant_id}:{membership.pk}:{membership.role_id}"
    return cached(announcements_version(membership.tenant_id), key, newest_unread)


def onboarding_for(membership):
    """The member's checklist with progress, or None when their role has none."""
    if membership is None or not getattr(membership, "is_active", False):
        return None
    return onboarding_status(membership, now=timezone.now())


def deflection_figures(tenant, period_start, period_end):
    """Deflections in the period and the articles behind them, for the metrics dashboard.

    Kept per period and time zone (days are the zone's) under the version of the tenant's
    deflections, which a deflection or an article's change bumps (knowledge.models).
    """
    if tenant is None or period_start is None or period_end is None:
        return None

    def figures():
        deflections = Deflection.objects.for_tenant(tenant).between(period_start, period_end)
        return {
            "count": deflections.count(),
            "articles": list(deflections.most_useful_articles()),
        }

    zone = timezone.get_current_timezone_name()
    key = f"kb:deflections:{tenant.pk}:{period_start}:{period_end}:{zone}"
    return cached(deflections_version(tenant.pk), key, figures)


FILTERS = {"article_body": article_body}
GLOBALS = {
    "unread_announcement": unread_announcement,
    "onboarding_for": onboarding_for,
    "deflection_figures": deflection_figures,
}
