"""The kept staff lists (assignee choices, timeline names) follow every change of people."""

import pytest

from accounts.models import Membership, Role
from accounts.staff import active_staff, staff_names
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def names(tenant):
    return [(m.name, m.email) for m in active_staff(tenant)]


def test_staff_lists_are_kept_and_follow_changes(
    acme, globex, ada, sam, alice, bob, mallory, django_assert_num_queries
):
    expected = [
        ("Ada Admin", "ada@acme.test"),
        ("Alice Agent", "alice@acme.test"),
        ("Sam Supervisor", "sam@acme.test"),
    ]
    with django_assert_num_queries(1):
        assert names(acme) == expected
    with django_assert_num_queries(0):
        assert names(acme) == expected
    assert names(globex) == [("Mallory", "mallory@globex.test")]  # each helpdesk its own
    # A new agent, a renamed one, a customer made agent, an agent deactivated.
    olga = make_member(acme, "olga@acme.test", "agent", name="Olga Other")
    assert ("Olga Other", "olga@acme.test") in names(acme)
    alice.user.name = "Alice Renamed"
    alice.user.save()
    assert ("Alice Renamed", "alice@acme.test") in names(acme)
    bob.role = alice.role
    bob.save(update_fields=["role"])
    assert ("Bob Buyer", "bob@acme.test") in names(acme)
    olga.status = Membership.Status.DEACTIVATED
    olga.save(update_fields=["status"])
    assert ("Olga Other", "olga@acme.test") not in names(acme)
    assert staff_names(acme)["olga@acme.test"] == "Olga Other"  # still named in timelines
    # A role that stops being staff.
    role = Role.objects.get(pk=alice.role_id)
    role.scope = "own"
    role.save()
    assert [n for n, _e in names(acme)] == ["Ada Admin", "Sam Supervisor"]
    bob.delete()
    assert "bob@acme.test" not in staff_names(acme)


def test_a_sign_in_keeps_the_lists(acme, alice, django_assert_num_queries):
    names(acme)
    alice.user.save(update_fields=["last_login"])
    with django_assert_num_queries(0):
        names(acme)
