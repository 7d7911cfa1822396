"""The tenant's audit log: every service records its writes here."""

from __future__ import annotations

from ..models import (
    AuditEntry,
    Tenant,
    User,
)


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
