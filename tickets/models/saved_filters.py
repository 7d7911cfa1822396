"""Saved filters: a member's own named views of the workspace list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from accounts.tenancy import TenantOwned, TenantQuerySet


class SavedFilterQuerySet(TenantQuerySet):
    def owned_by(self, member: Membership):
        return self.for_tenant(member.tenant).filter(owner_id=member.user_id)


class SavedFilter(TenantOwned):
    """A workspace view of one's own: a name and the query string of the list's filters."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SavedFilterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "owner", "name"], name="saved_filter_name_unique"
            )
        ]

    def __str__(self):
        return self.name
