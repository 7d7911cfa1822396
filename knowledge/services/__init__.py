"""Every write of the knowledge app, one function per move, plus the e-mails the jobs send.

One module per concern; every name is re-exported here, so ``from knowledge.services import X``
works wherever X lives."""

from __future__ import annotations

from .announcements import (
    announcement_recipients,
    email_announcement,
    mark_announcement_read,
    publish_announcement,
)
from .articles import (
    create_category,
    mark_reviewed,
    remind_stale_articles,
    restore_version,
    save_article,
    update_settings,
)
from .base import KnowledgeError
from .deflections import record_deflection
from .ideas import answer_idea, suggest_idea, toggle_vote
from .kudos import send_monthly_digest, send_weekly_wins, thank_agent
from .onboarding import acknowledge_article, set_onboarding_checklist

__all__ = [
    "KnowledgeError",
    "acknowledge_article",
    "announcement_recipients",
    "answer_idea",
    "create_category",
    "email_announcement",
    "mark_announcement_read",
    "mark_reviewed",
    "publish_announcement",
    "record_deflection",
    "remind_stale_articles",
    "restore_version",
    "save_article",
    "send_monthly_digest",
    "send_weekly_wins",
    "set_onboarding_checklist",
    "suggest_idea",
    "thank_agent",
    "toggle_vote",
    "update_settings",
]
