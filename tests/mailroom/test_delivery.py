"""receive(): mail becomes tickets and comments by the same rules as everywhere."""

from __future__ import annotations

from mailroom.delivery import receive
from mailroom.models import InboundMessage
from tickets.models import Ticket, TicketMail

from .conftest import mail

Outcome = InboundMessage.Outcome


def test_bob_writes_to_the_support_address_and_a_ticket_is_made(help_mailbox, bob):
    receipt = receive(mail(subject="Charged twice", body="My card was charged twice."))

    assert receipt.outcome == Outcome.TICKET
    ticket = receipt.ticket
    assert ticket.requester == bob.user
    assert ticket.subject == "Charged twice"
    assert ticket.description == "My card was charged twice."
    assert ticket.channel == Ticket.Channel.EMAIL
    assert ticket.queue == help_mailbox.queue
    kept = TicketMail.objects.get(ticket=ticket)
    assert (kept.direction, kept.author, kept.from_address) == ("in", bob.user, "bob@acme.test")
    assert receipt.inbound.outcome == Outcome.TICKET and receipt.inbound.raw is None
