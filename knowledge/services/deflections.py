"""Deflections: an article answered a customer, and no request was opened."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import Membership

from ..models import (
    Article,
    Deflection,
)
from .base import KnowledgeError


def record_deflection(*, member: Membership, article: Article, query: str = "") -> Deflection:
    """The customer says this article solved it: count it; no request is opened."""
    if not Article.objects.visible_to(member).filter(pk=article.pk).exists():
        raise KnowledgeError(_("You cannot see this article."))
    return Deflection.objects.create(
        tenant_id=member.tenant_id, article=article, member=member, query=query[:500]
    )
