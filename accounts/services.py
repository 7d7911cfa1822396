"""Writes with rules for tenants, people and roles. Views, commands and tasks call these."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .actions import BUILTIN_ROLES
from .models import AuditEntry, Membership, Organization, Role, Tenant, User


def record_audit(
    *, tenant: Tenant, actor: User | None, action: str, target, before=None, after=None
) -> AuditEntry:
    """Append one entry to the tenant's audit log."""
    return AuditEntry.objects.create(
        tenant=tenant,
        actor=actor,
        action=action,
        target_type=target._meta.model_name,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        before=before,
        after=after,
    )


def ensure_builtin_roles(*, tenant: Tenant) -> dict[str, Role]:
    roles = {}
    for key, template in BUILTIN_ROLES.items():
        roles[key], _ = Role.objects.get_or_create(
            tenant=tenant,
            key=key,
            defaults={
                "name": str(template["name"]),
                "description": str(template["description"]),
                "permissions": list(template["permissions"]),
                "scope": template["scope"],
                "is_builtin": True,
            },
        )
    return roles


@transaction.atomic
def create_tenant(
    *,
    slug: str,
    name: str,
    admin_email: str | None = None,
    admin_password: str | None = None,
    admin_name: str = "",
) -> Tenant:
    """A new helpdesk with its built-in roles and, optionally, its first admin.

    A new tenant has no joining rules, so it is invitation-only until an admin opens it.
    """
    tenant = Tenant.objects.create(slug=slug, name=name)
    roles = ensure_builtin_roles(tenant=tenant)
    if admin_email:
        user = find_or_create_user(email=admin_email, password=admin_password, name=admin_name)
        add_member(tenant=tenant, user=user, role=roles["admin"], by=None)
    return tenant


def find_or_create_user(*, email: str, password: str | None = None, name: str = "") -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, name=name)
    return user


def add_member(
    *,
    tenant: Tenant,
    user: User,
    role: Role,
    by: User | None,
    organization: Organization | None = None,
    status: str = Membership.Status.ACTIVE,
) -> Membership:
    membership = Membership.objects.create(
        tenant=tenant, user=user, role=role, organization=organization, status=status
    )
    record_audit(
        tenant=tenant,
        actor=by,
        action="membership.created",
        target=membership,
        after={
            "role": role.key,
            "status": status,
            "organization": organization.name if organization else None,
        },
    )
    return membership


def resolve_membership(*, tenant: Tenant, user) -> Membership | None:
    """The user's membership in the tenant, whatever its status (the refusal explains it)."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.for_tenant(tenant)
        .select_related("role", "organization", "user", "tenant")
        .filter(user=user)
        .first()
    )


def touch_last_seen(*, membership: Membership, every_seconds: int = 300) -> None:
    """Record activity, at most once per few minutes so that browsing costs no write."""
    now = timezone.now()
    seen = membership.last_seen_at
    if seen is None or (now - seen).total_seconds() > every_seconds:
        Membership.objects.filter(pk=membership.pk).update(last_seen_at=now)
        membership.last_seen_at = now
