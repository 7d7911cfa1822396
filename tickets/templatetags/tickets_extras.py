from django import template
from django.utils.translation import gettext as _

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
