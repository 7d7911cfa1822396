"""Onboarding: a role's checklist of guides, and a member acknowledging one."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Membership, Role, Tenant, User
from accounts.services import record_audit

from ..models import (
    Acknowledgement,
    Article,
    OnboardingChecklist,
)
from .base import KnowledgeError


@transaction.atomic
def set_onboarding_checklist(
    *, tenant: Tenant, role: Role, articles, due_within_days: int, by: User | None
) -> OnboardingChecklist:
    if role.tenant_id != tenant.pk or any(a.tenant_id != tenant.pk for a in articles):
        raise KnowledgeError(_("That role or guide belongs to another helpdesk."))
    checklist, _created = OnboardingChecklist.objects.get_or_create(tenant=tenant, role=role)
    checklist.due_within_days = due_within_days
    checklist.save(update_fields=["due_within_days"])
    checklist.articles.set(articles)
    record_audit(
        tenant=tenant,
        actor=by,
        action="onboarding.changed",
        target=checklist,
        after={
            "role": role.key,
            "articles": [a.slug for a in articles],
            "days": due_within_days,
        },
    )
    return checklist


def acknowledge_article(*, membership: Membership, article: Article) -> Acknowledgement:
    """The member read the guide; only guides they may see can be acknowledged."""
    if not Article.objects.visible_to(membership).filter(pk=article.pk).exists():
        raise KnowledgeError(_("You cannot see this article."))
    ack, _created = Acknowledgement.objects.get_or_create(
        tenant_id=membership.tenant_id, membership=membership, article=article
    )
    return ack
