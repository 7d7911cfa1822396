import pytest
from django.conf import settings as django_settings

from notifications.models import Notification
from tickets.models import Mailbox


@pytest.fixture
def help_mailbox(acme, billing):
    """acme's support address: mail about its tickets can be answered by mail."""
    return Mailbox.objects.create(tenant=acme, address="help@acme.test", queue=billing)


@pytest.fixture
def header_count(settings):
    """The unread count in the header (notifications.context_processors.unread)."""
    engines = [dict(e) for e in django_settings.TEMPLATES]
    jinja = engines[0]
    jinja["OPTIONS"] = dict(jinja["OPTIONS"])
    processors = jinja["OPTIONS"]["context_processors"]
    if "notifications.context_processors.unread" not in processors:
        jinja["OPTIONS"]["context_processors"] = [
            *processors,
            "notifications.context_processors.unread",
        ]
    settings.TEMPLATES = engines


def told(kind, member=None):
    """Who was told of ``kind`` (e-mail addresses), or the one row of ``member``."""
    rows = Notification.objects.filter(kind=kind).select_related("recipient")
    if member is not None:
        return rows.get(recipient=member.user)
    return sorted(n.recipient.email for n in rows)
