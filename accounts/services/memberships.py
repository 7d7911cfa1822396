"""Changing a member's role, organization or standing (deactivation and reactivation)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..granting import check_grant
from ..models import (
    Membership,
    Organization,
    Role,
    User,
)
from .audit import record_audit
from .base import NotPermitted

# --- Membership changes ---------------------------------------------------------------------

_UNSET = object()


def check_membership_change(
    membership: Membership, *, role: Role | object = _UNSET, status: str | object = _UNSET
) -> None:
    """Refuse a change the helpdesk cannot take (before asking anyone to confirm it, too)."""
    new_role = membership.role if role is _UNSET else role
    new_status = membership.status if status is _UNSET else status
    if status is not _UNSET and status not in Membership.Status.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    pending = Membership.Status.PENDING
    if (
        status is not _UNSET
        and status != membership.status
        and pending in (status, membership.status)
    ):
        raise NotPermitted(
            _("A sign-up waiting for approval is approved or rejected in Approvals.")
        )
    if membership.is_admin and (new_role.key != "admin" or new_status != Membership.Status.ACTIVE):
        tenant = membership.tenant
        others = Membership.objects.for_tenant(tenant).admins().exclude(pk=membership.pk)
        if not others.exists():
            raise NotPermitted(
                _("%(name)s is the last admin of %(tenant)s: make someone else admin first.")
                % {"name": membership.user, "tenant": tenant.name}
            )


@transaction.atomic
def change_membership(
    *,
    membership: Membership,
    by: User,
    role: Role | object = _UNSET,
    organization: Organization | None | object = _UNSET,
    status: str | object = _UNSET,
) -> Membership:
    """Change a member's role, organization or standing; each change is audited once.

    The last active admin can be neither demoted nor deactivated. Deactivation keeps every
    ticket and comment; the person simply can no longer use this tenant.
    """
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("role", "organization", "user", "tenant")
        .get(pk=membership.pk)
    )
    tenant = membership.tenant
    check_membership_change(membership, role=role, status=status)
    if role is not _UNSET or status == Membership.Status.ACTIVE:  # reactivating gives it back
        check_grant(
            tenant=tenant,
            by=by,
            role=membership.role if role is _UNSET else role,
            target=membership,
        )
    elif status is not _UNSET and status != membership.status:
        check_grant(tenant=tenant, by=by, target=membership)
    moved = organization is not _UNSET and (
        (organization.pk if organization else None) != membership.organization_id
    )
    if moved:
        check_grant(tenant=tenant, by=by, target=membership, organization=organization)
    if role is not _UNSET and role.pk != membership.role_id:
        before = membership.role.key
        membership.role = role
        membership.save(update_fields=["role"])
        record_audit(
            tenant=tenant,
            actor=by,
            action="membership.role_changed",
            target=membership,
            before={"role": before},
            after={"role": role.key},
        )
    if moved:
        before = membership.organization.name if membership.organization else None
        membership.organization = organization
        membership.save(update_fields=["organization"])
        record_audit(
            tenant=tenant,
            actor=by,
            action="membership.organization_changed",
            target=membership,
            before={"organization": before},
            after={"organization": organization.name if organization else None},
        )
    if status is not _UNSET and status != membership.status:
        before = membership.status
        membership.status = status
        membership.save(update_fields=["status"])
        action = {
            Membership.Status.DEACTIVATED: "membership.deactivated",
            Membership.Status.ACTIVE: "membership.reactivated",
        }.get(status, "membership.status_changed")
        record_audit(
            tenant=tenant,
            actor=by,
            action=action,
            target=membership,
            before={"status": before},
            after={"status": status},
        )
    return membership


@transaction.atomic
def set_capacity(*, membership: Membership, capacity: int | None, by: User | None) -> Membership:
    """How many open tickets automatic assignment may give this member (None: no limit)."""
    if capacity is not None and capacity < 0:
        raise ValidationError({"capacity": _("A capacity is a number of tickets, 0 or more.")})
    if membership.capacity == capacity:
        return membership
    before = {"capacity": membership.capacity}
    membership.capacity = capacity
    membership.save(update_fields=["capacity"])
    record_audit(
        tenant=membership.tenant,
        actor=by,
        action="membership.capacity_changed",
        target=membership,
        before=before,
        after={"capacity": capacity},
    )
    return membership


def expire_memberships(*, now=None) -> int:
    """End the memberships whose joining rule gave them an end date (temporary contractors),
    each under its row lock and audited; a run twice ends each once."""
    now = now or timezone.now()
    ended = 0
    for pk in Membership.objects.expired(now).values_list("pk", flat=True):
        with transaction.atomic():
            membership = Membership.objects.expired(now).select_for_update().filter(pk=pk).first()
            if membership is None:  # ended meanwhile
                continue
            membership.status = Membership.Status.DEACTIVATED
            membership.save(update_fields=["status"])  # save(): the staff lists hear of it
            record_audit(
                tenant=membership.tenant,
                actor=None,
                action="membership.expired",
                target=membership,
                before={"status": Membership.Status.ACTIVE},
                after={"status": Membership.Status.DEACTIVATED, "expires_at": str(now.date())},
            )
            ended += 1
    return ended
