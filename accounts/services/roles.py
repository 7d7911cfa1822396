"""Role templates: created, changed and deleted within what the giver may give."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..actions import ACTIONS, SCOPES
from ..granting import check_grant
from ..models import (
    Invitation,
    JoiningRule,
    Role,
    Tenant,
    User,
)
from .audit import record_audit
from .base import NotPermitted

# --- Roles ----------------------------------------------------------------------------------


def _role_state(role: Role) -> dict:
    return {
        "key": role.key,
        "name": role.name,
        "scope": role.scope,
        "permissions": [a for a in ACTIONS if a in role.permissions],
    }


def _clean_permissions(permissions) -> list[str]:
    unknown = [p for p in permissions if p not in ACTIONS]
    if unknown:
        raise ValidationError(
            {"permissions": [_("Unknown actions: %(names)s.") % {"names": ", ".join(unknown)}]}
        )
    return [a for a in ACTIONS if a in permissions]


def _clean_scope(scope: str) -> str:
    if scope not in dict(SCOPES):
        raise ValidationError({"scope": [_("Choose one of the ticket scopes.")]})
    return scope


@transaction.atomic
def create_role(
    *,
    tenant: Tenant,
    by: User,
    name: str,
    permissions: list[str],
    scope: str,
    description: str = "",
    key: str = "",
) -> Role:
    key = slugify(key or name)[:40]
    if not key or not name.strip():
        raise ValidationError({"name": [_("Give the role a name.")]})
    if Role.objects.for_tenant(tenant).filter(key=key).exists():
        raise ValidationError({"name": [_("A role with this name already exists.")]})
    check_grant(
        tenant=tenant, by=by, permissions=_clean_permissions(permissions), scope=_clean_scope(scope)
    )
    role = Role.objects.create(
        tenant=tenant,
        key=key,
        name=name.strip(),
        description=description,
        permissions=_clean_permissions(permissions),
        scope=_clean_scope(scope),
    )
    record_audit(
        tenant=tenant, actor=by, action="role.created", target=role, after=_role_state(role)
    )
    return role


def check_role_change(role: Role, *, permissions=None, scope=None) -> None:
    """Refuse what a role may not become (asked before its reach is shown, too)."""
    if not (role.is_builtin and role.key == "admin"):
        return
    narrowed = permissions is not None and _clean_permissions(permissions) != list(ACTIONS)
    if narrowed or (scope is not None and _clean_scope(scope) != role.scope):
        raise NotPermitted(_("The admin role keeps every action, so no one is locked out."))


@transaction.atomic
def change_role_template(
    *,
    role: Role,
    by: User,
    name: str | None = None,
    description: str | None = None,
    permissions: list[str] | None = None,
    scope: str | None = None,
) -> Role:
    """Edit a role. Its key never changes; the admin role keeps every action and sees all."""
    before = _role_state(role)
    check_role_change(role, permissions=permissions, scope=scope)
    check_grant(
        tenant=role.tenant_id,
        by=by,
        over=role,
        permissions=None if permissions is None else _clean_permissions(permissions),
        scope=scope,
    )
    if permissions is not None:
        role.permissions = _clean_permissions(permissions)
    if scope is not None:
        role.scope = _clean_scope(scope)
    if name is not None:
        if not name.strip():
            raise ValidationError({"name": [_("Give the role a name.")]})
        role.name = name.strip()
    if description is not None:
        role.description = description
    role.save()
    after = _role_state(role)
    if after != before:
        record_audit(
            tenant=role.tenant,
            actor=by,
            action="role.changed",
            target=role,
            before=before,
            after=after,
        )
    return role


@transaction.atomic
def delete_role(*, role: Role, by: User) -> None:
    if role.is_builtin:
        raise NotPermitted(_("Built-in roles cannot be deleted."))
    if (
        role.memberships.exists()
        or JoiningRule.objects.for_tenant(role.tenant).filter(role=role).exists()
        or Invitation.objects.for_tenant(role.tenant).open().filter(role=role).exists()
    ):
        raise NotPermitted(
            _(
                "This role is in use (by people, joining rules or open invitations); "
                "it cannot be deleted."
            )
        )
    check_grant(tenant=role.tenant_id, by=by, over=role, permissions=[], scope=role.scope)
    record_audit(
        tenant=role.tenant, actor=by, action="role.deleted", target=role, before=_role_state(role)
    )
    role.delete()
