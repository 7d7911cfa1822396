"""REST API of knowledge: thin viewsets over the same QuerySets and services as the pages.

One module per concern; every serializer and viewset is re-exported here, so
``from knowledge.api import X`` and the URL conf's ``api.X`` work wherever X lives."""

from __future__ import annotations

from .announcements import (
    AnnouncementInput,
    AnnouncementSerializer,
    AnnouncementViewSet,
    ReaderSerializer,
)
from .articles import ArticleInput, ArticleSerializer, ArticleViewSet
from .ideas import AnswerInput, IdeaSerializer, IdeaViewSet
from .kudos import KudosSerializer, KudosViewSet, ThankYouNoteSerializer, ThankYouNoteViewSet
from .suggestions import (
    DeflectionSerializer,
    DeflectionViewSet,
    SuggestionSerializer,
    SuggestionViewSet,
)

__all__ = [
    "AnnouncementInput",
    "AnnouncementSerializer",
    "AnnouncementViewSet",
    "AnswerInput",
    "ArticleInput",
    "ArticleSerializer",
    "ArticleViewSet",
    "DeflectionSerializer",
    "DeflectionViewSet",
    "IdeaSerializer",
    "IdeaViewSet",
    "KudosSerializer",
    "KudosViewSet",
    "ReaderSerializer",
    "SuggestionSerializer",
    "SuggestionViewSet",
    "ThankYouNoteSerializer",
    "ThankYouNoteViewSet",
]
