"""Onboarding checklists: the guides a newcomer reads first, and each member's progress."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role
from accounts.tenancy import TenantOwned, TenantQuerySet

from .articles import Article


class OnboardingQuerySet(TenantQuerySet):
    def with_articles(self):
        return self.select_related("role").prefetch_related("articles")


class OnboardingChecklist(TenantOwned):
    """The guides a newcomer of one role must read and acknowledge within a few days."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="+")
    due_within_days = models.PositiveIntegerField(_("to complete within (days)"), default=14)
    articles = models.ManyToManyField(Article, blank=True, related_name="+")
    # People who joined before the checklist existed get the same number of days from here.
    created_at = models.DateTimeField(default=timezone.now)

    objects = OnboardingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "role"], name="onboarding_one_per_role")
        ]

    def __str__(self):
        return f"onboarding for {self.role}"


class Acknowledgement(TenantOwned):
    """A member read a guide and said so."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "article"], name="acknowledge_once")
        ]

    def __str__(self):
        return f"{self.membership_id} read {self.article_id}"


class ChecklistStatus:
    """One member's onboarding checklist: its guides, which are read, and whether it is late."""

    def __init__(self, member: Membership, checklist: OnboardingChecklist, read: dict, now):
        self.member = member
        self.checklist = checklist
        self.articles = list(checklist.articles.all())
        self.read = {a.pk: read[a.pk] for a in self.articles if a.pk in read}
        start = max(member.joined_at, checklist.created_at)
        self.due_at = start + timedelta(days=checklist.due_within_days)
        self.now = now

    @property
    def items(self):
        return [(article, self.read.get(article.pk)) for article in self.articles]

    @property
    def done(self) -> int:
        return len(self.read)

    @property
    def total(self) -> int:
        return len(self.articles)

    @property
    def is_complete(self) -> bool:
        return self.done >= self.total

    @property
    def is_late(self) -> bool:
        return not self.is_complete and self.now > self.due_at

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


def onboarding_status(member: Membership, *, now) -> ChecklistStatus | None:
    """The member's checklist (three queries), or None when their role has none or it is empty."""
    # Only the guides the member may read: a checklist never names an article hidden from them.
    checklist = (
        OnboardingChecklist.objects.for_tenant(member.tenant)
        .filter(role_id=member.role_id)
        .prefetch_related(Prefetch("articles", queryset=Article.objects.visible_to(member)))
        .first()
    )
    if checklist is None or not checklist.articles.all():
        return None
    read = dict(
        Acknowledgement.objects.for_tenant(member.tenant)
        .filter(membership=member)
        .values_list("article_id", "acknowledged_at")
    )
    return ChecklistStatus(member, checklist, read, now)


def onboarding_overview(tenant, *, now, checklists=None) -> list[ChecklistStatus]:
    """Every active member whose role has a checklist, with progress: a constant few queries.

    ``checklists``: the tenant's checklists with their articles by role id, when the caller
    has read them already (the onboarding page shows them too)."""
    if checklists is None:
        checklists = {
            c.role_id: c for c in OnboardingChecklist.objects.for_tenant(tenant).with_articles()
        }
    members = list(
        Membership.objects.for_tenant(tenant)
        .active()
        .filter(role_id__in=list(checklists))
        .select_related("user", "role", "tenant")
        .order_by("role_id", "joined_at")
    )
    read: dict[int, dict] = {}
    for membership_id, article_id, at in (
        Acknowledgement.objects.for_tenant(tenant)
        .filter(membership__in=[m.pk for m in members])
        .values_list("membership_id", "article_id", "acknowledged_at")
    ):
        read.setdefault(membership_id, {})[article_id] = at
    return [ChecklistStatus(m, checklists[m.role_id], read.get(m.pk, {}), now) for m in members]
