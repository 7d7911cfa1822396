"""Extra cast for the tickets stories: a light agent (notes only) and some helpers."""

import pytest

from accounts.actions import STAFF_WORK
from accounts.models import Role
from accounts.services import add_member, find_or_create_user
from tests.factories import PASSWORD
from tickets.services import add_comment


@pytest.fixture
def lena(acme, billing):
    """A light agent: works Billing, may write internal notes but not reply publicly."""
    from tickets.services import grant_queue

    role = Role.objects.create(
        tenant=acme,
        key="light",
        name="Light agent",
        scope="queues",
        # Staff work is a list of actions (accounts.actions.STAFF_WORK), held like any other.
        permissions=["view_ticket", "add_internal_note", "submit_ticket", *STAFF_WORK],
    )
    user = find_or_create_user(email="lena@acme.test", password=PASSWORD, name="Lena Light")
    member = add_member(tenant=acme, user=user, role=role, by=None)
    grant_queue(queue=billing, user=user, by=None)
    return member


@pytest.fixture
def secret_note(acme_ticket, alice):
    return add_comment(
        ticket=acme_ticket,
        author=alice.user,
        body="SECRET-NOTE: customer is on thin ice",
        is_public=False,
    )


def ticket_url(ticket, suffix=""):
    return f"/t/{ticket.tenant.slug}/tickets/{ticket.number}/{suffix}"


def api_ticket_url(ticket, suffix=""):
    return f"/api/v1/t/{ticket.tenant.slug}/tickets/{ticket.pk}/{suffix}"
