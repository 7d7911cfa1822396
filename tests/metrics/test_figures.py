"""Every figure of a known history, against values computed by hand."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from metrics.models import DailyRollup, Dimension
from metrics.queries import breakdown, headline, timeseries
from metrics.services import update_metrics
from tests.factories import make_member, make_queue, make_tenant

from .conftest import MARCH_2, MARCH_4, at, new_ticket, solve

HOUR = 3600.0


def test_headline_figures_of_a_known_history(acme, history):
    update_metrics(tenant=acme, full=True)

    figures = headline(acme, MARCH_2, MARCH_4)

    assert figures["tickets_created"] == 3  # A, B, C; D was created the day before
    assert figures["response_rate"] == pytest.approx(2 / 3)  # C unanswered
    assert figures["first_response_seconds_mean"] == pytest.approx((1 * HOUR + 2 * HOUR) / 2)
    assert figures["solved_count"] == 2  # A and B (of the tickets created in the period)
    assert figures["resolution_seconds_mean"] == pytest.approx((4 * HOUR + 24 * HOUR) / 2)
    assert figures["resolution_seconds_median"] == pytest.approx(14 * HOUR)
    assert figures["resolution_seconds_p90"] == pytest.approx(4 * HOUR + 0.9 * 20 * HOUR)
    assert figures["solved_in_period"] == 3  # D, A on 2 Mar, B on 3 Mar (first solve only)
    assert figures["reopened_count"] == 1
    assert figures["backlog"] == 1  # C
    assert figures["ratings_count"] == 2
    assert figures["csat"] == pytest.approx(0.5)


def test_a_ticket_across_the_period_boundary_counts_where_it_was_created(acme, history):
    update_metrics(tenant=acme, full=True)

    before = headline(acme, date(2026, 3, 1), date(2026, 3, 1))

    assert before["tickets_created"] == 1  # D
    assert before["response_rate"] == 0  # only its requester wrote
    assert before["first_response_seconds_mean"] is None
    assert before["solved_count"] == 1
    assert before["resolution_seconds_mean"] == pytest.approx(2 * HOUR)
    assert before["solved_in_period"] == 0  # D was solved on 2 Mar
    assert before["backlog"] == 1  # D was open at the end of 1 Mar


def test_backlog_day_by_day_follows_the_status_history(acme, history):
    update_metrics(tenant=acme, full=True)

    series = timeseries(acme, date(2026, 2, 28), date(2026, 3, 6))

    assert [p["backlog"] for p in series] == [0, 1, 1, 1, 1, 1, 1]
    assert [p["tickets_created"] for p in series] == [0, 1, 2, 1, 0, 0, 0]
    assert [p["solved"] for p in series] == [0, 0, 2, 1, 0, 0, 0]
    assert [p["reopened"] for p in series] == [0, 0, 0, 0, 1, 0, 0]
    assert [p["csat"] for p in series] == [None, None, None, 1.0, 0.0, None, None]
    # B is open again from 4 Mar 10:00 to 12:00 but solved by the end of the day.
    assert series[4]["backlog"] == 1


def test_figures_per_queue_agent_and_organization(acme, history, alice, olga, billing, acme_co):
    update_metrics(tenant=acme, full=True)

    by_queue = breakdown(acme, MARCH_2, MARCH_4, Dimension.QUEUE)
    by_agent = breakdown(acme, MARCH_2, MARCH_4, Dimension.AGENT)
    by_org = breakdown(acme, MARCH_2, MARCH_4, Dimension.ORGANIZATION)

    assert by_queue[billing.pk]["tickets_created"] == 2
    assert by_queue[billing.pk]["backlog"] == 0
    assert by_queue[0]["tickets_created"] == 1  # C has no queue
    assert by_queue[0]["backlog"] == 1
    assert by_agent[alice.user_id]["solved_count"] == 2
    assert by_agent[alice.user_id]["csat"] == pytest.approx(0.5)
    assert by_agent[alice.user_id]["resolution_seconds_median"] == pytest.approx(14 * HOUR)
    assert by_agent[olga.user_id]["solved_in_period"] == 1  # D
    assert by_agent[olga.user_id]["tickets_created"] == 0
    assert by_org[acme_co.pk]["tickets_created"] == 3
    assert by_org[acme_co.pk]["ratings_count"] == 2


def test_no_tickets_and_no_ratings_give_zeros_and_nulls(acme):
    update_metrics(tenant=acme, full=True)

    figures = headline(acme, MARCH_2, MARCH_4)

    assert figures["tickets_created"] == 0
    assert figures["response_rate"] is None
    assert figures["resolution_seconds_median"] is None
    assert figures["ratings_count"] == 0
    assert figures["csat"] is None
    assert figures["backlog"] == 0
    assert not DailyRollup.objects.for_tenant(acme).exists()


def test_solved_tickets_without_ratings_have_no_csat(acme, bob, alice, billing):
    ticket = new_ticket(acme, bob.user, billing, at(2, 9))
    solve(ticket, alice.user, at(2, 10))
    update_metrics(tenant=acme, full=True)

    figures = headline(acme, MARCH_2, MARCH_2)

    assert figures["solved_count"] == 1
    assert figures["ratings_count"] == 0
    assert figures["csat"] is None


@pytest.mark.parametrize(
    ("zone", "utc_day", "utc_hour", "local_day"),
    [
        ("Asia/Jerusalem", 2, 23, 3),  # 01:30 on 3 Mar in Jerusalem (UTC+2)
        ("America/New_York", 3, 3, 2),  # 22:30 on 2 Mar in New York (UTC-5)
    ],
)
def test_days_are_counted_in_the_tenant_time_zone(db, zone, utc_day, utc_hour, local_day):
    tenant = make_tenant("zoned", time_zone=zone)
    customer = make_member(tenant, "zed@zoned.test", "customer")
    agent = make_member(tenant, "zoe@zoned.test", "agent")
    queue = make_queue(tenant, "Front", agent.user)
    ticket = new_ticket(tenant, customer.user, queue, at(utc_day, utc_hour, 30))
    solve(ticket, agent.user, at(utc_day, utc_hour, 45))
    update_metrics(tenant=tenant, full=True)

    on_day = headline(tenant, date(2026, 3, local_day), date(2026, 3, local_day))
    other = 5 - local_day  # the other of 2 and 3 Mar
    off_day = headline(tenant, date(2026, 3, other), date(2026, 3, other))

    assert on_day["tickets_created"] == 1
    assert on_day["solved_in_period"] == 1
    assert on_day["resolution_seconds_median"] == pytest.approx(15 * 60)
    assert off_day["tickets_created"] == 0
    row = DailyRollup.objects.for_tenant(tenant).of(Dimension.TENANT).get()
    assert row.day == ticket.created_at.astimezone(ZoneInfo(zone)).date()
