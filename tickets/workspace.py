"""The workspace list: views, filters, sort and a cheap page (no COUNT over a big table)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from core.params import object_id, page_number, whole_number

from .forms import SORTS
from .models import Ticket, granted_queue_ids, works_every_queue

PRIORITY_RANK = Case(
    *[When(priority=p, then=Value(i)) for i, p in enumerate(Ticket.Priority.values)],
    output_field=IntegerField(),
)
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _in_queues_of(member: Membership) -> Q:
    """Tickets in a queue the member works, as literal ids the planner can estimate."""
    if works_every_queue(member):
        # Every queue, and the requests filed in none: they wait here for triage
        # (visible_to still decides who sees those).
        return Q()
    return Q(queue_id__in=granted_queue_ids(member))


def workspace_tickets(member: Membership, data: dict):
    """The member's tickets for the view and filters in ``data`` (a valid form's cleaned_data)."""
    tickets = Ticket.objects.visible_to(member)
    view = data.get("view") or "queues"
    in_my_queues = _in_queues_of(member)
    if view == "mine":
        tickets = tickets.filter(assignee_id=member.user_id).open()
    elif view == "unassigned":
        tickets = tickets.unassigned().open().filter(in_my_queues)
    elif view == "queues":
        tickets = tickets.filter(in_my_queues)
    if data.get("status"):
        tickets = tickets.filter(status__in=data["status"])
    if data.get("priority"):
        tickets = tickets.filter(priority__in=data["priority"])
    if data.get("queue"):
        tickets = tickets.filter(queue=data["queue"])
    assignee = data.get("assignee")
    if assignee == "me":
        tickets = tickets.filter(assignee_id=member.user_id)
    elif assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif object_id(assignee):
        tickets = tickets.filter(assignee_id=object_id(assignee))
    if data.get("requester"):
        text = data["requester"].strip()
        tickets = tickets.filter(
            Q(requester__email__icontains=text) | Q(requester__name__icontains=text)
        )
    if data.get("organization"):
        tickets = tickets.filter(organization=data["organization"])
    if data.get("tag"):
        tickets = tickets.filter(tags__name=data["tag"].strip().lower())
    if data.get("created_after"):
        tickets = tickets.filter(created_at__gte=_day_start(data["created_after"]))
    if data.get("created_before"):
        tickets = tickets.filter(
            created_at__lt=_day_start(data["created_before"]) + timezone.timedelta(days=1)
        )
    if data.get("updated_after"):
        tickets = tickets.filter(updated_at__gte=_day_start(data["updated_after"]))
    if data.get("q"):
        tickets = tickets.search(data["q"], member=member)
    sort = data.get("sort") or ("-updated" if view == "recent" else "-created")
    order = SORTS.get(sort, SORTS["-created"])[0]
    if "priority_rank" in order:
        tickets = tickets.annotate(priority_rank=PRIORITY_RANK)
    return tickets.order_by(order, "-pk")


@dataclass
class Page:
    rows: list
    number: int
    size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def cheap_page(queryset, page: str | int | None, size: str | int | None) -> Page:
    """One page and whether another follows, by fetching one row more: no COUNT(*)."""
    size = min(MAX_PAGE_SIZE, whole_number(size, low=1) or DEFAULT_PAGE_SIZE)
    number = page_number(page or "1", size=size)
    if number is None:
        raise Http404(_("There is no such page."))  # not a page number, or past any OFFSET
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return Page(rows=rows[:size], number=number, size=size, has_next=len(rows) > size)
