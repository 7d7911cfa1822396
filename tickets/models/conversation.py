"""A ticket's conversation: replies and internal notes, the events of its timeline, and the
files attached to it."""

from __future__ import annotations

import re
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import can
from accounts.models import Membership
from accounts.tenancy import TenantOwned, TenantQuerySet

from .queues import sees_every_ticket
from .tickets import Ticket


class CommentQuerySet(TenantQuerySet):
    def visible_to(self, member: Membership):
        """The only door to comments: those of the tickets the member sees, internal notes only
        to those decide() lets read them ("view_internal_notes"; never a customer)."""
        comments = self.for_tenant(member.tenant)
        if not member.is_active:
            return comments.none()
        if not sees_every_ticket(member):
            comments = comments.filter(ticket__in=Ticket.objects.visible_to(member).values("pk"))
        if not can(member, "view_internal_notes"):
            comments = comments.filter(is_public=True)
        return comments


class Comment(TenantOwned):
    """A public reply or an internal note (``is_public=False``: staff only, never a customer)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=50_000)
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="comment_timeline")]

    @property
    def is_internal(self) -> bool:
        return not self.is_public

    def __str__(self):
        return f"{'reply' if self.is_public else 'note'} on {self.ticket_id}"


class TicketEvent(TenantOwned):
    """Every change to a ticket, with who and when: the timeline and the metrics' history."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        STATUS = "status", _("status changed")
        PRIORITY = "priority", _("priority changed")
        QUEUE = "queue", _("queue changed")
        ASSIGNEE = "assignee", _("assignee changed")
        TAGS = "tags", _("tags changed")
        REPLY = "reply", _("public reply")
        NOTE = "note", _("internal note")
        RATED = "rated", _("rated")
        COLLEAGUE = "colleague", _("colleague added")
        # A target about to be missed, and missed: the timeline's entry and the "once" record
        # of the beat job that tells people (new_value: the target, old_value: its due time).
        SLA_WARNING = "sla_warn", _("service-level warning")
        SLA_BREACH = "sla_breach", _("service level breached")

    class Reason(models.TextChoices):
        """Why the helpdesk itself made a change, said in words on the timeline."""

        ROUND_ROBIN = "round_robin", _("round robin")
        LEAST_LOADED = "least_loaded", _("least loaded")
        HANDED_OVER = "handed_over", _("handed over while away")
        HANDED_BACK = "handed_back", _("handed back on return")
        AUTO_CLOSED = "auto_closed", _("closed automatically")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The reply or note this event records (kinds reply and note): the timeline shows it inline.
    comment = models.ForeignKey(
        "Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Why, when a rule made the change (assignment, cover for an absence, closing), and what
    # the rule was about: the queue's name, the absent person's e-mail, the days waited.
    reason = models.CharField(max_length=16, choices=Reason.choices, blank=True)
    reason_about = models.CharField(max_length=200, blank=True)
    # When the e-mail this event causes was sent: a task run twice sends once.
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="event_timeline"),
            # Incremental metrics: what changed in a tenant since the last run.
            models.Index(fields=["tenant", "created_at"], name="event_recent"),
        ]
        constraints = [
            # One warning and one breach per target and due time (a job run twice tells once).
            models.UniqueConstraint(
                fields=["ticket", "kind", "new_value", "old_value"],
                condition=models.Q(kind__in=["sla_warn", "sla_breach"]),
                name="event_sla_once",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.old_value}->{self.new_value}"


def attachment_path(instance, filename):
    """A generated name: the uploader's (kept in ``filename`` for display and downloads) may be
    longer than a file system allows (255 bytes: 96 CJK characters) or hold anything at all."""
    suffix = PurePath(filename).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,10}", suffix):
        suffix = ""
    return f"attachments/{instance.tenant_id}/{instance.ticket_id}/{uuid.uuid4().hex}{suffix}"


class AttachmentQuerySet(TenantQuerySet):
    def visible_to(self, member: Membership):
        """Attachments of tickets the member sees: the request's own, and those of the comments
        the member may read (Comment.objects.visible_to: never an internal note's to a customer)."""
        attachments = self.for_tenant(member.tenant).filter(
            ticket__in=Ticket.objects.visible_to(member).values("pk")
        )
        readable = Exists(Comment.objects.visible_to(member).filter(pk=OuterRef("comment_id")))
        return attachments.filter(Q(comment__isnull=True) | readable)


class Attachment(TenantOwned):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    def __str__(self):
        return self.filename
