"""Every write to tickets and queues, one function per move in the helpdesk's language."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Membership, Tenant, User
from accounts.services import record_audit

from .models import Comment, Queue, QueueGrant, Rating, Tag, Ticket, TicketEvent


class InvalidTransition(Exception):  # noqa: N818
    def __init__(self, old: str, new: str):
        super().__init__(f"A ticket cannot move from {old} to {new}.")
        self.old, self.new = old, new


def _next_number(tenant: Tenant) -> int:
    last = Ticket.objects.for_tenant(tenant).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def _event(ticket: Ticket, by: User | None, kind: str, old="", new="", at=None) -> TicketEvent:
    return TicketEvent.objects.create(
        tenant_id=ticket.tenant_id,
        ticket=ticket,
        actor=by,
        kind=kind,
        old_value=str(old or "")[:200],
        new_value=str(new or "")[:200],
        created_at=at or timezone.now(),
    )


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
) -> Ticket:
    """A new request. Numbers are per tenant; a concurrent open retries with the next one."""
    membership = Membership.objects.for_tenant(tenant).filter(user=requester).first()
    at = at or timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                ticket = Ticket.objects.create(
                    tenant=tenant,
                    number=_next_number(tenant),
                    subject=subject,
                    description=description,
                    queue=queue,
                    priority=priority,
                    requester=requester,
                    organization=membership.organization if membership else None,
                    created_at=at,
                    updated_at=at,
                )
                _event(ticket, by or requester, TicketEvent.Kind.CREATED, at=at)
                return ticket
        except IntegrityError:
            continue
    raise IntegrityError("Could not allocate a ticket number.")


def _touch(ticket: Ticket, at, *fields: str) -> None:
    ticket.updated_at = at
    ticket.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def add_comment(
    *, ticket: Ticket, author: User, body: str, is_public: bool = True, at=None
) -> Comment:
    """A reply or an internal note. A public staff reply is the ticket's first response."""
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    comment = Comment.objects.create(
        tenant_id=ticket.tenant_id,
        ticket=ticket,
        author=author,
        body=body,
        is_public=is_public,
        created_at=at,
    )
    fields = []
    by_staff = (
        author.pk != ticket.requester_id
        and Membership.objects.for_tenant(ticket.tenant).staff().filter(user=author).exists()
    )
    if is_public and by_staff and ticket.first_response_at is None:
        ticket.first_response_at = at
        fields.append("first_response_at")
    _touch(ticket, at, *fields)
    _event(ticket, author, TicketEvent.Kind.REPLY if is_public else TicketEvent.Kind.NOTE, at=at)
    return comment


@transaction.atomic
def change_status(*, ticket: Ticket, to: str, by: User | None, at=None) -> Ticket:
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == to:
        return ticket
    if not ticket.can_move_to(to):
        raise InvalidTransition(ticket.status, to)
    old = ticket.status
    ticket.status = to
    fields = ["status"]
    if to == Ticket.Status.SOLVED and ticket.solved_at is None:
        ticket.solved_at = at
        fields.append("solved_at")
    if old in (Ticket.Status.SOLVED, Ticket.Status.CLOSED) and to in Ticket.UNSOLVED:
        ticket.reopened_count += 1
        fields.append("reopened_count")
    _touch(ticket, at, *fields)
    _event(ticket, by, TicketEvent.Kind.STATUS, old, to, at=at)
    return ticket


@transaction.atomic
def assign_ticket(*, ticket: Ticket, assignee: User | None, by: User | None, at=None) -> Ticket:
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return ticket
    old = ticket.assignee.email if ticket.assignee else ""
    ticket.assignee = assignee
    _touch(ticket, at, "assignee")
    _event(ticket, by, TicketEvent.Kind.ASSIGNEE, old, assignee.email if assignee else "", at=at)
    return ticket


@transaction.atomic
def change_priority(*, ticket: Ticket, to: str, by: User | None, at=None) -> Ticket:
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.priority == to:
        return ticket
    old, ticket.priority = ticket.priority, to
    _touch(ticket, at, "priority")
    _event(ticket, by, TicketEvent.Kind.PRIORITY, old, to, at=at)
    return ticket


@transaction.atomic
def move_to_queue(*, ticket: Ticket, queue: Queue | None, by: User | None, at=None) -> Ticket:
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.queue_id == (queue.pk if queue else None):
        return ticket
    old = ticket.queue.name if ticket.queue else ""
    ticket.queue = queue
    _touch(ticket, at, "queue")
    _event(ticket, by, TicketEvent.Kind.QUEUE, old, queue.name if queue else "", at=at)
    return ticket


@transaction.atomic
def set_tags(*, ticket: Ticket, names: list[str], by: User | None, at=None) -> Ticket:
    at = at or timezone.now()
    names = sorted({n.strip().lower()[:50] for n in names if n.strip()})
    old = sorted(ticket.tags.values_list("name", flat=True))
    if names == old:
        return ticket
    tags = [Tag.objects.get_or_create(tenant_id=ticket.tenant_id, name=n)[0] for n in names]
    ticket.tags.set(tags)
    _touch(ticket, at)
    _event(ticket, by, TicketEvent.Kind.TAGS, ", ".join(old), ", ".join(names), at=at)
    return ticket


@transaction.atomic
def rate_ticket(*, ticket: Ticket, score: int, comment: str = "", by: User, at=None) -> Rating:
    """The requester's rating of a solved ticket; a second rating replaces the first."""
    at = at or timezone.now()
    rating, created = Rating.objects.update_or_create(
        ticket=ticket,
        defaults={
            "tenant_id": ticket.tenant_id,
            "score": score,
            "comment": comment,
            "agent_id": ticket.assignee_id,
            "updated_at": at,
        },
        create_defaults={
            "tenant_id": ticket.tenant_id,
            "score": score,
            "comment": comment,
            "agent_id": ticket.assignee_id,
            "created_at": at,
            "updated_at": at,
        },
    )
    _event(ticket, by, TicketEvent.Kind.RATED, "", str(score), at=at)
    return rating


@transaction.atomic
def grant_queue(*, queue: Queue, user: User, by: User | None, expires_at=None) -> QueueGrant:
    """Let a member work a queue (until ``expires_at``, if given)."""
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


def _iso(value):
    return value.isoformat() if value else None
