"""Access requests: a member asks for a refusal to be lifted; an admin decides."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..actions import ACTIONS
from ..models import (
    AccessRequest,
    Membership,
    User,
)
from .audit import record_audit
from .base import NotPermitted

# --- Access requests ------------------------------------------------------------------------


@transaction.atomic
def request_access(
    *,
    membership: Membership,
    action: str,
    ticket_number: int | None = None,
    reason: str = "",
    note: str = "",
) -> AccessRequest:
    """A member asks for a refusal to be lifted; asking twice returns the waiting request."""
    if action not in ACTIONS:
        raise ValidationError({"action": [_("Unknown action.")]})
    if not membership.is_active:
        raise NotPermitted(_("Only active members can ask for access."))
    waiting = (
        AccessRequest.objects.for_tenant(membership.tenant)
        .pending()
        .filter(membership=membership, action=action, ticket_number=ticket_number)
        .first()
    )
    if waiting is not None:
        return waiting
    access_request = AccessRequest.objects.create(
        tenant=membership.tenant,
        membership=membership,
        action=action,
        ticket_number=ticket_number,
        reason=reason[:2000],
        note=note[:500],
    )
    record_audit(
        tenant=membership.tenant,
        actor=membership.user,
        action="access_request.created",
        target=access_request,
        after={"action": action, "ticket": ticket_number, "note": note[:500]},
    )
    return access_request


@transaction.atomic
def decide_access_request(
    *, access_request: AccessRequest, by: User, granted: bool, outcome: str = ""
) -> AccessRequest:
    """Close a request. The grant itself (a role change or a queue) is made by its own service
    before this records the decision."""
    access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if access_request.status != AccessRequest.Status.PENDING:
        raise NotPermitted(_("This request has already been decided."))
    access_request.status = (
        AccessRequest.Status.GRANTED if granted else AccessRequest.Status.DECLINED
    )
    access_request.decided_by = by
    access_request.decided_at = timezone.now()
    access_request.outcome = outcome[:200]
    access_request.save(update_fields=["status", "decided_by", "decided_at", "outcome"])
    record_audit(
        tenant=access_request.tenant,
        actor=by,
        action=f"access_request.{access_request.status}",
        target=access_request,
        before={"status": AccessRequest.Status.PENDING},
        after={"status": access_request.status, "outcome": outcome[:200]},
    )
    return access_request
