"""Template helpers of tickets: badges, names as customers see them, event values."""

import functools

from django.core.signals import setting_changed
from django.utils.translation import get_language
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


def event_value(value: str, kind: str) -> str:
    """A status or priority as people read it ("Pending", not "pending")."""
    choices = {"status": Ticket.Status, "priority": Ticket.Priority}.get(kind)
    if choices is None or value not in choices.values:
        return value
    return str(choices(value).label)


def name_of(email: str, names: dict) -> str:
    """A staff member's name for an e-mail kept in the timeline (the e-mail if unknown)."""
    return (names or {}).get(email) or email


FILTERS = {
    "status_label": status_in_words,
    "priority_label": priority_in_words,
    "public_name": public_name,
    "status_badge": status_badge,
    "priority_badge": priority_badge,
    "event_value": event_value,
    "name_of": name_of,
}
