"""Template helpers of tickets: badges, names as customers see them, event values."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Ticket, priority_label, status_label


def public_name(user):
    """A person's name as customers see it: never an e-mail address."""
    if user is None:
        return _("Support team")
    return user.name or _("Support team")


def status_badge(status: str) -> str:
    return {
        "new": "badge--warn",
        "open": "badge--warn",
        "pending": "",
        "solved": "badge--ok",
        "closed": "badge--ok",
    }.get(status, "")


def priority_badge(priority: str) -> str:
    return {"urgent": "badge--danger", "high": "badge--warn"}.get(priority, "")


# A service-level target as the timeline names it.
SLA_TARGET_WORDS = {
    "first_response": gettext_lazy("first response"),
    "next_response": gettext_lazy("next response"),
    "resolution": gettext_lazy("resolution"),
}


def event_value(value: str, kind: str) -> str:
    """A status or priority as people read it ("Pending", not "pending"); a target's name."""
    if kind in ("sla_warn", "sla_breach"):
        return str(SLA_TARGET_WORDS.get(value, value))
    choices = {"status": Ticket.Status, "priority": Ticket.Priority}.get(kind)
    if choices is None or value not in choices.values:
        return value
    return str(choices(value).label)


def name_of(email: str, names: dict) -> str:
    """A staff member's name for an e-mail kept in the timeline (the e-mail if unknown)."""
    return (names or {}).get(email) or email


FILTERS = {
    "status_label": status_label,
    "priority_label": priority_label,
    "public_name": public_name,
    "status_badge": status_badge,
    "priority_badge": priority_badge,
    "event_value": event_value,
    "name_of": name_of,
}
