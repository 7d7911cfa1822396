"""The e-mails and timed jobs of people and tickets, through a real Celery worker on Redis.

Elsewhere tasks run eagerly; here they travel through the broker, as in production.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.services import invite
from tests.factories import role
from tickets.models import QueueGrant
from tickets.services import add_comment, grant_queue
from tickets.tasks import expire_grants_task

from .conftest import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_an_invitation_is_mailed_by_the_worker(real_worker, acme, ada):
    invitation, token = invite(
        tenant=acme, email="newbie@acme.test", role=role(acme, "agent"), by=ada.user
    )

    wait_for(lambda: len(mail.outbox) == 1)
    message = mail.outbox[0]
    assert message.to == ["newbie@acme.test"]
    assert token in message.body


def test_a_public_reply_reaches_the_requester_and_a_note_reaches_no_one(
    real_worker, acme_ticket, alice, bob
):
    add_comment(
        ticket=acme_ticket, author=alice.user, body="Internal: check the ledger", is_public=False
    )
    add_comment(ticket=acme_ticket, author=alice.user, body="We refunded you today.")

    wait_for(lambda: any("We refunded you today." in m.body for m in mail.outbox))
    to_bob = [m for m in mail.outbox if bob.user.email in m.to]  # the receipt and the reply
    assert len([m for m in to_bob if "We refunded you today." in m.body]) == 1
    assert not any("check the ledger" in m.body for m in to_bob)


def test_expired_grants_end_through_the_worker(real_worker, acme, billing, olga):
    soon_over = timezone.now() - timedelta(minutes=1)
    grant_queue(queue=billing, user=olga.user, by=None, expires_at=soon_over)

    expire_grants_task.delay()

    wait_for(lambda: not QueueGrant.objects.filter(queue=billing, user=olga.user).exists())
    # Alice's grant has no expiry and stays; the ending is logged, by no one (the job).
    assert QueueGrant.objects.filter(queue=billing, user__email="alice@acme.test").exists()
    ended = AuditEntry.objects.for_tenant(acme).get(action="grant.expired")
    assert ended.actor is None
