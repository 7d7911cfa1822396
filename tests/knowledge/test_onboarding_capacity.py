"""While onboarding, automatic assignment gives a newcomer half their capacity."""

import pytest

from knowledge.services import acknowledge_article, set_onboarding_checklist
from tests.factories import make_queue, make_ticket
from tickets.models import Queue
from tickets.services.assignment import capacity_of

from .conftest import write

pytestmark = pytest.mark.django_db


def test_onboarding_halves_capacity_until_the_checklist_is_done(acme, ada, sam, alice, bob):
    handbook = write(acme, "Agent handbook", "staff", by=sam.user)
    set_onboarding_checklist(
        tenant=acme, role=alice.role, articles=[handbook], due_within_days=7, by=ada.user
    )
    alice.capacity = 4
    alice.save()
    assert capacity_of(alice) == 2
    queue = make_queue(acme, "Round", alice.user)
    queue.assignment = Queue.Assignment.ROUND_ROBIN
    queue.save()
    tickets = [make_ticket(acme, bob.user, queue) for _ in range(3)]
    assert [t.assignee for t in tickets] == [alice.user, alice.user, None]

    acknowledge_article(membership=alice, article=handbook)

    assert capacity_of(alice) == 4
    assert make_ticket(acme, bob.user, queue).assignee == alice.user
