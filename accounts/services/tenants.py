"""Tenants, their built-in roles, people and members; finding the tenant of a request; the
helpdesk's settings."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..actions import ACTIONS, BUILTIN_ROLES
from ..granting import check_grant
from ..models import (
    Membership,
    Organization,
    Role,
    Tenant,
    User,
)
from .audit import record_audit


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


def give_admins_every_action(**kwargs) -> int:
    """Keep every built-in admin role holding every action, new ones included.

    Connected to ``post_migrate``: a release that adds an action reaches the admins of existing
    helpdesks when it is migrated. Other built-in roles are the admins' to shape; a release that
    wants to add an action to them says so in a data migration.
    """
    return Role.objects.filter(is_builtin=True, key="admin").update(permissions=list(ACTIONS))


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
        user = find_or_create_user(
            email=admin_email, password=admin_password, name=admin_name, verified=True
        )
        add_member(tenant=tenant, user=user, role=roles["admin"], by=None)
    return tenant


def find_or_create_user(
    *, email: str, password: str | None = None, name: str = "", verified: bool = False
) -> User:
    """``verified``: the caller vouches for the address (the operator's command, the demo)."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=password,
            name=name,
            email_verified_at=timezone.now() if verified else None,
        )
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


def resolve_tenant(*, slug: str, user) -> tuple[Tenant | None, Membership | None]:
    """The helpdesk at ``slug`` and the user's membership in it, whatever its status (the
    refusal explains it). Every request to a helpdesk asks this: a member's answer is one query
    (the membership with its tenant), an outsider's one more for the tenant alone."""
    if user.is_authenticated:
        found = (
            # Scoped by the slug's tenant as for_tenant would scope by its row. One row at
            # most (a person has one membership per tenant): no ORDER BY to build or run.
            Membership.objects.filter(tenant__slug=slug, user=user)
            .select_related("tenant", "role", "organization")
            .order_by()[:1]
        )
        membership = next(iter(found), None)
        if membership is not None:
            membership.user = getattr(user, "_wrapped", user)  # the User behind request.user
            return membership.tenant, membership
    return Tenant.objects.filter(slug=slug).first(), None


def touch_last_seen(*, membership: Membership, every_seconds: int = 300) -> None:
    """Record activity, at most once per few minutes so that browsing costs no write."""
    now = timezone.now()
    seen = membership.last_seen_at
    if seen is None or (now - seen).total_seconds() > every_seconds:
        Membership.objects.filter(pk=membership.pk).update(last_seen_at=now)
        membership.last_seen_at = now


TENANT_SETTINGS = [
    "name",
    "time_zone",
    "agents_work_all_queues",
    "customers_see_organization_tickets",
    "auto_close_days",
    "two_factor_required_for_staff",
]


@transaction.atomic
def update_tenant_settings(*, tenant: Tenant, by: User, **changes) -> Tenant:
    """Change how the helpdesk works; every change is written to the audit log."""
    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    if changes.get("agents_work_all_queues") and not tenant.agents_work_all_queues:
        check_grant(tenant=tenant, by=by, every_queue=True)  # every agent gets every queue
    before = {field: getattr(tenant, field) for field in TENANT_SETTINGS}
    for field, value in changes.items():
        if field not in TENANT_SETTINGS:
            raise ValueError(f"{field} is not a helpdesk setting")
        setattr(tenant, field, value)
    after = {field: getattr(tenant, field) for field in TENANT_SETTINGS}
    if after != before:
        tenant.save(update_fields=list(changes))
        changed = [field for field in TENANT_SETTINGS if before[field] != after[field]]
        record_audit(
            tenant=tenant,
            actor=by,
            action="tenant.settings_changed",
            target=tenant,
            before={field: before[field] for field in changed},
            after={field: after[field] for field in changed},
        )
    return tenant
