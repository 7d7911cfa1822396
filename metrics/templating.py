"""Formatting figures for people: durations, shares and changes."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def as_duration(seconds) -> str:
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("%(n)s min") % {"n": minutes}
    hours = seconds / 3600
    if hours < 48:
        return _("%(n)s h") % {"n": number_format(round(hours, 1), 1)}
    return _("%(n)s d") % {"n": number_format(round(hours / 24, 1), 1)}


def as_percent(share) -> str:
    if share is None:
        return "—"
    return _("%(n)s%%") % {"n": number_format(round(share * 100, 1), 1)}


def figure(value, kind: str) -> str:
    """A figure in its kind: count, rate (share) or seconds."""
    if kind == "rate":
        return as_percent(value)
    if kind == "seconds":
        return as_duration(value)
    return "—" if value is None else number_format(value)


def as_change(share) -> str:
    if share is None:
        return ""
    sign = "+" if share > 0 else ("−" if share < 0 else "±")
    return f"{sign}{number_format(round(abs(share) * 100), 0)}%"


def get_item(mapping, key):
    return mapping.get(key) if mapping else None


FILTERS = {
    "as_duration": as_duration,
    "as_percent": as_percent,
    "figure": figure,
    "as_change": as_change,
    "get_item": get_item,
}
