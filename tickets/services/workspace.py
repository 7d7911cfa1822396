"""The workspace's saved views: each person's own, and the team views admins share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import ensure
from accounts.models import Membership, Role, Tenant, User
from accounts.services import record_audit

from ..models import (
    Queue,
    SavedFilter,
)


def save_filter(*, tenant: Tenant, owner: User, name: str, query: str) -> SavedFilter:
    """Keep a workspace view under a name (the same name again replaces it)."""
    saved, _created = SavedFilter.objects.update_or_create(
        tenant=tenant, owner=owner, name=name[:80], is_team=False, defaults={"query": query[:1000]}
    )
    return saved


def delete_filter(*, saved: SavedFilter) -> None:
    saved.delete()


def _shares(saved: SavedFilter) -> dict:
    return {
        "name": saved.name,
        "query": saved.query,
        "roles": sorted(str(role.name) for role in saved.shared_with_roles.all()),
        "queues": sorted(queue.name for queue in saved.shared_with_queues.all()),
    }


@transaction.atomic
def share_team_view(
    *, by: Membership, name: str, query: str, roles: list[Role], queues: list[Queue]
) -> SavedFilter:
    """A view of the workspace shown, beside each person's own, to the members of ``roles``
    and to those who work ``queues`` (the same name again replaces it). Admins only
    (``manage_team_views``); at least one role or queue of this helpdesk."""
    ensure(by, "manage_team_views")
    if not roles and not queues:
        raise ValidationError(_("Share the view with at least one role or queue."))
    if any(item.tenant_id != by.tenant_id for item in [*roles, *queues]):
        raise ValidationError(_("Share the view only with roles and queues of this helpdesk."))
    saved = SavedFilter.objects.team_views(by.tenant).filter(name=name[:80]).first()
    before = _shares(saved) if saved else None
    if saved is None:
        saved = SavedFilter(tenant=by.tenant, name=name[:80], is_team=True)
    saved.owner_id, saved.query = by.user_id, query[:1000]
    saved.save()
    saved.shared_with_roles.set(roles)
    saved.shared_with_queues.set(queues)
    record_audit(
        tenant=by.tenant,
        actor=by.user,
        action="team_view.shared",
        target=saved,
        before=before,
        after=_shares(saved),
    )
    return saved


@transaction.atomic
def remove_team_view(*, by: Membership, saved: SavedFilter) -> None:
    ensure(by, "manage_team_views")
    record_audit(
        tenant=by.tenant,
        actor=by.user,
        action="team_view.removed",
        target=saved,
        before=_shares(saved),
    )
    saved.delete()
