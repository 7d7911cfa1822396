"""Tags: a tenant's labels for tickets."""

from __future__ import annotations

from django.db import models

from accounts.tenancy import TenantOwned


class Tag(TenantOwned):
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="tag_name_unique")]

    def __str__(self):
        return self.name
