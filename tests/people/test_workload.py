"""The workload board: per agent, open tickets, the oldest waiting, due within the hour and
breached this week, each linking to those tickets; supervisors and admins only."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from notifications.sla import warn_of_service_levels
from tests.factories import make_ticket
from tests.tickets.sla import always_open, policy
from tickets.notifications import muted
from tickets.services import assign_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices(acme, bob, alice, sam, billing):
    """Alice's three open tickets: one 30 minutes overdue, one due in 35, one in 2 h 40."""
    policy(acme, always_open(acme), next_response_minutes=None, resolution_minutes=None)
    found = []
    with muted():
        for minutes_ago, subject in ((90, "Late"), (25, "Soon"), (-100, "Later")):
            at = timezone.now() - timedelta(minutes=minutes_ago)
            ticket = make_ticket(acme, bob.user, billing, at=at, subject=subject)
            found.append(assign_ticket(ticket=ticket, assignee=alice.user, by=sam.user))
    warn_of_service_levels()
    return found


def _cells(page: str, email: str) -> str:
    start = page.index(f'data-agent="{email}"')
    return page[start : page.index("</tr>", start)]


def _link(cells: str, count: str) -> str:
    start = cells.index(f'data-count="{count}" href="') + len(f'data-count="{count}" href="')
    return cells[start : cells.index('"', start)].replace("&amp;", "&")


def test_the_board_counts_each_agents_work(client, sam, alice, alices):
    client.force_login(sam.user)
    response = client.get("/t/acme/people/workload/")
    assert response.status_code == 200
    row = _cells(response.content.decode(), "alice@acme.test")
    assert 'data-count="open"' in row and ">3</a>" in row
    (load,) = [r["load"] for r in response.context["rows"] if r["load"].user_id == alice.user_id]
    assert (load.open, load.due_within_hour, load.breached_this_week) == (3, 1, 1)
    assert load.oldest_waiting == alices[0].created_at
    sams = [r["load"] for r in response.context["rows"] if r["load"].user_id == sam.user_id]
    assert sams[0].open == 0


@pytest.mark.parametrize(
    ("count", "subjects"),
    [("open", {"Late", "Soon", "Later"}), ("due", {"Soon"}), ("breached", {"Late"})],
)
def test_each_number_drills_down_to_its_tickets(client, sam, alices, count, subjects):
    client.force_login(sam.user)
    row = _cells(client.get("/t/acme/people/workload/").content.decode(), "alice@acme.test")
    link = _link(row, count)
    assert urlsplit(link).path == "/t/acme/workspace/"
    assert parse_qs(urlsplit(link).query)["assignee"]
    listed = client.get(link).context["page"].rows
    assert {t["subject"] for t in listed} == subjects


def test_agents_and_customers_may_not_open_it(client, alice, bob, alices):
    for member in (alice, bob):
        client.force_login(member.user)
        assert client.get("/t/acme/people/workload/").status_code in (403, 404)


def test_the_board_costs_the_same_queries_for_more_agents(client, acme, sam, alices):
    from tests.factories import make_member

    client.force_login(sam.user)
    client.get("/t/acme/people/workload/")  # warm the session and the staff list
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get("/t/acme/people/workload/")
    for n in range(5):
        make_member(acme, f"agent{n}@acme.test", "agent", name=f"Agent {n}")
    client.get("/t/acme/people/workload/")
    with CaptureQueriesContext(connection) as after:
        client.get("/t/acme/people/workload/")
    assert len(after) == len(before)
