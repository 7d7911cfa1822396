"""Opening a request, with its number per tenant."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import ensure
from accounts.models import Membership, Tenant, User

from ..models import (
    Queue,
    Ticket,
    TicketEvent,
)
from .assignment import assign_automatically
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
    auto_assign: bool = True,
) -> Ticket:
    """A new request. Numbers are per tenant; a concurrent open retries with the next one.

    ``membership`` is the requester's in this tenant when the caller has it already (the
    request resolved it); otherwise it is read here. The ticket is made ready before the
    tenant's row is locked, so that the lock covers the inserts only. A queue that assigns
    automatically gives the ticket an agent in the same transaction (``auto_assign=False``
    when the caller names the assignee itself).
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
                # Opened for someone else (staff on the phone): the event says for whom.
                for_whom = requester.email if by is not None and by.pk != requester.pk else ""
                created = _event(
                    ticket, by or requester, TicketEvent.Kind.CREATED, new=for_whom, at=at
                )
                recompute_service_levels(ticket=ticket, at=at)
                _notify_on_commit(created)  # the requester's receipt, the agents' new request
                if auto_assign and queue is not None and queue.assigns_automatically:
                    ticket = assign_automatically(ticket, at=at)
                return ticket
        except IntegrityError:
            ticket.pk = None
            continue
    raise IntegrityError("Could not allocate a ticket number.")


class RequesterRefused(Exception):  # noqa: N818 (a refusal, like TicketClosed)
    """Staff opening a ticket for someone who is not an active member of the helpdesk."""

    def __init__(self, message: str = ""):
        self.message = message or _(
            "Open a ticket for an active member of this helpdesk: invite the person first."
        )
        super().__init__(self.message)


def requester_for(*, tenant: Tenant, user_id: int | None = None, email: str = "") -> Membership:
    """The active membership of the person a ticket is opened for, by user id or address."""
    members = Membership.objects.for_tenant(tenant).active().select_related("user")
    if user_id is not None:
        found = members.filter(user_id=user_id).first()
    else:
        found = members.filter(user__email__iexact=email.strip()).first() if email else None
    if found is None:
        raise RequesterRefused
    return found


def open_ticket_for(
    *,
    member: Membership,
    requester: Membership,
    subject: str,
    description: str,
    queue: Queue | None = None,
    priority: str = Ticket.Priority.NORMAL,
    at=None,
) -> Ticket:
    """A ticket staff open on behalf of a customer (a phone call, a walk-in): recorded with
    the channel "staff" and an event saying who opened it for whom; the customer gets their
    usual receipt. Refused (before anything is written) to those who do not answer for the
    helpdesk, and where the ticket would land out of the opener's sight."""
    if requester.tenant_id != member.tenant_id or not requester.is_active:
        raise RequesterRefused
    ensure(member, "work_tickets")
    draft = Ticket(tenant=member.tenant, queue=queue, requester=requester.user)
    ensure(member, "view_ticket", draft)
    return open_ticket(
        tenant=member.tenant,
        requester=requester.user,
        subject=subject,
        description=description,
        queue=queue,
        priority=priority,
        by=member.user,
        at=at,
        membership=requester,
        channel=Ticket.Channel.STAFF,
    )
