"""Opening a request, with its number per tenant."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import Membership, Tenant, User

from ..models import (
    Queue,
    Ticket,
    TicketEvent,
)
from .base import (
    _event,
    _notify_on_commit,
)
from .service_levels import recompute_service_levels


def _next_number(tenant: Tenant) -> int:
    """The tenant's next ticket number, to be used in the caller's transaction.

    The tenant's row is locked (FOR NO KEY UPDATE: rows that refer to the tenant can still
    be written) until that transaction ends, so concurrent requests take numbers in turn
    instead of colliding on the unique number, waiting for each other's commit and retrying.
    Two statements, not one: the highest number is read after the lock is granted, so that
    it sees what the previous holder committed. Plain SQL, as every submission runs it: the
    ORM spent more time building these two lines than the database spends answering them.
    """
    with connection.cursor() as cursor:
        if connection.features.has_select_for_update:  # SQLite (the demo) has no row locks
            cursor.execute(_LOCK_TENANT, [tenant.pk])
        cursor.execute(_LAST_NUMBER, [tenant.pk])
        last = cursor.fetchone()[0]
    return (last or 0) + 1


_LOCK_TENANT = f'SELECT 1 FROM "{Tenant._meta.db_table}" WHERE "id" = %s FOR NO KEY UPDATE'  # noqa: S608


_LAST_NUMBER = f'SELECT MAX("number") FROM "{Ticket._meta.db_table}" WHERE "tenant_id" = %s'  # noqa: S608


def open_ticket(
    *,
    tenant: Tenant,
    requester: User,
    subject: str,
    description: str,
    queue: Queue | None = None,
    priority: str = Ticket.Priority.NORMAL,
    by: User | None = None,
    at=None,
    membership: Membership | None = None,
    channel: str = Ticket.Channel.PORTAL,
) -> Ticket:
    """A new request. Numbers are per tenant; a concurrent open retries with the next one.

    ``membership`` is the requester's in this tenant when the caller has it already (the
    request resolved it); otherwise it is read here. The ticket is made ready before the
    tenant's row is locked, so that the lock covers the inserts only.
    """
    if membership is None or (membership.tenant_id, membership.user_id) != (
        tenant.pk,
        requester.pk,
    ):
        membership = Membership.objects.for_tenant(tenant).filter(user=requester).first()
    at = at or timezone.now()
    ticket = Ticket(
        tenant=tenant,
        subject=subject,
        description=description,
        queue=queue,
        priority=priority,
        channel=channel,
        requester=requester,
        organization_id=membership.organization_id if membership else None,
        created_at=at,
        updated_at=at,
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                ticket.number = _next_number(tenant)
                ticket.save(force_insert=True)
                created = _event(ticket, by or requester, TicketEvent.Kind.CREATED, at=at)
                recompute_service_levels(ticket=ticket, at=at)
                _notify_on_commit(created)  # the requester's receipt, the agents' new request
                return ticket
        except IntegrityError:
            ticket.pk = None
            continue
    raise IntegrityError("Could not allocate a ticket number.")
