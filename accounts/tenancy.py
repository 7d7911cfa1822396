"""The one door to tenant-owned data.

Every tenant-owned model uses a QuerySet derived from TenantQuerySet and every read of one
starts with ``for_tenant(tenant)`` (or a ``visible_to(member)`` built on it). Views get the
tenant from the request, where TenantMiddleware resolved it once; they never filter by
tenant themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from .models import Tenant


class TenantQuerySet(models.QuerySet):
    def for_tenant(self, tenant: Tenant):
        return self.filter(tenant=tenant)


class TenantOwned(models.Model):
    """Abstract base of every row that belongs to one helpdesk."""

    tenant = models.ForeignKey("accounts.Tenant", on_delete=models.CASCADE, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True
