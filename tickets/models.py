from __future__ import annotations

import re
import uuid
from functools import cache
from pathlib import PurePath
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, NullIf
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import get_objects_for_user

from accounts.access import can
from accounts.models import Membership, Organization, User
from accounts.tenancy import TenantOwned, TenantQuerySet
from core import versions


class _GrantChanges:
    """Counts object-permission writes in this process, so that grants cached on a
    membership object are read again after a grant or a revocation (tests and jobs hold a
    membership across such changes; a web request resolves a fresh one anyway), and bumps
    the shared version of grants, under which every process keeps each member's queue ids."""

    count = 0

    @classmethod
    def bump(cls, **kwargs) -> None:
        cls.count += 1
        versions.bump(GRANTS_VERSION)

    @classmethod
    def groups_changed(cls, action, **kwargs) -> None:
        """Someone joined or left a group: its object permissions came or went with it."""
        if action.startswith("post_"):
            cls.bump()


GRANTS_VERSION = "queue-grants"
for _model in (UserObjectPermission, GroupObjectPermission):
    post_save.connect(_GrantChanges.bump, sender=_model, dispatch_uid=f"grants-{_model.__name__}")
    post_delete.connect(
        _GrantChanges.bump, sender=_model, dispatch_uid=f"grants-del-{_model.__name__}"
    )
m2m_changed.connect(
    _GrantChanges.groups_changed,
    sender=User.groups.through,
    dispatch_uid="grants-groups",
)


def sees_every_ticket(member: Membership) -> bool:
    """Whether the member's tickets are all of the tenant's (their role's scope, or agents where
    the tenant lets agents work every queue)."""
    return member.sees_all_tickets or (member.works_queues and member.tenant.agents_work_all_queues)


def works_every_queue(member: Membership) -> bool:
    """Supervisors and admins work every queue, and so do agents where the tenant says so."""
    return member.sees_all_tickets or member.tenant.agents_work_all_queues


def granted_queue_ids(member: Membership) -> list[int]:
    """Ids of the queues granted to the member, read once per membership object.

    Guardian holds the grant; QueueGrant only adds who granted it and its expiry. A request
    resolves its membership once, so this is one cache read per request (one small query
    after a grant changed anywhere); lists then filter on literal ids, which the planner can
    estimate (a guardian subquery it cannot, and at a million tickets it then walks every
    ticket of the queues instead of the newest few).
    """
    cached = getattr(member, "_granted_queue_ids", None)
    if cached is None or cached[0] != _GrantChanges.count:
        user = member.user

        def read():
            queues = get_objects_for_user(
                user,
                "tickets.work_queue",
                klass=Queue.objects.for_tenant(member.tenant),
                accept_global_perms=False,
            )
            return sorted(queues.values_list("pk", flat=True))

        # Kept between requests under the version every grant and revocation bumps; what
        # guardian also weighs of the person (superuser, active) is in the key.
        key = f"grants:{member.tenant_id}:{user.pk}:{user.is_superuser:d}{user.is_active:d}"
        cached = (_GrantChanges.count, versions.cached(GRANTS_VERSION, key, read))
        member._granted_queue_ids = cached
    return cached[1]


class QueueQuerySet(TenantQuerySet):
    def visible_to(self, member: Membership):
        """Queues the member sees: every one with "view_all_queues", else the portal's."""
        queues = self.for_tenant(member.tenant)
        if can(member, "view_all_queues"):
            return queues
        return queues.filter(is_public=True)

    def worked_by(self, member: Membership):
        """Queues the member works: all for supervisors/admins or where the tenant says so."""
        queues = self.for_tenant(member.tenant)
        if works_every_queue(member):
            return queues
        return queues.filter(pk__in=granted_queue_ids(member))


class Queue(TenantOwned):
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    is_public = models.BooleanField(
        _("offered in the portal"),
        default=True,
        help_text=_("Customers may choose this queue when they submit a request."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = QueueQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [("work_queue", "Work tickets in this queue")]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="queue_name_unique")]

    def __str__(self):
        return self.name


class QueueGrant(TenantOwned):
    """A member works a queue. Mirrors guardian's ``work_queue`` object permission, adding
    who granted it and when it expires (an expired grant is removed by a Celery job)."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["queue", "user"], name="queue_grant_unique")]
        indexes = [
            # The expiry job: grants whose time has come.
            models.Index(
                fields=["expires_at"],
                name="queue_grant_expiry",
                condition=Q(expires_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.user} works {self.queue}"


class Tag(TenantOwned):
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="tag_name_unique")]

    def __str__(self):
        return self.name


@cache
def _list_names() -> dict:
    """TicketQuerySet.with_list_names's lookups, built once (annotate copies them)."""

    def full_name(key):
        person = User.objects.filter(pk=models.OuterRef(key))
        name = Coalesce(NullIf("name", models.Value("")), "email", output_field=models.CharField())
        return models.Subquery(person.values(full=name)[:1])

    def name_of(model, key):
        return models.Subquery(model.objects.filter(pk=models.OuterRef(key)).values("name")[:1])

    return {
        "requester_name": full_name("requester_id"),
        "assignee_name": full_name("assignee_id"),
        "queue_name": name_of(Queue, "queue_id"),
        "organization_name": name_of(Organization, "organization_id"),
    }


class TicketQuerySet(TenantQuerySet):
    def visible_to(self, member: Membership):
        """Tickets this member may see: the same rule as tickets.access.ticket_rule."""
        tickets = self.for_tenant(member.tenant)
        if not member.is_active:
            return tickets.none()
        if sees_every_ticket(member):
            return tickets
        if member.works_queues:
            return tickets.filter(
                Q(queue_id__in=granted_queue_ids(member)) | Q(assignee_id=member.user_id)
            )
        own = Q(requester_id=member.user_id)
        if member.tenant.customers_see_organization_tickets and member.organization_id:
            own |= Q(organization_id=member.organization_id)
        return tickets.filter(own)

    def open(self):
        return self.exclude(status__in=[Ticket.Status.SOLVED, Ticket.Status.CLOSED])

    def with_list_columns(self):
        return self.select_related("requester", "assignee", "queue", "organization")

    def with_list_names(self):
        """The names a list row shows, each as its own lookup: ``requester_name``,
        ``assignee_name`` (a person's full name: the name, else the e-mail address),
        ``queue_name`` and ``organization_name`` (None where there is none).

        Four scalar lookups, not four joins: at 1M tickets the planner spent 3-4 ms on every
        page choosing among the joins' orders, and 0.3 ms on this; each lookup reads one row
        by its key for the page's rows only.
        """
        return self.annotate(**_list_names())

    def with_tags(self):
        return self.prefetch_related(models.Prefetch("tags", queryset=Tag.objects.order_by("name")))

    def for_history(self):
        """Incident history rows: list columns plus the rating, in one query."""
        return self.with_list_columns().select_related("rating")

    def unassigned(self):
        return self.filter(assignee__isnull=True)

    def search(self, text: str, *, member: Membership):
        """Full text over subject, description and the conversation the member may read.

        PostgreSQL: the GIN indexes of migration 0003 serve these expressions. Elsewhere
        (SQLite for the demo) a plain icontains. The conversation is read through
        Comment.objects.visible_to, so that a customer's search never reveals what a note says.
        """
        text = (text or "").strip()
        if not text:
            return self
        comments = Comment.objects.visible_to(member)
        if settings.IS_POSTGRES:
            from django.contrib.postgres.search import SearchQuery, SearchVector

            query = SearchQuery(text, config="english", search_type="websearch")
            in_tickets = (
                Ticket.objects.annotate(
                    _fts=SearchVector("subject", "description", config="english")
                )
                .filter(_fts=query)
                .order_by()
                .values("pk")
            )
            in_comments = (
                comments.annotate(_fts=SearchVector("body", config="english"))
                .filter(_fts=query)
                .order_by()
                .values("ticket_id")
            )
            # One subquery of two index scans (a UNION): an OR of two would scan every ticket.
            return self.filter(pk__in=in_tickets.union(in_comments))
        hits = comments.filter(body__icontains=text)
        return self.filter(
            Q(subject__icontains=text)
            | Q(description__icontains=text)
            | Q(pk__in=hits.values("ticket_id"))
        )


class Ticket(TenantOwned):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        PENDING = "pending", _("Pending")
        SOLVED = "solved", _("Solved")
        CLOSED = "closed", _("Closed")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    NEXT_STATUSES: ClassVar[dict[str, set[str]]] = {
        Status.NEW: {Status.OPEN, Status.PENDING, Status.SOLVED},
        Status.OPEN: {Status.PENDING, Status.SOLVED},
        Status.PENDING: {Status.OPEN, Status.SOLVED},
        Status.SOLVED: {Status.OPEN, Status.CLOSED},
        Status.CLOSED: set(),
    }
    UNSOLVED = (Status.NEW, Status.OPEN, Status.PENDING)

    number = models.PositiveIntegerField()  # per tenant, shown to people
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), max_length=50_000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    queue = models.ForeignKey(
        Queue, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requested_tickets"
    )
    # The requester's organization when the ticket was opened: history and metrics per company.
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(null=True, blank=True)  # first public staff reply
    solved_at = models.DateTimeField(null=True, blank=True)  # first time solved
    reopened_count = models.PositiveIntegerField(default=0)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], name="ticket_number_unique")
        ]
        indexes = [
            # Workspace and portal lists: a tenant's tickets by status, newest first.
            models.Index(fields=["tenant", "status", "-created_at"], name="ticket_inbox"),
            # "Recently updated" view.
            models.Index(fields=["tenant", "-updated_at"], name="ticket_recent"),
            # Agent views: my tickets / a queue's tickets.
            models.Index(fields=["tenant", "assignee", "status"], name="ticket_assignee"),
            models.Index(fields=["tenant", "queue", "status"], name="ticket_queue"),
            # Portal and incident history: one requester's tickets.
            models.Index(fields=["tenant", "requester", "-created_at"], name="ticket_requester"),
            models.Index(fields=["tenant", "organization", "-created_at"], name="ticket_org"),
            # "All in my queues" (the workspace's default view), newest first.
            models.Index(fields=["tenant", "queue", "-created_at"], name="ticket_queue_newest"),
            # "All tickets" for supervisors and admins, and the API list, newest first.
            models.Index(fields=["tenant", "-created_at"], name="ticket_newest"),
            # "Unassigned in my queues": a queue's tickets nobody holds, newest first.
            models.Index(
                fields=["tenant", "queue", "-created_at"],
                name="ticket_unassigned",
                condition=Q(assignee__isnull=True),
            ),
            # Metrics: the tickets solved on the days an incremental run recomputes.
            models.Index(
                fields=["tenant", "solved_at"],
                name="ticket_solved",
                condition=Q(solved_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"#{self.number} {self.subject}"

    # What Django's get_FOO_display gives (the label, or the value itself when it is not a
    # choice), without rebuilding the choices' dict for every call: every list shows these.
    def get_status_display(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    def get_priority_display(self) -> str:
        return str(PRIORITY_LABELS.get(self.priority, self.priority))

    def can_move_to(self, status: str) -> bool:
        return status in self.NEXT_STATUSES[self.status]

    @property
    def is_solved(self) -> bool:
        return self.status in (self.Status.SOLVED, self.Status.CLOSED)


STATUS_LABELS = dict(Ticket.Status.choices)
PRIORITY_LABELS = dict(Ticket.Priority.choices)


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
    # When the e-mail this event causes was sent: a task run twice sends once.
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="event_timeline"),
            # Incremental metrics: what changed in a tenant since the last run.
            models.Index(fields=["tenant", "created_at"], name="event_recent"),
        ]

    def __str__(self):
        return f"{self.kind} {self.old_value}->{self.new_value}"


class Rating(TenantOwned):
    """The requester's satisfaction with a solved ticket: one per ticket, a second replaces it."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=5000)
    # The agent who held the ticket when it was rated: kudos and per-agent CSAT.
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratings_received",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_range"
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "updated_at"], name="rating_recent"),
            # Metrics: the ratings given on the days an incremental run recomputes.
            models.Index(fields=["tenant", "created_at"], name="rating_given"),
        ]

    def __str__(self):
        return f"{self.score}/5 for {self.ticket_id}"


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


class SavedFilterQuerySet(TenantQuerySet):
    def owned_by(self, member: Membership):
        return self.for_tenant(member.tenant).filter(owner_id=member.user_id)


class SavedFilter(TenantOwned):
    """A workspace view of one's own: a name and the query string of the list's filters."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SavedFilterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "owner", "name"], name="saved_filter_name_unique"
            )
        ]

    def __str__(self):
        return self.name


class NotificationTemplate(TenantOwned):
    """A tenant's wording for one kind of e-mail; without one, the default text is used."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Staff replied to a request")
        SOLVED = "solved", _("A request was solved")
        ASSIGNED = "assigned", _("A ticket was assigned to an agent")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), max_length=10_000)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "kind"], name="notification_kind_unique")
        ]

    def __str__(self):
        return self.kind
