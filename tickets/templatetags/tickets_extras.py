from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from helpdesk.forms_renderer import escaped, text

register = template.Library()


@register.filter
def public_name(user):
    """A person's name as customers see it: never an e-mail address."""
    if user is None:
        return _("Support team")
    return user.name or _("Support team")


@register.filter
def status_badge(status: str) -> str:
    return {
        "new": "badge--warn",
        "open": "badge--warn",
        "pending": "",
        "solved": "badge--ok",
        "closed": "badge--ok",
    }.get(status, "")


@register.filter
def priority_badge(priority: str) -> str:
    return {"urgent": "badge--danger", "high": "badge--warn"}.get(priority, "")


@register.filter
def event_value(value: str, kind: str) -> str:
    """A status or priority as people read it ("Pending", not "pending")."""
    from tickets.models import Ticket

    choices = {"status": Ticket.Status, "priority": Ticket.Priority}.get(kind)
    if choices is None or value not in choices.values:
        return value
    return str(choices(value).label)


@register.filter
def name_of(email: str, names: dict) -> str:
    """A staff member's name for an e-mail kept in the timeline (the e-mail if unknown)."""
    return (names or {}).get(email) or email


@register.simple_tag(takes_context=True)
def workspace_rows(context, rows, may_view_people):
    """The workspace table's rows, built in Python (tickets/rows.py)."""
    from tickets import rows as rendering

    return rendering.workspace_rows(
        rows, slug=context["tenant"].slug, may_view_people=bool(may_view_people)
    )


@register.simple_tag(takes_context=True)
def portal_rows(context, rows, user_id):
    """The portal's list of requests, built in Python (tickets/rows.py)."""
    from tickets import rows as rendering

    return rendering.portal_rows(rows, slug=context["tenant"].slug, user_id=user_id)


@register.simple_tag(takes_context=True)
def staff_timeline(context, events, names, skip_created=False, files=None):
    """The ticket page's events, built in Python (tickets/timeline.py)."""
    from tickets import timeline

    return timeline.staff_timeline(
        events, slug=context["tenant"].slug, names=names, skip_created=skip_created, files=files
    )


@register.simple_tag(takes_context=True)
def customer_comments(context, comments, user_id):
    """The customer's conversation, built in Python (tickets/timeline.py)."""
    from tickets import timeline

    return timeline.customer_comments(comments, slug=context["tenant"].slug, user_id=user_id)


@register.simple_tag
def field_block(field):
    """``{% include "tickets/_field.html" with field=field %}``, built in Python: the same
    markup (tests/tickets/test_rows.py compares the two) without an include per field."""
    errors = field.errors
    label_for = text(field.id_for_label)
    help_text = (
        f'<p class="help" id="{label_for}-help">{text(field.help_text)}</p>'
        if field.help_text
        else ""
    )
    shown = "".join(f'<p class="error" role="alert">{text(e)}</p>' for e in errors)
    return SafeString(
        f'<div class="field{" field--error" if errors else ""}">\n'
        f'  <label for="{label_for}">{text(field.label)}</label>\n'
        f"  {escaped(field)}\n"
        f"  {help_text}\n"
        f"  {shown}\n"
        "</div>\n"
    )
