"""Deflections: requests an article answered before they were opened."""

from __future__ import annotations

from django.db import models
from django.db.models import Count
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from accounts.models import Membership
from accounts.tenancy import TenantOwned, TenantQuerySet

from .articles import Article


class DeflectionQuerySet(TenantQuerySet):
    def between(self, start, end):
        """Deflections on these dates (inclusive)."""
        return self.filter(created_at__date__gte=start, created_at__date__lte=end)

    def most_useful_articles(self, limit: int = 5):
        return (
            self.values("article_id", "article__title", "article__slug")
            .annotate(n=Count("id"))
            .order_by("-n", "article__title")[:limit]
        )


class Deflection(TenantOwned):
    """A customer said an article solved their problem: a request that was never opened."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="deflections")
    member = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    query = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = DeflectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "created_at"], name="deflection_recent")]

    def __str__(self):
        return f"deflected by {self.article_id}"


# ------------------------------------------------- the dashboard's cached deflection figures


def deflections_version(tenant_id: int) -> str:
    """The version name of the dashboard's deflection figures: deflections and their articles."""
    return f"deflections:{tenant_id}"


def _deflections_changed(sender, instance, **kwargs) -> None:
    from core.versions import bump

    bump(deflections_version(instance.tenant_id))


for _model in (Deflection, Article):
    post_save.connect(_deflections_changed, sender=_model, dispatch_uid=f"kb-d-{_model.__name__}")
    post_delete.connect(
        _deflections_changed, sender=_model, dispatch_uid=f"kb-d-del-{_model.__name__}"
    )
