"""Every write to tickets and queues, one function per move in the helpdesk's language."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.granting import check_grant
from accounts.models import Membership, Tenant, User
from accounts.services import record_audit
from outbox.services import enqueue

from .models import (
    Attachment,
    Comment,
    NotificationTemplate,
    Queue,
    QueueGrant,
    Rating,
    SavedFilter,
    Tag,
    Ticket,
    TicketEvent,
)


class InvalidTransition(Exception):  # noqa: N818
    """A status move the lifecycle does not allow; ``reason``, when given, says why in words."""

    def __init__(self, old: str, new: str, reason: str = ""):
        super().__init__(reason or f"A ticket cannot move from {old} to {new}.")
        self.old, self.new, self.reason = old, new, reason


class TicketClosed(Exception):  # noqa: N818 (a refusal, like InvalidTransition)
    """A closed ticket is final: it takes no more replies, notes or files, and its
    properties (assignee, priority, queue, tags) stay as they were when it closed."""

    def __init__(self, message: str = ""):
        self.message = message or _(
            "This ticket is closed: it takes no more replies, notes or files. "
            "Open a new request to follow up."
        )
        super().__init__(self.message)


def _refuse_if_closed(ticket: Ticket) -> None:
    """A property change to a closed ticket: refused (its record stays as it was closed)."""
    if ticket.status == Ticket.Status.CLOSED:
        raise TicketClosed(
            _("This ticket is closed: its assignee, priority, queue and tags no longer change.")
        )


# A reply from the requester's side hands these back to the helpdesk: pending was waiting
# on them, and a reply to a solved request means it was not solved after all (Zendesk's rule).
REOPENED_BY_CUSTOMER_REPLY = (Ticket.Status.PENDING, Ticket.Status.SOLVED)


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


def _event(
    ticket: Ticket, by: User | None, kind: str, old="", new="", at=None, comment=None
) -> TicketEvent:
    return TicketEvent.objects.create(
        tenant_id=ticket.tenant_id,
        ticket=ticket,
        actor=by,
        kind=kind,
        old_value=str(old or "")[:200],
        new_value=str(new or "")[:200],
        created_at=at or timezone.now(),
        comment=comment,
    )


def _notify_on_commit(event: TicketEvent) -> None:
    """E-mail about this event once the transaction commits (never while muted, e.g. the demo)."""
    from .notifications import is_muted
    from .tasks import notify_event_task

    if is_muted():
        return
    enqueue(notify_event_task, event.pk)


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
                _event(ticket, by or requester, TicketEvent.Kind.CREATED, at=at)
                return ticket
        except IntegrityError:
            ticket.pk = None
            continue
    raise IntegrityError("Could not allocate a ticket number.")


def _touch(ticket: Ticket, at, *fields: str) -> None:
    ticket.updated_at = at
    ticket.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def add_comment(
    *, ticket: Ticket, author: User, body: str, is_public: bool = True, at=None
) -> Comment:
    """A reply or an internal note. A public staff reply is the ticket's first response.

    A public reply from the requester's side (the requester, or a colleague the request is
    shared with) moves a pending or solved ticket back to open, recorded as a status change
    by them. A closed ticket refuses (TicketClosed).
    """
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == Ticket.Status.CLOSED:
        raise TicketClosed
    comment = Comment.objects.create(
        tenant_id=ticket.tenant_id,
        ticket=ticket,
        author=author,
        body=body,
        is_public=is_public,
        created_at=at,
    )
    fields = []
    by_staff = _writes_for_helpdesk(ticket=ticket, author=author)
    if is_public and by_staff and ticket.first_response_at is None:
        ticket.first_response_at = at
        fields.append("first_response_at")
    _touch(ticket, at, *fields)
    event = _event(
        ticket,
        author,
        TicketEvent.Kind.REPLY if is_public else TicketEvent.Kind.NOTE,
        at=at,
        comment=comment,
    )
    # Internal notes never leave the helpdesk; the requester hears of staff replies only.
    if is_public and by_staff:
        _notify_on_commit(event)
    if is_public and not by_staff and ticket.status in REOPENED_BY_CUSTOMER_REPLY:
        _move(ticket, Ticket.Status.OPEN, by=author, at=at)
    return comment


def _writes_for_helpdesk(*, ticket: Ticket, author: User) -> bool:
    """Whether this author writes for the helpdesk on this ticket (not as its requester)."""
    return (
        author.pk != ticket.requester_id
        and Membership.objects.for_tenant(ticket.tenant).staff().filter(user=author).exists()
    )


@transaction.atomic
def change_status(*, ticket: Ticket, to: str, by: User | None, at=None) -> Ticket:
    """Any legal move (Ticket.NEXT_STATUSES) by staff, or by a job such as closing."""
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == to:
        return ticket
    if not ticket.can_move_to(to):
        raise InvalidTransition(ticket.status, to)
    return _move(ticket, to, by=by, at=at)


@transaction.atomic
def reopen_ticket(*, ticket: Ticket, by: User, at=None) -> Ticket:
    """The requester's side says a solved request is not solved after all: open again.

    The one status move a customer makes by hand (portal button, API PATCH). New and pending
    tickets are the helpdesk's to move (a reply hands a pending one back by itself), and a
    closed one is final.
    """
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == Ticket.Status.OPEN:
        return ticket
    if ticket.status == Ticket.Status.CLOSED:
        raise InvalidTransition(
            ticket.status,
            Ticket.Status.OPEN,
            _(
                "This request is closed and cannot be reopened. "
                "Open a new request if you need more help."
            ),
        )
    if ticket.status != Ticket.Status.SOLVED:
        raise InvalidTransition(
            ticket.status, Ticket.Status.OPEN, _("Only a solved request can be reopened.")
        )
    return _move(ticket, Ticket.Status.OPEN, by=by, at=at)


def _move(ticket: Ticket, to: str, *, by: User | None, at) -> Ticket:
    """Apply a legal move to a locked ticket and record it: the event metrics count from."""
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
    event = _event(ticket, by, TicketEvent.Kind.STATUS, old, to, at=at)
    if to == Ticket.Status.SOLVED:
        _notify_on_commit(event)
    return ticket


@transaction.atomic
def assign_ticket(*, ticket: Ticket, assignee: User | None, by: User | None, at=None) -> Ticket:
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return ticket
    _refuse_if_closed(ticket)
    old = ticket.assignee.email if ticket.assignee else ""
    ticket.assignee = assignee
    _touch(ticket, at, "assignee")
    event = _event(
        ticket, by, TicketEvent.Kind.ASSIGNEE, old, assignee.email if assignee else "", at=at
    )
    if assignee is not None and (by is None or assignee.pk != by.pk):
        _notify_on_commit(event)  # taking a ticket yourself needs no e-mail
    return ticket


@transaction.atomic
def change_priority(*, ticket: Ticket, to: str, by: User | None, at=None) -> Ticket:
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.priority == to:
        return ticket
    _refuse_if_closed(ticket)
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
    _refuse_if_closed(ticket)
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
    _refuse_if_closed(Ticket.objects.select_for_update().get(pk=ticket.pk))
    tags = [Tag.objects.get_or_create(tenant_id=ticket.tenant_id, name=n)[0] for n in names]
    ticket.tags.set(tags)
    _touch(ticket, at)
    _event(ticket, by, TicketEvent.Kind.TAGS, ", ".join(old), ", ".join(names), at=at)
    return ticket


@transaction.atomic
def rate_ticket(*, ticket: Ticket, score: int, comment: str = "", by: User, at=None) -> Rating:
    """The requester's rating of a solved ticket; a second rating replaces the first.

    Only while solved: a closed ticket is final, its rating included (as in Zendesk, where a
    rating may change until the ticket closes).
    """
    at = at or timezone.now()
    if not 1 <= int(score) <= 5:
        raise ValueError("A rating is a score from 1 to 5.")
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == Ticket.Status.CLOSED:
        raise InvalidTransition(
            ticket.status, "rated", _("This request is closed: its rating can no longer change.")
        )
    if ticket.status != Ticket.Status.SOLVED:
        raise InvalidTransition(
            ticket.status, "rated", _("You can rate a request once it is solved.")
        )
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
    """Let a member work a queue (until ``expires_at``, if given), if ``by`` may give it."""
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


def _iso(value):
    return value.isoformat() if value else None


class AttachmentRefused(ValidationError):
    """A file too big or of a type the helpdesk does not accept."""


def check_upload(upload) -> None:
    """Refuse files over ATTACHMENT_MAX_BYTES or of a type not in ATTACHMENT_ALLOWED_TYPES."""
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise AttachmentRefused(
            _("%(name)s is too big: files may be up to %(limit)s MB.")
            % {"name": upload.name, "limit": round(settings.ATTACHMENT_MAX_BYTES / 1_048_576, 1)}
        )
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if content_type not in settings.ATTACHMENT_ALLOWED_TYPES:
        raise AttachmentRefused(
            _("%(name)s is a kind of file this helpdesk does not accept (%(type)s).")
            % {"name": upload.name, "type": content_type or "?"}
        )


def check_attachable(*, ticket: Ticket, by: User, comment: Comment | None = None) -> str:
    """Where a file may go: on a comment, its author's; without one, the request's requester.

    A file belongs to the message it came with, so that a customer never sees a file joined
    to an internal note and nobody's words gain files they did not send. A closed ticket
    takes no files at all. Returns the ticket's status as it is now.
    """
    status = Ticket.objects.filter(pk=ticket.pk).values_list("status", flat=True).get()
    if status == Ticket.Status.CLOSED:
        raise TicketClosed
    if comment is not None:
        if comment.ticket_id != ticket.pk or comment.author_id != by.pk:
            raise AttachmentRefused(
                _("Files can be added only to your own comments on this ticket.")
            )
    elif ticket.requester_id != by.pk:
        raise AttachmentRefused(
            _("Only the requester adds files to the request itself; add yours to a comment.")
        )
    return status


def _files_hand_back(*, ticket: Ticket, status: str, by: User, comment: Comment | None) -> None:
    """Files the requester's side sends where the helpdesk sees them (the request itself, or
    one of their public comments) hand a pending or solved ticket back, as a reply does."""
    if status not in REOPENED_BY_CUSTOMER_REPLY or (comment is not None and not comment.is_public):
        return
    if _writes_for_helpdesk(ticket=ticket, author=by):
        return
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if locked.status in REOPENED_BY_CUSTOMER_REPLY:
        _move(locked, Ticket.Status.OPEN, by=by, at=timezone.now())


def upload_refusals(uploads) -> list[str]:
    """Why each of these files would be refused (nothing when all may be stored)."""
    refusals = []
    for upload in uploads:
        try:
            check_upload(upload)
        except AttachmentRefused as refusal:
            refusals.extend(refusal.messages)
    return refusals


@transaction.atomic
def attach_file(*, ticket: Ticket, upload, by: User, comment: Comment | None = None) -> Attachment:
    """Store an uploaded file through the storage API, beside the ticket (and its comment)."""
    check_upload(upload)
    status = check_attachable(ticket=ticket, by=by, comment=comment)
    attachment = _store(ticket=ticket, upload=upload, by=by, comment=comment)
    _files_hand_back(ticket=ticket, status=status, by=by, comment=comment)
    return attachment


@transaction.atomic
def attach_files(
    *, ticket: Ticket, uploads: list, by: User, comment: Comment | None = None
) -> list[Attachment]:
    """Several files at once: all are checked before any is stored, so none or all are kept."""
    if not uploads:
        raise AttachmentRefused(_("Choose at least one file."))
    for upload in uploads:
        check_upload(upload)
    status = check_attachable(ticket=ticket, by=by, comment=comment)
    stored = [_store(ticket=ticket, upload=u, by=by, comment=comment) for u in uploads]
    _files_hand_back(ticket=ticket, status=status, by=by, comment=comment)
    return stored


def _store(*, ticket: Ticket, upload, by: User, comment: Comment | None) -> Attachment:
    name = (upload.name or "file").replace("/", "_").replace("\\", "_")[-200:]
    attachment = Attachment(
        tenant_id=ticket.tenant_id,
        ticket=ticket,
        comment=comment,
        filename=name,
        content_type=(upload.content_type or "application/octet-stream").split(";")[0],
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def create_queue(
    *, tenant: Tenant, name: str, description: str = "", is_public: bool = True, by: User | None
) -> Queue:
    queue = Queue.objects.create(
        tenant=tenant, name=name, description=description, is_public=is_public
    )
    record_audit(
        tenant=tenant,
        actor=by,
        action="queue.created",
        target=queue,
        after={"name": name, "is_public": is_public},
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
    agents: list[User] | None = None,
) -> Queue:
    """Rename or describe a queue, and set exactly which agents work it (through grants)."""
    check_grant(tenant=queue.tenant_id, by=by, queue_taken=queue)
    before = {"name": queue.name, "description": queue.description, "is_public": queue.is_public}
    for field, value in [("name", name), ("description", description), ("is_public", is_public)]:
        if value is not None:
            setattr(queue, field, value)
    after = {"name": queue.name, "description": queue.description, "is_public": queue.is_public}
    if after != before:
        queue.save(update_fields=["name", "description", "is_public"])
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


def save_filter(*, tenant: Tenant, owner: User, name: str, query: str) -> SavedFilter:
    """Keep a workspace view under a name (the same name again replaces it)."""
    saved, _created = SavedFilter.objects.update_or_create(
        tenant=tenant, owner=owner, name=name[:80], defaults={"query": query[:1000]}
    )
    return saved


def delete_filter(*, saved: SavedFilter) -> None:
    saved.delete()


def save_notification_template(
    *, tenant: Tenant, kind: str, subject: str, body: str, by: User | None
) -> NotificationTemplate:
    template, _created = NotificationTemplate.objects.update_or_create(
        tenant=tenant,
        kind=kind,
        defaults={"subject": subject, "body": body, "updated_at": timezone.now()},
    )
    record_audit(
        tenant=tenant,
        actor=by,
        action="notification_template.saved",
        target=template,
        after={"kind": kind, "subject": subject},
    )
    return template


def reset_notification_template(*, tenant: Tenant, kind: str, by: User | None) -> None:
    template = NotificationTemplate.objects.for_tenant(tenant).filter(kind=kind).first()
    if template is not None:
        record_audit(
            tenant=tenant,
            actor=by,
            action="notification_template.reset",
            target=template,
            before={"kind": kind, "subject": template.subject},
        )
        template.delete()
