"""The wording of ticket notifications, and the switch that mutes them.

Tenants word each kind per language with NotificationTemplate rows (placeholders like
``{{ number }}``); without one, the default wording below, translated into the reader's
language, is used. Placeholders are substituted as plain text, never evaluated as a
template, so a tenant's wording cannot reach into our objects. Who is told what, and the
mail itself, live in the notifications app (a layer above: tickets only names its task).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import NotificationTemplate

Kind = NotificationTemplate.Kind

PLACEHOLDERS = [
    "helpdesk",
    "number",
    "subject",
    "requester_name",
    "agent_name",
    "recipient_name",
    "reply",
    "reason",
    "ticket_url",
    "rating_links",
]
# Placeholders whose values are links (the HTML part makes them anchors).
LINK_PLACEHOLDERS = {"ticket_url"}
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")

# Default wording per kind: (subject, body). The footer (how to answer, the link) is added
# by the layout, so a tenant's wording cannot lose it.
DEFAULTS = {
    Kind.RECEIVED: (
        _("[{{ helpdesk }}] We received your request #{{ number }}: {{ subject }}"),
        _(
            "Hello {{ requester_name }},\n\n"
            'We received your request #{{ number }} "{{ subject }}" and will answer soon.\n\n'
            "— {{ helpdesk }}"
        ),
    ),
    Kind.REPLY: (
        _("[{{ helpdesk }}] Re: #{{ number }} {{ subject }}"),
        _(
            "Hello {{ requester_name }},\n\n"
            '{{ agent_name }} replied to your request #{{ number }} "{{ subject }}":\n\n'
            "{{ reply }}\n\n"
            "— {{ helpdesk }}"
        ),
    ),
    Kind.SOLVED: (
        _("[{{ helpdesk }}] Solved: #{{ number }} {{ subject }}"),
        _(
            "Hello {{ requester_name }},\n\n"
            '{{ agent_name }} marked your request #{{ number }} "{{ subject }}" as solved.\n'
            "If something is still wrong, reopen it here: {{ ticket_url }}\n\n"
            "How did we do? Choose a score from 1 (poor) to 5 (great); you will confirm it "
            "on the next page:\n{{ rating_links }}\n\n"
            "— {{ helpdesk }}"
        ),
    ),
    Kind.NEW_REQUEST: (
        _("[{{ helpdesk }}] New request #{{ number }}: {{ subject }}"),
        _(
            "Hello {{ recipient_name }},\n\n"
            '{{ requester_name }} sent a new request #{{ number }} "{{ subject }}":\n\n'
            "{{ reply }}"
        ),
    ),
    Kind.CUSTOMER_REPLY: (
        _("[{{ helpdesk }}] Customer replied: #{{ number }} {{ subject }}"),
        _(
            "Hello {{ recipient_name }},\n\n"
            '{{ requester_name }} replied on #{{ number }} "{{ subject }}":\n\n'
            "{{ reply }}"
        ),
    ),
    Kind.MENTIONED: (
        _("[{{ helpdesk }}] You were mentioned on #{{ number }} {{ subject }}"),
        _(
            "Hello {{ recipient_name }},\n\n"
            '{{ agent_name }} mentioned you in an internal note on #{{ number }} "{{ subject }}":'
            "\n\n{{ reply }}"
        ),
    ),
    Kind.ASSIGNED: (
        _("[{{ helpdesk }}] Assigned to you: #{{ number }} {{ subject }}"),
        _(
            "Hello {{ recipient_name }},\n\n"
            'Ticket #{{ number }} "{{ subject }}" from {{ requester_name }} is now assigned '
            "to you."
        ),
    ),
    Kind.WAITING: (
        _("[{{ helpdesk }}] Waiting too long: #{{ number }} {{ subject }}"),
        _(
            "Hello {{ recipient_name }},\n\n"
            'Ticket #{{ number }} "{{ subject }}" from {{ requester_name }} is waiting: '
            "{{ reason }}"
        ),
    ),
    Kind.SLA_WARNING: (
        _("[{{ helpdesk }}] Due soon: #{{ number }} {{ subject }}"),
        _(
            "Hello {{ recipient_name }},\n\n"
            'The {{ reason }} of ticket #{{ number }} "{{ subject }}" from {{ requester_name }} '
            "is due soon."
        ),
    ),
    Kind.SLA_BREACH: (
        _("[{{ helpdesk }}] Target missed: #{{ number }} {{ subject }}"),
        _(
            "Hello {{ recipient_name }},\n\n"
            'The {{ reason }} of ticket #{{ number }} "{{ subject }}" from {{ requester_name }} '
            "is overdue."
        ),
    ),
}

_muted: ContextVar[bool] = ContextVar("tickets_notifications_muted", default=False)


@contextmanager
def muted():
    """No notifications for events made inside (the demo replays months of history)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    return _muted.get()


def default_text(kind: str, language: str | None = None) -> tuple[str, str]:
    """The default (subject, body) of a kind, in ``language`` (else the current one)."""
    subject, body = DEFAULTS[kind]
    with translation.override(language or translation.get_language()):
        return str(subject), str(body)


def wording(tenant, kind: str, language: str) -> tuple[str, str]:
    """The tenant's wording of a kind in a language, else the default in that language."""
    custom = (
        NotificationTemplate.objects.for_tenant(tenant).filter(kind=kind, language=language).first()
    )
    if custom is not None:
        return custom.subject, custom.body
    return default_text(kind, language)


def unknown_placeholders(text: str) -> list[str]:
    """The ``{{ names }}`` in a wording that no e-mail can fill, and stray template tags."""
    unknown = [m.group(1) for m in _PLACEHOLDER.finditer(text) if m.group(1) not in PLACEHOLDERS]
    leftover = _PLACEHOLDER.sub("", text)
    unknown += [tag for tag in ("{{", "}}", "{%", "%}") if tag in leftover]
    return list(dict.fromkeys(unknown))


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with its placeholders replaced by ``values`` (unknown ones stay as typed)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def paragraphs(text: str, values: dict[str, str]) -> list[list[dict]]:
    """``text`` filled as the HTML part's template lays it out: paragraphs (the wording's blank
    lines) of pieces, each ``{"lines", "value", "link"}``. A value is a piece of its own, its
    line breaks inside it (the template isolates it: its direction is its own); the wording
    between values is pieces with ``value`` False. Nothing is markup until the template."""
    result = []
    for paragraph in _BLANK_LINES.split(text.replace("\r\n", "\n").strip()):
        pieces, last = [], 0
        for match in _PLACEHOLDER.finditer(paragraph):
            pieces.append(_piece(paragraph[last : match.start()]))
            name = match.group(1)
            if name in values:
                pieces.append(_piece(values[name], value=True, link=name in LINK_PLACEHOLDERS))
            else:
                pieces.append(_piece(match.group(0)))
            last = match.end()
        pieces.append(_piece(paragraph[last:]))
        result.append([piece for piece in pieces if piece["lines"] != [""]])
    return [pieces for pieces in result if pieces]


_BLANK_LINES = re.compile(r"\n\s*\n")


def _piece(text: str, *, value: bool = False, link: bool = False) -> dict:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return {"lines": lines, "value": value, "link": link}
