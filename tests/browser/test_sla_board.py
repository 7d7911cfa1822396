"""A supervisor sees an overdue ticket in red in the workspace's "Due" column, opens the
workload board, reads the agent's numbers and drills down to the tickets they count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.sla import warn_of_service_levels
from tests.factories import PASSWORD, make_ticket
from tests.tickets.sla import always_open, policy
from tickets.notifications import muted
from tickets.services import assign_ticket

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_due_column_and_the_workload_board(
    page, live_server, login, acme, bob, alice, sam, billing
):
    policy(acme, always_open(acme), next_response_minutes=None, resolution_minutes=None)
    with muted():
        late = make_ticket(
            acme, bob.user, billing, subject="Late one", at=timezone.now() - timedelta(minutes=90)
        )
        soon = make_ticket(
            acme, bob.user, billing, subject="Soon one", at=timezone.now() - timedelta(minutes=25)
        )
        for ticket in (late, soon):
            assign_ticket(ticket=ticket, assignee=alice.user, by=sam.user)
    warn_of_service_levels()

    login("sam@acme.test", PASSWORD)
    page.goto(live_server.url + "/t/acme/workspace/?view=all&sort=due")
    overdue = page.locator(f'tr[data-ticket="{late.number}"] time.due')
    assert overdue.inner_text() == "30 min overdue"
    assert "due--breached" in overdue.get_attribute("class")
    red = overdue.evaluate("el => getComputedStyle(el).color")
    assert red == "rgb(176, 0, 32)"
    upcoming = page.locator(f'tr[data-ticket="{soon.number}"] time.due')
    assert upcoming.inner_text() == "in 35 min"
    assert upcoming.evaluate("el => getComputedStyle(el).color") != red

    page.goto(live_server.url + "/t/acme/people/workload/")
    row = page.locator('tr[data-agent="alice@acme.test"]')
    assert row.locator('[data-count="open"]').inner_text() == "2"
    assert row.locator('[data-count="due"]').inner_text() == "1"
    assert row.locator('[data-count="breached"]').inner_text() == "1"

    with page.expect_navigation():
        row.locator('[data-count="breached"]').click()
    listed = page.locator("tbody tr[data-ticket]")
    assert listed.count() == 1
    assert listed.first.get_attribute("data-ticket") == str(late.number)
