"""A policy edit moves the open tickets' due times through the outbox and a real worker."""

from datetime import timedelta

import pytest

from tests.conftest import wait_for
from tests.factories import make_ticket
from tickets.models import Ticket
from tickets.services import update_sla_policy

from .sla import always_open, policy, utc

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_a_policy_edit_reaches_open_tickets_through_the_worker(real_worker, acme, bob, billing):
    standard = policy(acme, always_open(acme), resolution_minutes=60)
    opened = utc(2026, 12, 7, 10, 0)
    ticket = make_ticket(acme, bob.user, billing, at=opened)

    update_sla_policy(policy=standard, by=None, resolution_minutes=180)

    def moved():
        """the ticket's resolution due time follows the edited policy"""
        due = Ticket.objects.get(pk=ticket.pk).resolution_due_at
        return due == opened + timedelta(minutes=180)

    wait_for(moved)
