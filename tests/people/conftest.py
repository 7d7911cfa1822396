"""Bob, a customer of acme, is also a customer of globex: one account, two helpdesks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.services import add_member, record_audit
from tests.factories import make_queue, make_ticket, role
from tickets.services import add_comment, attach_files, change_status, rate_ticket


def story(tenant, person, agent, label: str):
    """A request by ``person`` with their reply, a file, the agent's answer and a rating."""
    queue = make_queue(tenant, f"{label} queue", agent)
    ticket = make_ticket(
        tenant, person, queue, subject=f"{label}: charged twice", description="Card 4111"
    )
    add_comment(ticket=ticket, author=agent, body=f"Hello {person.name}", is_public=True)
    reply = add_comment(ticket=ticket, author=person, body=f"{label} reply by Bob")
    attach_files(
        ticket=ticket,
        uploads=[SimpleUploadedFile("receipt.txt", f"{label} receipt".encode(), "text/plain")],
        by=person,
        comment=reply,
    )
    change_status(ticket=ticket, to="solved", by=agent)
    rate_ticket(ticket=ticket, score=5, comment="Thanks, Bob here", by=person)
    # An entry that copies their address and name into its values (JSON).
    record_audit(
        tenant=tenant,
        actor=agent,
        action="invitation.sent",
        target=ticket,
        after={"email": person.email, "note": f"for {person.name} <{person.email}>"},
    )
    return ticket


@pytest.fixture
def bob_in_globex(globex, bob):
    return add_member(tenant=globex, user=bob.user, role=role(globex, "customer"), by=None)


@pytest.fixture
def two_stories(acme, globex, bob, bob_in_globex, alice, mallory):
    return story(acme, bob.user, alice.user, "Acme"), story(
        globex, bob.user, mallory.user, "Globex"
    )
