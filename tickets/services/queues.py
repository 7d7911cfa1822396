"""Queues and who works them (grants, with their expiry)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.granting import check_grant
from accounts.models import Membership, Tenant, User
from accounts.services import record_audit

from ..models import (
    Queue,
    QueueGrant,
)
from .base import (
    _iso,
)


@transaction.atomic
def grant_queue(*, queue: Queue, user: User, by: User | None, expires_at=None) -> QueueGrant:
    """Let a member work a queue (until ``expires_at``, if given), if ``by`` may give it.

    Customers work no queue: a role whose ticket scope is its own requests would gain nothing
    by a grant (TicketQuerySet.visible_to reads grants for queue-scoped roles), so it is
    refused with a ValidationError, which pages show as a form error and the API as a 400.
    """
    member = Membership.objects.for_tenant(queue.tenant_id).filter(user=user).first()
    if member is None or not (member.works_queues or member.sees_all_tickets):
        raise ValidationError(
            _("%(name)s is a customer: customers do not work queues. Give a staff role first.")
            % {"name": user},
            code="customer",
        )
    check_grant(tenant=queue.tenant_id, by=by, queue=queue, expires_at=expires_at)
    grant, created = QueueGrant.objects.get_or_create(
        queue=queue,
        user=user,
        defaults={"tenant_id": queue.tenant_id, "granted_by": by, "expires_at": expires_at},
    )
    before = None if created else {"expires_at": _iso(grant.expires_at)}
    if not created and grant.expires_at != expires_at:
        grant.expires_at = expires_at
        grant.save(update_fields=["expires_at"])
    assign_perm("tickets.work_queue", user, queue)
    record_audit(
        tenant=queue.tenant,
        actor=by,
        action="grant.added",
        target=grant,
        before=before,
        after={"queue": queue.name, "user": user.email, "expires_at": _iso(expires_at)},
    )
    return grant


@transaction.atomic
def revoke_queue(*, queue: Queue, user: User, by: User | None, reason: str = "revoked") -> bool:
    check_grant(tenant=queue.tenant_id, by=by, queue_taken=queue)
    grant = QueueGrant.objects.filter(queue=queue, user=user).first()
    remove_perm("tickets.work_queue", user, queue)
    if grant is None:
        return False
    record_audit(
        tenant=queue.tenant,
        actor=by,
        action=f"grant.{reason}",
        target=grant,
        before={"queue": queue.name, "user": user.email, "expires_at": _iso(grant.expires_at)},
        after=None,
    )
    grant.delete()
    return True


def expire_grants(*, now=None) -> int:
    """Remove every grant whose expiry has passed; each removal is logged."""
    now = now or timezone.now()
    expired = QueueGrant.objects.filter(expires_at__lte=now).select_related("queue__tenant", "user")
    return sum(revoke_queue(queue=g.queue, user=g.user, by=None, reason="expired") for g in expired)


@transaction.atomic
def create_queue(
    *,
    tenant: Tenant,
    name: str,
    description: str = "",
    is_public: bool = True,
    assignment: str = Queue.Assignment.MANUAL,
    by: User | None,
) -> Queue:
    queue = Queue.objects.create(
        tenant=tenant,
        name=name,
        description=description,
        is_public=is_public,
        assignment=assignment,
    )
    record_audit(
        tenant=tenant,
        actor=by,
        action="queue.created",
        target=queue,
        after={"name": name, "is_public": is_public, "assignment": assignment},
    )
    return queue


@transaction.atomic
def update_queue(
    *,
    queue: Queue,
    by: User | None,
    name: str | None = None,
    description: str | None = None,
    is_public: bool | None = None,
    assignment: str | None = None,
    agents: list[User] | None = None,
) -> Queue:
    """Rename or describe a queue, say how it assigns new tickets, and set exactly which
    agents work it (through grants)."""
    check_grant(tenant=queue.tenant_id, by=by, queue_taken=queue)
    before = _queue_state(queue)
    for field, value in [
        ("name", name),
        ("description", description),
        ("is_public", is_public),
        ("assignment", assignment),
    ]:
        if value is not None:
            setattr(queue, field, value)
    after = _queue_state(queue)
    if after != before:
        queue.save(update_fields=list(after))
        record_audit(
            tenant=queue.tenant,
            actor=by,
            action="queue.changed",
            target=queue,
            before=before,
            after=after,
        )
    if agents is not None:
        current = set(QueueGrant.objects.filter(queue=queue).values_list("user_id", flat=True))
        wanted = {user.pk: user for user in agents}
        for user in agents:
            if user.pk not in current:
                grant_queue(queue=queue, user=user, by=by)
        for grant in (
            QueueGrant.objects.filter(queue=queue)
            .exclude(user_id__in=wanted)
            .select_related("user")
        ):
            revoke_queue(queue=queue, user=grant.user, by=by)
    return queue


def _queue_state(queue: Queue) -> dict:
    return {
        "name": queue.name,
        "description": queue.description,
        "is_public": queue.is_public,
        "assignment": queue.assignment,
    }
