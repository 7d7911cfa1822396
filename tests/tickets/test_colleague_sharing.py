"""The requester adds a colleague of their organization, who then sees the request and takes
part in it from the requester's side; nobody else can be added, and nobody else can add."""

import re

from accounts.access import decide
from accounts.models import Organization
from tests.factories import make_member, make_ticket
from tickets.models import Ticket, TicketColleague, TicketEvent
from tickets.services import add_comment, change_status

from .conftest import ticket_url


def _add(client, ticket, member):
    return client.post(ticket_url(ticket), {"action": "add_colleague", "colleague": member.pk})


def test_requester_adds_a_colleague_who_then_sees_and_answers_the_request(
    client, alice, bob, carol, acme_ticket
):
    client.force_login(carol.user)
    assert client.get(ticket_url(acme_ticket)).status_code == 404  # not hers, not shared
    client.force_login(bob.user)
    page = client.get(ticket_url(acme_ticket)).content.decode()
    assert "Add a colleague" in page and re.search(rf'<option value="{carol.pk}"', page)

    response = _add(client, acme_ticket, carol)

    assert response.status_code == 302
    assert TicketColleague.objects.get(ticket=acme_ticket).user == carol.user
    event = TicketEvent.objects.get(ticket=acme_ticket, kind="colleague")
    assert (event.actor, event.new_value) == (bob.user, "carol@acme.test")
    assert "<bdi>Carol Chen</bdi>" in client.get(ticket_url(acme_ticket)).content.decode()

    client.force_login(carol.user)
    assert "Charged twice" in client.get("/t/acme/portal/").content.decode()
    assert decide(carol, "view_ticket", acme_ticket).allowed
    assert Ticket.objects.visible_to(carol).filter(pk=acme_ticket.pk).exists()
    change_status(ticket=acme_ticket, to="pending", by=alice.user)
    add_comment(ticket=acme_ticket, author=carol.user, body="Bob is away; it is still wrong.")
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "open"  # her reply hands it back, as the requester's would
    page = client.get(ticket_url(acme_ticket)).content.decode()
    assert "message--requester message--own" in page
    opening = re.search(r'<li class="card message message--requester">(.*?)</li>', page, re.S)
    assert "<bdi>Bob Buyer</bdi>" in opening.group(1)  # his request, on the requester's side
    assert "Requester</span>" in opening.group(1)


def test_only_colleagues_of_the_same_organization_can_be_added(
    client, acme, globex, bob, alice, acme_ticket
):
    other_org = Organization.objects.create(tenant=acme, name="Other Co")
    stranger = make_member(acme, "sara@other.test", "customer", organization=other_org)
    outsider = make_member(globex, "gus@globex.test", "customer")
    client.force_login(bob.user)

    for person in (stranger, outsider, alice, bob):
        response = _add(client, acme_ticket, person)
        assert response.status_code == 400, person
        assert "Select a valid choice" in response.content.decode()

    assert not TicketColleague.objects.exists()
    assert not TicketEvent.objects.filter(kind="colleague").exists()


def test_a_customer_of_no_organization_is_offered_no_colleague(client, acme, billing):
    loner = make_member(acme, "lou@nowhere.test", "customer")
    ticket = make_ticket(acme, loner.user, billing)
    client.force_login(loner.user)

    page = client.get(ticket_url(ticket)).content.decode()

    assert "Add a colleague" not in page and 'name="colleague"' not in page


def test_the_colleague_cannot_add_others_and_a_closed_request_takes_nobody(
    client, acme, acme_co, bob, carol, acme_ticket
):
    dave = make_member(acme, "dave@acme.test", "customer", organization=acme_co)
    TicketColleague.objects.create(tenant=acme, ticket=acme_ticket, user=carol.user)
    client.force_login(carol.user)
    assert "Add a colleague" not in client.get(ticket_url(acme_ticket)).content.decode()
    assert _add(client, acme_ticket, dave).status_code == 403

    change_status(ticket=acme_ticket, to="solved", by=None)
    change_status(ticket=acme_ticket, to="closed", by=None)
    client.force_login(bob.user)
    assert "Add a colleague" not in client.get(ticket_url(acme_ticket)).content.decode()
    assert _add(client, acme_ticket, dave).status_code == 400
    assert list(TicketColleague.objects.values_list("user__email", flat=True)) == [
        "carol@acme.test"
    ]


def test_another_tenants_admin_gets_404_and_adds_nobody(client, mallory, carol, acme_ticket):
    client.force_login(mallory.user)
    assert _add(client, acme_ticket, carol).status_code == 404
    assert not TicketColleague.objects.exists()


def test_the_staff_timeline_says_who_shared_the_request_with_whom(
    client, alice, bob, carol, acme_ticket
):
    from tickets.services import add_colleague

    add_colleague(ticket=acme_ticket, member=bob, colleague=carol)
    client.force_login(alice.user)

    page = client.get(ticket_url(acme_ticket)).content.decode()

    assert "Bob Buyer shared the request with carol@acme.test" in page
