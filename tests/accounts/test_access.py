"""accounts.access.decide: the one function that decides and explains."""

import pytest

from accounts.access import decide, permissions_of
from accounts.actions import ACTIONS, BUILTIN_ROLES
from tickets.models import Ticket


@pytest.mark.parametrize("role_key", list(BUILTIN_ROLES))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_builtin_role_matrix_and_its_explanation_agree(acme, role_key, action):
    from tests.factories import make_member

    member = make_member(acme, f"{role_key}@matrix.test", role_key)
    decision = decide(member, action)
    assert decision.allowed == (action in BUILTIN_ROLES[role_key]["permissions"])
    assert decision.reasons, "every decision says why"
    verb = "allows" if decision.allowed else "does not allow"
    assert f"{member.role}, {verb}" in decision.reasons[0]


@pytest.mark.parametrize("status", ["active", "pending", "deactivated"])
@pytest.mark.parametrize("role_key", list(BUILTIN_ROLES))
def test_permissions_of_lists_what_decide_allows(acme, role_key, status):
    from tests.factories import make_member

    member = make_member(acme, f"{role_key}-{status}@matrix.test", role_key, status=status)
    assert permissions_of(member) == [a for a in ACTIONS if decide(member, a).allowed]
    assert permissions_of(None) == []


def test_pending_member_is_told_they_wait_for_approval(pete):
    decision = decide(pete, "submit_ticket")
    assert not decision.allowed
    assert "waiting for approval by an admin of Acme" in decision.reasons[0]
    assert permissions_of(pete) == []


def test_agent_sees_a_ticket_because_of_the_queue_they_work(alice, acme_ticket):
    decision = decide(alice, "view_ticket", acme_ticket)
    assert decision.allowed
    assert "you work the Billing queue" in decision.reasons[-1]


def test_agent_without_the_queue_is_refused_and_may_ask(olga, acme_ticket):
    decision = decide(olga, "view_ticket", acme_ticket)
    assert not decision.allowed
    assert decision.can_request
    assert "don't work the Billing queue" in decision.reasons[0]


def test_customer_sees_own_and_organization_tickets_only_where_shared(
    acme, bob, carol, acme_ticket
):
    assert decide(bob, "view_ticket", acme_ticket).allowed
    assert not decide(carol, "view_ticket", acme_ticket).allowed
    acme.customers_see_organization_tickets = True
    acme.save()
    carol.tenant.refresh_from_db()
    assert decide(carol, "view_ticket", acme_ticket).allowed
    assert acme_ticket in Ticket.objects.visible_to(carol)


def test_visible_to_agrees_with_decide_for_every_member(
    ada, sam, alice, olga, bob, carol, acme_ticket
):
    for member in [ada, sam, alice, olga, bob, carol]:
        visible = Ticket.objects.visible_to(member).filter(pk=acme_ticket.pk).exists()
        assert visible == decide(member, "view_ticket", acme_ticket).allowed, member


def test_object_of_another_tenant_is_never_allowed(ada, globex_ticket):
    assert not decide(ada, "view_ticket", globex_ticket).allowed


def test_unknown_action_is_refused_with_a_reason(ada):
    decision = decide(ada, "launch_rockets")
    assert not decision.allowed
    assert "not an action" in decision.reasons[0]
