"""The ticket page's timeline, written in Python: the HTML its templates gave, byte for byte.

An event through ``tickets/_event.html`` (with its attachments include) cost about 0.5 ms; a
busy ticket shows dozens. These functions build the same markup from the same values (escaped
as ``{{ }}`` escapes them, translated as ``{% blocktranslate %}`` translates them, dates in the
active time zone and language). ``tests/tickets/test_timeline.py`` renders the former templates
(kept in tests/tickets/former/) beside them and compares.
"""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from accounts.templatetags.helpdesk_text import markdown
from helpdesk.forms_renderer import escaped

from .rows import _time, url_maker
from .templatetags.tickets_extras import event_value, public_name


def _attachments(files, attachment_url) -> str:
    """``{% include "tickets/_attachments.html" with files=files %}``"""
    if not files:
        return "\n"
    links = "".join(
        f'<li><a href="{attachment_url(a.pk)}">{escaped(a.filename)}</a> '
        f'<span class="muted">({escaped(filesizeformat(a.size))})</span></li>'
        for a in files
    )
    label = escaped(gettext("Attachments"))
    return f'\n<ul class="attachments" aria-label="{label}">\n  {links}\n</ul>\n\n'


def _or_dash(value: str) -> str:
    """``{{ value|default:"—" }}`` of an escaped value."""
    return value or "—"


def _sentence(e, who: str, names: dict) -> str:
    """The line a change event says, as its ``{% blocktranslate %}`` said it."""
    kind = e.kind
    if kind == "created":
        return gettext("%(who)s opened the ticket") % {"who": who} + "\n  "
    if kind == "rated":
        return gettext("%(who)s rated it %(v)s/5") % {"who": who, "v": escaped(e.new_value)} + (
            "\n  "
        )
    if kind == "assignee":
        return (
            gettext("%(who)s changed the assignee from %(old)s to %(new)s")
            % {
                "who": who,
                "old": _or_dash(escaped((names or {}).get(e.old_value) or e.old_value)),
                "new": _or_dash(escaped((names or {}).get(e.new_value) or e.new_value)),
            }
            + "\n  "
        )
    if kind == "tags":
        return (
            gettext("%(who)s changed the tags from %(old)s to %(new)s")
            % {
                "who": who,
                "old": _or_dash(escaped(e.old_value)),
                "new": _or_dash(escaped(e.new_value)),
            }
            + "\n  "
        )
    return gettext("%(who)s: %(what)s, %(old)s → %(new)s") % {
        "who": who,
        "what": escaped(str(e.get_kind_display())),
        "old": _or_dash(escaped(event_value(e.old_value, kind))),
        "new": _or_dash(escaped(event_value(e.new_value, kind))),
    }


def staff_timeline(
    events, *, slug: str, names: dict, skip_created: bool, files: dict | None = None
) -> SafeString:
    """What ``{% for e in events %}{% include "tickets/_event.html" %}{% endfor %}`` gave
    (leaving out the "opened" event where the page shows the description instead).

    ``files``: the ticket's attachments by comment id, read once by the caller; without it
    each comment's are read from the comment."""
    attachment_url = url_maker("tickets:attachment", slug)
    helpdesk = escaped(gettext("The helpdesk"))
    note_badge = f'<span class="badge badge--warn">{escaped(gettext("Internal note"))}</span>'
    public_reply = escaped(gettext("Public reply"))
    out = []
    for e in events:
        if skip_created and e.kind == "created":
            continue
        actor = e.actor
        who = escaped(actor.get_full_name() if actor is not None else "") or helpdesk
        if e.kind in ("reply", "note"):
            note = e.kind == "note"
            comment = e.comment
            body = (
                f'<div class="body" dir="auto">{escaped(markdown(comment.body))}</div>'
                + _attachments(
                    comment.attachments.all() if files is None else files.get(comment.pk, []),
                    attachment_url,
                )
                if comment
                else ""
            )
            out.append(
                f'\n\n<li class="card{" note" if note else ""}" id="event-{e.pk}">\n'
                f'  <p class="muted"><strong>{who}</strong> · '
                f"{note_badge if note else public_reply} · {_time(e.created_at)}</p>\n"
                f"  {body}\n</li>\n\n"
            )
        else:
            out.append(
                f'\n\n<li class="event" id="event-{e.pk}"><span class="muted">'
                f"{_time(e.created_at)}</span> —\n  {_sentence(e, who, names)}\n</li>\n\n"
            )
    return SafeString("".join(out))


def customer_comments(comments, *, slug: str, user_id) -> SafeString:
    """What the customer page's ``{% for c in comments %}`` gave: public replies only (the
    caller's queryset says so)."""
    attachment_url = url_maker("tickets:attachment", slug)
    you = escaped(gettext("You"))
    out = []
    for c in comments:
        who = you if c.author_id == user_id else escaped(public_name(c.author))
        out.append(
            '\n  <li class="card">\n'
            f'    <p class="muted">{who} · {_time(c.created_at)}</p>\n'
            f'    <div class="body" dir="auto">{escaped(markdown(c.body))}</div>\n'
            f"    {_attachments(c.attachments.all(), attachment_url)}\n  </li>\n  "
        )
    return SafeString("".join(out))
