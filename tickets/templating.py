"""Template helpers of tickets: badges, names as customers see them, event values."""

import functools

from django.core.signals import setting_changed
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from .models import Ticket, priority_label, status_label


def public_name(user):
    """A person's name as customers see it: never an e-mail address."""
    if user is None:
        return _("Support team")
    return user.name or _("Support team")


@functools.lru_cache(maxsize=256)
def _label(kind: str, value: str, language: str | None) -> str:
    return status_label(value) if kind == "status" else priority_label(value)


def status_in_words(status: str) -> str:
    """``status_label`` kept per language: a list writes the same few labels row after row."""
    return _label("status", status, get_language())


def priority_in_words(priority: str) -> str:
    return _label("priority", priority, get_language())


def _catalogue_changed(setting, **kwargs):
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _label.cache_clear()


setting_changed.connect(_catalogue_changed)


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


def due_state(due, now=None) -> dict:
    """A due time as the lists say it: relative ("in 35 min", "2 h overdue") and whether it
    is past (the red of the "Due" column)."""
    now = now or timezone.now()
    seconds = (due - now).total_seconds()
    overdue = seconds < 0
    minutes = max(1, round(abs(seconds) / 60))
    if minutes < 120:
        amount, n = "min", minutes
    elif minutes < 48 * 60:
        amount, n = "h", round(minutes / 60)
    else:
        amount, n = "d", round(minutes / 1440)
    words = {
        ("min", False): ngettext("in %(n)s min", "in %(n)s min", n),
        ("min", True): ngettext("%(n)s min overdue", "%(n)s min overdue", n),
        ("h", False): ngettext("in %(n)s h", "in %(n)s h", n),
        ("h", True): ngettext("%(n)s h overdue", "%(n)s h overdue", n),
        ("d", False): ngettext("in %(n)s day", "in %(n)s days", n),
        ("d", True): ngettext("%(n)s day overdue", "%(n)s days overdue", n),
    }[(amount, overdue)]
    return {"words": words % {"n": n}, "overdue": overdue}


FILTERS = {
    "due_state": due_state,
    "status_label": status_in_words,
    "priority_label": priority_in_words,
    "public_name": public_name,
    "status_badge": status_badge,
    "priority_badge": priority_badge,
    "event_value": event_value,
    "name_of": name_of,
}
