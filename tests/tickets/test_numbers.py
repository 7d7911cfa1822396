"""Ticket numbers: per tenant, gap-free, taken in turn under the tenant's lock."""

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from tests.factories import make_member
from tickets.models import Ticket
from tickets.services import open_ticket


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_take_numbers_in_turn_without_gaps(acme, globex, bob, mallory):
    """Eight requests at once in each of two helpdesks: 1..8 in each, none lost."""
    start, errors = threading.Barrier(16), []

    def submit(tenant, member, i):
        try:
            start.wait(timeout=10)
            open_ticket(
                tenant=tenant,
                requester=member.user,
                subject=f"At once {i}",
                description="d",
                membership=member,
            )
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=submit, args=(tenant, member, i))
        for tenant, member in ((acme, bob), (globex, mallory))
        for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    for tenant in (acme, globex):
        numbers = Ticket.objects.for_tenant(tenant).values_list("number", flat=True)
        assert sorted(numbers) == list(range(1, 9))


def test_the_membership_in_hand_is_used_and_not_read_again(acme, bob):
    with CaptureQueriesContext(connection) as queries:
        ticket = open_ticket(
            tenant=acme, requester=bob.user, subject="S", description="D", membership=bob
        )
    assert ticket.organization_id == bob.organization_id is not None
    assert not [q for q in queries.captured_queries if "accounts_membership" in q["sql"]]


def test_someone_elses_membership_is_not_taken_for_the_requesters(acme, acme_co, bob, alice):
    """The organization is the requester's own, whatever membership a caller passes."""
    ticket = open_ticket(
        tenant=acme, requester=alice.user, subject="S", description="D", membership=bob
    )
    assert ticket.organization_id is None
    lone = make_member(acme, "lone@acme.test", "customer", name="Lone Customer")
    ticket = open_ticket(
        tenant=acme, requester=bob.user, subject="S", description="D", membership=lone
    )
    assert ticket.organization_id == acme_co.pk
