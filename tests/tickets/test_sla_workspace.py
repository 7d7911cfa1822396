"""Due times where agents work: the "Due" column (relative, red when breached), its sort on
an index, the "Breaching soon" view with its count, and the filters the workload board
links to. Customers never see any of it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import make_ticket
from tickets.workspace import workspace_tickets

from .sla import always_open, policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def hourly(acme, billing):
    """An hour to the first response in Billing, nothing else measured; warned an hour
    before."""
    return policy(
        acme,
        always_open(acme),
        conditions={"queue": [billing.pk]},
        next_response_minutes=None,
        resolution_minutes=None,
        warn_minutes_before=60,
    )


def _opened(acme, bob, billing, minutes_ago, subject):
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return make_ticket(acme, bob.user, billing, at=at, subject=subject)


@pytest.fixture
def four(acme, bob, billing, hourly):
    return {
        "late": _opened(acme, bob, billing, 90, "Late one"),  # 30 min overdue
        "soon": _opened(acme, bob, billing, 25, "Soon one"),  # due in 35 min
        "later": _opened(acme, bob, billing, -100, "Later one"),  # due in 2 h 40
        "none": make_ticket(acme, bob.user, None, subject="No target"),
    }


def _numbers(response):
    return [t["number"] for t in response.context["page"].rows]


def test_the_due_column_says_it_relatively_and_red_when_breached(client, alice, four):
    client.force_login(alice.user)
    page = client.get("/t/acme/workspace/?view=queues&sort=number").content.decode()
    assert 'class="due due--breached">30 min overdue</time>' in page
    assert 'class="due">in 35 min</time>' in page
    assert ">Due</a></th>" in page


def test_the_due_header_sorts_soonest_first_and_back(client, sam, four):
    client.force_login(sam.user)
    soonest = _numbers(client.get("/t/acme/workspace/?view=all&sort=due"))
    late, soon, later, none = (four[k].number for k in ("late", "soon", "later", "none"))
    assert soonest == [late, soon, later, none]  # nothing owed: last
    latest = _numbers(client.get("/t/acme/workspace/?view=all&sort=-due"))
    assert latest[-3:] == [later, soon, late]


@pytest.mark.parametrize("sort", ["due", "-due"])
def test_the_due_sort_walks_its_index(acme, sam, bob, billing, hourly, sort):
    make_ticket(acme, bob.user, billing)
    query = workspace_tickets(sam, {"view": "all", "sort": sort})[:25].query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "using ticket_due " in plan.replace("Backward using", "using"), plan
    assert "-> Sort" not in plan, plan


def test_breaching_soon_holds_the_overdue_and_the_due_within_the_hour(client, alice, four):
    client.force_login(alice.user)
    response = client.get("/t/acme/workspace/?view=breaching")
    assert _numbers(response) == [four["late"].number, four["soon"].number]  # soonest first
    assert response.context["counts"]["breaching"] == 2
    assert "Breaching soon" in response.content.decode()


def test_a_solved_ticket_owes_nothing(client, alice, four):
    from tickets.services import change_status

    change_status(ticket=four["late"], to="solved", by=alice.user)
    client.force_login(alice.user)
    assert _numbers(client.get("/t/acme/workspace/?view=breaching")) == [four["soon"].number]


def test_due_within_the_hour_and_breached_this_week_filters(client, alice, sam, four):
    from notifications.sla import warn_of_service_levels

    assert warn_of_service_levels() == {"warnings": 1, "breaches": 1}
    client.force_login(sam.user)
    within = _numbers(client.get("/t/acme/workspace/?view=all&due=hour"))
    assert within == [four["soon"].number]
    breached = _numbers(client.get("/t/acme/workspace/?view=all&due=breached_week"))
    assert breached == [four["late"].number]


def test_the_customer_never_sees_a_target(client, bob, four):
    client.force_login(bob.user)
    mine = client.get("/t/acme/").content.decode() + client.get("/t/acme/tickets/").content.decode()
    ticket = client.get(f"/t/acme/tickets/{four['late'].number}/").content.decode()
    for page in (mine, ticket):
        assert "overdue" not in page
        assert "due--breached" not in page
        assert "Service level" not in page


def test_the_ticket_page_lists_each_target_with_its_state(client, alice, four):
    client.force_login(alice.user)
    late = client.get(f"/t/acme/tickets/{four['late'].number}/").content.decode()
    assert "Service level" in late
    assert 'data-state="breached"' in late and "30 min overdue" in late
    soon = client.get(f"/t/acme/tickets/{four['soon'].number}/").content.decode()
    assert 'data-state="due"' in soon and "in 35 min" in soon
    none = client.get(f"/t/acme/tickets/{four['none'].number}/").content.decode()
    assert "Service level" not in none  # no policy: no box
