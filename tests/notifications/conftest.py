import pytest

from notifications.models import Notification
from tickets.models import Mailbox


@pytest.fixture
def help_mailbox(acme, billing):
    """acme's support address: mail about its tickets can be answered by mail."""
    return Mailbox.objects.create(tenant=acme, address="help@acme.test", queue=billing)


def told(kind, member=None):
    """Who was told of ``kind`` (e-mail addresses), or the one row of ``member``."""
    rows = Notification.objects.filter(kind=kind).select_related("recipient")
    if member is not None:
        return rows.get(recipient=member.user)
    return sorted(n.recipient.email for n in rows)
