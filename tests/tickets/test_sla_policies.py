"""Which SLA policy applies: the first, by position, whose conditions all match the ticket.
One story per condition, and the order."""

import pytest

from accounts.models import Organization
from tests.factories import make_member, make_queue, make_ticket
from tickets.services import applicable_policy, update_sla_policy

from .sla import always_open, policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar(acme):
    return always_open(acme)


def test_a_policy_without_conditions_matches_every_ticket(acme, bob, billing, calendar):
    everyone = policy(acme, calendar, name="Everyone")
    assert make_ticket(acme, bob.user, billing).sla_policy_id == everyone.pk


def test_priority_condition(acme, bob, billing, calendar):
    urgent = policy(acme, calendar, name="Urgent", conditions={"priority": ["urgent", "high"]})
    assert make_ticket(acme, bob.user, billing, priority="high").sla_policy_id == urgent.pk
    assert make_ticket(acme, bob.user, billing, priority="normal").sla_policy_id is None


def test_queue_condition(acme, bob, alice, billing, calendar):
    vip = make_queue(acme, "VIP", alice.user)
    only_vip = policy(acme, calendar, name="VIP", conditions={"queue": [vip.pk]})
    assert make_ticket(acme, bob.user, vip).sla_policy_id == only_vip.pk
    assert make_ticket(acme, bob.user, billing).sla_policy_id is None
    assert make_ticket(acme, bob.user, None).sla_policy_id is None


def test_organization_condition(acme, bob, billing, calendar):
    other = Organization.objects.create(tenant=acme, name="Other Co", domain="other.test")
    dave = make_member(acme, "dave@other.test", "customer", name="Dave", organization=other)
    for_acme_co = policy(
        acme, calendar, name="Acme Co", conditions={"organization": [bob.organization_id]}
    )
    assert make_ticket(acme, bob.user, billing).sla_policy_id == for_acme_co.pk
    assert make_ticket(acme, dave.user, billing).sla_policy_id is None


def test_channel_condition(acme, bob, billing, calendar):
    by_mail = policy(acme, calendar, name="E-mail", conditions={"channel": ["email"]})
    assert make_ticket(acme, bob.user, billing, channel="email").sla_policy_id == by_mail.pk
    assert make_ticket(acme, bob.user, billing, channel="portal").sla_policy_id is None


def test_customer_role_condition(acme, bob, alice, billing, calendar):
    customers = policy(acme, calendar, name="Customers", conditions={"role": ["customer"]})
    assert make_ticket(acme, bob.user, billing).sla_policy_id == customers.pk
    assert make_ticket(acme, alice.user, billing).sla_policy_id is None  # an agent's own


def test_every_condition_must_match(acme, bob, billing, calendar):
    both = policy(
        acme, calendar, name="Both", conditions={"priority": ["urgent"], "channel": ["email"]}
    )
    assert make_ticket(acme, bob.user, billing, priority="urgent").sla_policy_id is None
    ticket = make_ticket(acme, bob.user, billing, priority="urgent", channel="email")
    assert ticket.sla_policy_id == both.pk


def test_the_first_matching_policy_by_position_applies(acme, bob, billing, calendar):
    general = policy(acme, calendar, name="General")
    urgent = policy(acme, calendar, name="Urgent", conditions={"priority": ["urgent"]})
    ticket = make_ticket(acme, bob.user, billing, priority="urgent")
    assert ticket.sla_policy_id == general.pk  # General comes first and matches everything

    update_sla_policy(policy=urgent, by=None, position=0)
    update_sla_policy(policy=general, by=None, position=1)
    assert applicable_policy(ticket).id == urgent.pk
    normal = make_ticket(acme, bob.user, billing)
    assert normal.sla_policy_id == general.pk


def test_policies_of_another_tenant_never_apply(acme, globex, bob, billing):
    policy(globex, always_open(globex), name="Globex")
    assert make_ticket(acme, bob.user, billing).sla_policy_id is None
