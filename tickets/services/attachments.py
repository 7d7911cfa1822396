"""Files sent with a request or a comment."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import (
    Attachment,
    Comment,
    Ticket,
)
from .base import (
    REOPENED_BY_CUSTOMER_REPLY,
    TicketClosed,
    _move,
    _writes_for_helpdesk,
)


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
