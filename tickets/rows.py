"""The rows of the ticket lists, written in Python: the HTML their templates gave, byte for byte.

The workspace shows 25 rows (up to 100), each with three links, two dates, two badges and
four names; through the template engine a row cost about 0.8 ms, most of a page. These
functions build the same markup from the same values (escaped as ``{{ }}`` escapes them, dates
in the active time zone and language, links reversed once per list, not once per row), so
nothing is cached and nothing can go stale. ``tests/tickets/test_rows.py`` renders the former
templates beside them and compares.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext

from helpdesk.forms_renderer import escaped, text

from .models import PRIORITY_LABELS, STATUS_LABELS, Ticket
from .templatetags.tickets_extras import priority_badge, status_badge

# The columns each list shows, read as plain values: a page of model instances with their
# requester, assignee, queue and organization cost about 0.2 ms a row to build, five times
# what the values cost, for the dozen fields a row shows.
WORKSPACE_COLUMNS = (
    "id",
    "number",
    "subject",
    "status",
    "priority",
    "updated_at",
    "requester_id",
    "organization_id",
    # TicketQuerySet.with_list_names
    "requester_name",
    "organization_name",
    "queue_name",
    "assignee_name",
)
PORTAL_COLUMNS = (
    "number",
    "subject",
    "status",
    "created_at",
    "requester_id",
    "requester__name",
    "rating__score",
)


def with_tag_names(rows: list[dict]) -> list[dict]:
    """Each row's ``tags``: its tag names in order, read for the whole page in one query."""
    names = defaultdict(list)
    found = (
        Ticket.tags.through.objects.filter(ticket_id__in=[row["id"] for row in rows])
        .order_by("tag__name", "tag_id")
        .values_list("ticket_id", "tag__name")
    )
    for ticket_id, name in found if rows else ():
        names[ticket_id].append(name)
    for row in rows:
        row["tags"] = names.get(row["id"], [])
    return rows


# A number no ticket, person or organization has: reversed once, then replaced per row.
_MARK = 987654321987


def url_maker(name: str, *args):
    """A function of one integer giving ``{% url name *args that_integer %}``, reversed once."""
    head, tail = str(escaped(reverse(name, args=[*args, _MARK]))).split(str(_MARK))
    return lambda value: f"{head}{value}{tail}"


# Formatted times by (language, time zone, instant): a pure function of the three, kept
# because Django's date formatting costs ~0.1 ms a call and a list shows the same rows again.
_TIMES: dict = {}
_TIMES_KEPT = 20_000


def _time(value) -> str:
    """``<time datetime="{{ value|date:'c' }}">{{ value|date:"SHORT_DATETIME_FORMAT" }}</time>``"""
    local = template_localtime(value)
    key = (get_language(), local.tzinfo, local)
    html = _TIMES.get(key)
    if html is None:
        if len(_TIMES) >= _TIMES_KEPT:
            _TIMES.clear()
        html = _TIMES[key] = (
            f'<time datetime="{escaped(date_filter(local, "c"))}">'
            f"{escaped(date_filter(local, 'SHORT_DATETIME_FORMAT'))}</time>"
        )
    return html


def _number(value) -> str:
    """``{{ value }}`` of an integer: its digits unless numbers are grouped."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return text(value)


def _labels(labels: dict) -> dict:
    """Status or priority labels in the active language, translated once per list."""
    return {value: escaped(str(label)) for value, label in labels.items()}


def _label(labels: dict, value) -> str:
    """``{{ t.get_status_display }}``: the label, or the value itself when not a choice."""
    found = labels.get(value)
    return found if found is not None else escaped(value)


def workspace_rows(rows, *, slug: str, may_view_people: bool) -> SafeString:
    """The workspace table's body: what ``{% for t in page.rows %}`` gave."""
    if not rows:
        empty = escaped(gettext("No tickets here."))
        return SafeString(f'\n    <tr><td colspan="10">{empty}</td></tr>\n  ')
    ticket_url = url_maker("tickets:ticket", slug)
    person_url = url_maker("tickets:person_history", slug)
    organization_url = url_maker("tickets:organization_history", slug)
    select_label = gettext("Select ticket %(n)s")
    statuses, priorities = _labels(STATUS_LABELS), _labels(PRIORITY_LABELS)
    out = []
    for t in rows:
        number = _number(t["number"])
        pk = _number(t["id"])
        requester = escaped(t["requester_name"])
        organization = t["organization_name"]
        if may_view_people:
            who = f'<a href="{person_url(t["requester_id"])}">{requester}</a>'
            if t["organization_id"]:
                who += (
                    f'<br><a class="muted" href="{organization_url(t["organization_id"])}">'
                    f"{escaped(organization)}</a>"
                )
        else:
            who = requester
            if t["organization_id"]:
                who += f'<br><span class="muted">{escaped(organization)}</span>'
        queue = escaped(t["queue_name"] or "—")
        assignee = escaped(t["assignee_name"] or "—")
        tags = "".join(f'<span class="badge tag">{escaped(name)}</span> ' for name in t["tags"])
        out.append(
            "\n    <tr>\n"
            f'      <td><input type="checkbox" name="tickets" value="{pk}" id="select-{pk}" '
            f'aria-label="{select_label % {"n": number}}"></td>\n'
            f"      <td>{number}</td>\n"
            f'      <td><a href="{ticket_url(t["number"])}"><bdi>{escaped(t["subject"])}'
            "</bdi></a></td>\n"
            f'      <td><span class="badge {escaped(status_badge(t["status"]))}">'
            f"{_label(statuses, t['status'])}</span></td>\n"
            f'      <td><span class="badge {escaped(priority_badge(t["priority"]))}">'
            f"{_label(priorities, t['priority'])}</span></td>\n"
            f"      <td>{queue}</td>\n"
            f"      <td>{who}</td>\n"
            f"      <td>{assignee}</td>\n"
            f"      <td>{tags}</td>\n"
            f"      <td>{_time(t['updated_at'])}</td>\n"
            "    </tr>\n  "
        )
    return SafeString("".join(out))


def portal_rows(rows, *, slug: str, user_id) -> SafeString:
    """The customer's list of requests: what the portal's ``{% for t in page.rows %}`` gave."""
    if not rows:
        submit = escaped(reverse("tickets:submit", args=[slug]))
        none_yet = escaped(gettext("You have no requests yet."))
        ask = escaped(gettext("Ask us something"))
        return SafeString(
            f'\n    <tr><td colspan="6">{none_yet} <a href="{submit}">{ask}</a></td></tr>\n  '
        )
    ticket_url = url_maker("tickets:ticket", slug)
    you = escaped(gettext("You"))
    statuses = _labels(STATUS_LABELS)
    out = []
    support = escaped(gettext("Support team"))
    for t in rows:
        if t["requester_id"] == user_id:
            who = you
        else:  # public_name: never an e-mail address
            who = escaped(t["requester__name"]) if t["requester__name"] else support
        score = t["rating__score"]
        score = f"{text(score)}/5" if score is not None else "—"
        out.append(
            "\n    <tr>\n"
            f"      <td>{_number(t['number'])}</td>\n"
            f'      <td><a href="{ticket_url(t["number"])}"><bdi>{escaped(t["subject"])}'
            "</bdi></a></td>\n"
            f'      <td><span class="badge {escaped(status_badge(t["status"]))}">'
            f"{_label(statuses, t['status'])}</span></td>\n"
            f"      <td>{who}</td>\n"
            f"      <td>{_time(t['created_at'])}</td>\n"
            f"      <td>{score}</td>\n"
            "    </tr>\n  "
        )
    return SafeString("".join(out))
