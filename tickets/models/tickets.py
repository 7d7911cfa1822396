"""Tickets, their QuerySet (the one door to them) and their status and priority labels."""

from __future__ import annotations

from functools import cache
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organization, User
from accounts.tenancy import TenantOwned, TenantQuerySet
from core.params import whole_number

from .queues import Queue, granted_queue_ids, sees_every_ticket
from .service_levels import TicketServiceLevels
from .tags import Tag

NUMBER_MAX = 2**31 - 1  # a PositiveIntegerField's greatest value


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


class _IsAnyOf(models.Func):
    """``pk = ANY(ARRAY(subquery))``: PostgreSQL reads the array once (an InitPlan) and looks
    each id up by the primary key, so an OR with it still combines index scans (BitmapOr).
    ``pk IN (subquery)`` inside an OR is a filter checked on every row instead: the portal
    would walk the tenant's every ticket to find a customer's few."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = models.BooleanField()


def _shared_with(member: Membership) -> Q:
    """The requests colleagues added this member to (tickets.services.add_colleague)."""
    from .colleagues import TicketColleague  # colleagues build on tickets, not the reverse

    shared = (
        TicketColleague.objects.for_tenant(member.tenant)
        .filter(user_id=member.user_id)
        .values("ticket_id")
    )
    if settings.IS_POSTGRES:
        from django.contrib.postgres.expressions import ArraySubquery

        return Q(_IsAnyOf(models.F("pk"), ArraySubquery(shared)))
    return Q(pk__in=shared)


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
        own = Q(requester_id=member.user_id) | _shared_with(member)
        if member.tenant.customers_see_organization_tickets and member.organization_id:
            own |= Q(organization_id=member.organization_id)
        return tickets.filter(own)

    def with_subject_or_number(self, text: str):
        """The portal's search box: "#136" or "136" finds that number, other words the
        subjects holding them. Meant for a requester's own few requests (the portal reads them
        by the ticket_requester index first); the number is the tenant's unique key."""
        text = (text or "").strip()
        if not text:
            return self
        number = whole_number(text.removeprefix("#").strip(), low=1, high=NUMBER_MAX)
        found = Q(subject__icontains=text)
        if number is not None:
            found |= Q(number=number)
        return self.filter(found)

    def open(self):
        # The unsolved statuses named, not the others excluded: an index that holds the status
        # (ticket_assignee, ticket_queue) then reads only the open rows, not all of them.
        return self.filter(status__in=Ticket.UNSOLVED)

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
        """The tickets matching what the member typed: tickets.search.search_tickets."""
        from ..search import search_tickets  # the search module reads these models

        return search_tickets(self, text, member=member)


# A priority's rank, least urgent first: the "Priority" sort, and the index that serves it.
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_RANK = models.Case(
    *[models.When(priority=p, then=models.Value(i)) for i, p in enumerate(PRIORITIES)],
    output_field=models.IntegerField(),
)


class Ticket(TenantOwned, TicketServiceLevels):
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

    class Channel(models.TextChoices):
        """How a request reached the helpdesk."""

        PORTAL = "portal", _("Portal")
        EMAIL = "email", _("E-mail")
        API = "api", _("API")
        STAFF = "staff", _("Staff on behalf")

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
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(null=True, blank=True)  # first public staff reply
    solved_at = models.DateTimeField(null=True, blank=True)  # first time solved
    reopened_count = models.PositiveIntegerField(default=0)
    # The requester's side wrote publicly after the helpdesk's last public reply, since then
    # (None once the helpdesk answered): the list's "customer replied" marker, kept by
    # add_comment so that no list reads the conversation.
    customer_replied_at = models.DateTimeField(null=True, blank=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], name="ticket_number_unique")
        ]
        indexes = [
            # Workspace and portal lists: a tenant's tickets by status, newest first.
            models.Index(fields=["tenant", "status", "-created_at"], name="ticket_inbox"),
            # "Recently updated" view and the "Updated" column's sort (in an agent's queues too:
            # their rows come soon enough among the tenant's latest).
            models.Index(fields=["tenant", "-updated_at"], name="ticket_recent"),
            # The "Priority" column's sort: its rank, then the id that breaks ties (without it
            # every visible ticket was ranked and sorted for each page: 190 ms at 100k).
            models.Index(F("tenant"), PRIORITY_RANK, F("id"), name="ticket_priority"),
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
            # The workspace's sort by due time (and its id, the tie-break).
            models.Index(fields=["tenant", "sla_due_at", "id"], name="ticket_due"),
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
        return status_label(self.status)

    def get_priority_display(self) -> str:
        return priority_label(self.priority)

    def can_move_to(self, status: str) -> bool:
        return status in self.NEXT_STATUSES[self.status]

    @property
    def is_solved(self) -> bool:
        return self.status in (self.Status.SOLVED, self.Status.CLOSED)


STATUS_LABELS = dict(Ticket.Status.choices)
PRIORITY_LABELS = dict(Ticket.Priority.choices)


def status_label(status: str) -> str:
    """A status as people read it in the active language: a ticket's, or a list row's value."""
    return str(STATUS_LABELS.get(status, status))


def priority_label(priority: str) -> str:
    return str(PRIORITY_LABELS.get(priority, priority))
