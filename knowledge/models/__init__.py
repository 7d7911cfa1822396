"""Articles, onboarding checklists, deflections, announcements, ideas and kudos: data and reads.

One module per concern; every name is re-exported here, so ``from knowledge.models import X``
works wherever X lives (and Django finds every model under the ``knowledge`` app)."""

from __future__ import annotations

from .announcements import (
    Announcement,
    AnnouncementQuerySet,
    AnnouncementRead,
    announcements_version,
)
from .articles import Article, ArticleQuerySet, ArticleVersion, Category, KnowledgeSettings
from .deflections import Deflection, DeflectionQuerySet, deflections_version
from .ideas import Idea, IdeaQuerySet, IdeaVote
from .kudos import DigestSent, ThankYouNote, ThankYouNoteQuerySet, kudos_ratings
from .onboarding import (
    Acknowledgement,
    ChecklistStatus,
    OnboardingChecklist,
    OnboardingQuerySet,
    onboarding_overview,
    onboarding_status,
)
from .search import SEARCH_CONFIG, STOP_WORDS, WORD, article_document, search_words

__all__ = [
    "SEARCH_CONFIG",
    "article_document",
    "STOP_WORDS",
    "WORD",
    "Acknowledgement",
    "Announcement",
    "AnnouncementQuerySet",
    "AnnouncementRead",
    "Article",
    "ArticleQuerySet",
    "ArticleVersion",
    "Category",
    "ChecklistStatus",
    "Deflection",
    "DeflectionQuerySet",
    "DigestSent",
    "Idea",
    "IdeaQuerySet",
    "IdeaVote",
    "KnowledgeSettings",
    "OnboardingChecklist",
    "OnboardingQuerySet",
    "ThankYouNote",
    "ThankYouNoteQuerySet",
    "announcements_version",
    "deflections_version",
    "kudos_ratings",
    "onboarding_overview",
    "onboarding_status",
    "search_words",
]
