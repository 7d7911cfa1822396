"""The workspace's saved views."""

from __future__ import annotations

from accounts.models import Tenant, User

from ..models import (
    SavedFilter,
)


def save_filter(*, tenant: Tenant, owner: User, name: str, query: str) -> SavedFilter:
    """Keep a workspace view under a name (the same name again replaces it)."""
    saved, _created = SavedFilter.objects.update_or_create(
        tenant=tenant, owner=owner, name=name[:80], defaults={"query": query[:1000]}
    )
    return saved


def delete_filter(*, saved: SavedFilter) -> None:
    saved.delete()
