"""The workspace list: views, filters, sort and a cheap page (no COUNT over a big table)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Organization
from core.params import object_id, page_number, whole_number

from .forms import SORTS
from .models import Queue, Ticket, TicketEvent, granted_queue_ids, works_every_queue
from .models.tickets import PRIORITY_RANK

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


# "Breaching soon": owed within this long, or overdue.
SOON = timedelta(hours=1)


def _soon():
    return timezone.now() + SOON


def week_start():
    """Monday 00:00 of this week, in the current time zone."""
    today = timezone.localdate()
    return _day_start(today - timedelta(days=today.weekday()))


def breaches_since(since):
    """A ticket's breach events since ``since`` (to be used in Exists)."""
    return TicketEvent.objects.filter(
        ticket_id=OuterRef("pk"), kind=TicketEvent.Kind.SLA_BREACH, created_at__gte=since
    )


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
    if view == "breaching":
        tickets = tickets.open().filter(in_my_queues, sla_due_at__lte=_soon())
    if data.get("due") == "hour":
        tickets = tickets.open().filter(sla_due_at__gte=timezone.now(), sla_due_at__lte=_soon())
    elif data.get("due") == "breached_week":
        tickets = tickets.filter(Exists(breaches_since(week_start())))
    if data.get("q"):
        tickets = tickets.search(data["q"], member=member)
    order = SORTS[sort_of(data)][0]
    if "priority_rank" in order:
        tickets = tickets.annotate(priority_rank=PRIORITY_RANK)
    # The id breaks ties in the same direction, so that a page never repeats or skips a row
    # and an index on the sort's column serves it (walked backwards for the other direction).
    return tickets.order_by(order, "-pk" if order.startswith("-") else "pk")


def sort_of(data: dict) -> str:
    """The sort the list uses (and its headers say): the one asked for, else the view's."""
    sort = data.get("sort")
    if sort in SORTS:
        return sort
    return {"recent": "-updated", "breaching": "due"}.get(data.get("view"), "-created")


# The columns whose header sorts, each with its sort keys (ascending, descending) as the
# column reads: a younger ticket has the smaller age, so "age" ascending is newest first.
# Each is served by an index: number (the unique number), created and updated (ticket_newest,
# ticket_queue_newest, ticket_recent) and priority (ticket_priority, on PRIORITY_RANK).
SORT_COLUMNS = {
    "number": ("number", "-number"),
    "priority": ("priority", "-priority"),
    "updated": ("updated", "-updated"),
    "age": ("-created", "created"),
    "due": ("due", "-due"),  # ticket_due
}


def sort_headers(query, current: str) -> dict[str, dict]:
    """Each sortable column's state (aria-sort: ascending, descending or none) and the query
    string its header links to: the other direction when sorted by it, else descending."""
    headers = {}
    for column, (ascending, descending) in SORT_COLUMNS.items():
        state = {ascending: "ascending", descending: "descending"}.get(current, "none")
        link = query.copy()
        link.pop("page", None)
        link["sort"] = ascending if state == "descending" else descending
        headers[column] = {"aria": state, "query": link.urlencode()}
    return headers


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


# Counts stop here: past it a view says "1000+". Each count then reads at most this many
# rows, whatever the size of the helpdesk, and no view's count walks a big table.
COUNT_CAP = 1000
# A member's counts are kept this long: one count statement per member and half-minute, not
# one per page (at 100k tickets it took 15-60 ms for an agent's views).
COUNT_SECONDS = 30


def view_counts(member: Membership, views: dict[str, dict]) -> dict[str, int]:
    """How many tickets each view holds (``views``: a key and its filters), all in one query
    of one bounded subquery per view: no query per view, none per row, no COUNT(*) over the
    helpdesk. A count above COUNT_CAP is COUNT_CAP + 1."""
    if not views:
        return {}
    parts, params = [], []
    for n, data in enumerate(views.values()):
        first = workspace_tickets(member, data).order_by().values("pk")[: COUNT_CAP + 1]
        try:
            sql, found = first.query.sql_with_params()
        except EmptyResultSet:  # a view that can hold nothing (no queue worked): none
            parts.append("0")
            continue
        # Counted in FROM, not as "id IN (...)": the planner then reads the view's first
        # rows and stops, where a semi-join walked the whole ticket table (100 ms at 100k).
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS view_{n})")  # noqa: S608 (the ORM's SQL, values as params)
        params.extend(found)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        found = cursor.fetchone()
    return dict(zip(views, found, strict=True))


def workspace_counts(member: Membership, form, saved_views: list) -> dict:
    """The workspace's counts: its own views by key, the saved ones by id; kept
    COUNT_SECONDS under what they depend on (the member's role and queues, the views and
    their filters), so that another view or grant is counted at once. A kept answer builds
    no query at all (building and compiling them cost a quarter of the page's time)."""
    keys = [key for key, _label in form.fields["view"].choices]
    works = None if works_every_queue(member) else tuple(granted_queue_ids(member))
    basis = (
        member.pk,
        member.role_id,
        member.role.scope,
        member.tenant.agents_work_all_queues,
        member.tenant.customers_see_organization_tickets,
        works,
        keys,
        [(saved.pk, saved.query) for saved in saved_views],
    )
    digest = hashlib.sha256(repr(basis).encode()).hexdigest()[:32]
    cache_key = f"workspace-counts:{member.pk}:{digest}"
    found = cache.get(cache_key)
    if found is None:
        views = {key: {"view": key} for key in keys}
        filters = saved_views_filters([saved.query for saved in saved_views], form, member)
        views.update(zip([saved.pk for saved in saved_views], filters, strict=True))
        found = view_counts(member, views)
        cache.set(cache_key, found, COUNT_SECONDS)
    return found


def saved_views_filters(queries: list[str], form, member: Membership) -> list[dict]:
    """Saved views' filters from their query strings, each cleaned as the page's filter form
    cleans it when the view is opened (a filter that is not valid is left out), with at most
    one query for all their queues and one for all their organizations, not one per view."""
    raws = [QueryDict(query) for query in queries]
    queue_ids = {object_id(raw.get("queue")) for raw in raws} - {None}
    if queue_ids:
        queue_ids = set(
            Queue.objects.worked_by(member).filter(pk__in=queue_ids).values_list("pk", flat=True)
        )
    named = {raw.get("organization", "").strip() for raw in raws} - {""}
    by_name = getattr(form.fields["organization"], "typed", False)  # else a list of ids
    organizations = {}
    if named:
        wanted = Q(pk__in=[object_id(name) for name in named if object_id(name)])
        for name in named if by_name else ():
            wanted |= Q(name__iexact=name)
        for pk, name in (
            Organization.objects.for_tenant(member.tenant).filter(wanted).values_list("pk", "name")
        ):
            organizations[str(pk)] = organizations.setdefault(name.lower(), pk)
    found = []
    for raw in raws:
        data = {}
        for name, field in form.fields.items():
            if name in ("queue", "organization"):
                continue
            try:
                data[name] = field.clean(field.widget.value_from_datadict(raw, {}, name))
            except ValidationError:
                continue
        if object_id(raw.get("queue")) in queue_ids:
            data["queue"] = object_id(raw.get("queue"))
        organization = raw.get("organization", "").strip()
        data["organization"] = organizations.get(organization) or (
            organizations.get(organization.lower()) if by_name else None
        )
        found.append(data)
    return found
