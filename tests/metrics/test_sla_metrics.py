"""Service-level figures of a small fixed history (tests/metrics/sla.py, every time computed
by hand there), on both ways of computing the rollups: the ORM's (what SQLite runs) and
PostgreSQL's statement."""

from datetime import date

import pytest

from metrics.models import Dimension
from metrics.queries import breakdown, headline, timeseries
from metrics.services import update_metrics
from tickets.models import Ticket
from tickets.services import add_comment

from .conftest import new_ticket
from .sla import FIRST, HOUR, LAST, MINUTE, local


def test_tickets_carry_their_business_time_counted_once_when_it_happens(sla_history):
    t1, t2, t3, t4, t5 = (Ticket.objects.get(pk=t.pk) for t in sla_history["tickets"])

    assert (t1.first_response_business_seconds, t1.resolution_business_seconds) == (
        60 * MINUTE,
        9.5 * HOUR,
    )
    # The two days pending are left out: 3 h, not 11 h.
    assert (t2.first_response_business_seconds, t2.resolution_business_seconds) == (
        1 * HOUR,
        3 * HOUR,
    )
    assert (t3.first_response_business_seconds, t3.resolution_business_seconds) == (
        45 * MINUTE,
        9.5 * HOUR,
    )
    assert (t1.first_response_met, t1.resolution_met) == (True, True)
    assert (t2.first_response_met, t2.resolution_met) == (True, True)
    assert (t3.first_response_met, t3.resolution_met) == (False, False)
    assert t4.sla_policy_id is None and t4.first_response_business_seconds is None
    assert t5.first_response_met is None and t5.first_response_business_seconds is None


def test_headline_service_levels_of_the_fixed_history(sla_history, acme, way):
    update_metrics(tenant=acme, full=True)

    figures = headline(acme, FIRST, LAST)

    assert figures["tickets_created"] == 5
    # T1 and T2 met, T3 missed; T4 has no policy, T5 is not answered yet.
    assert figures["first_response_sla_met"] == pytest.approx(2 / 3)
    assert figures["resolution_sla_met"] == pytest.approx(2 / 3)
    assert figures["first_response_sla_breached"] == 1
    assert figures["resolution_sla_breached"] == 1
    assert figures["first_response_business_seconds_mean"] == pytest.approx(
        (60 * MINUTE + 1 * HOUR + 45 * MINUTE) / 3
    )
    assert figures["resolution_business_seconds_mean"] == pytest.approx(
        (9.5 * HOUR + 3 * HOUR + 9.5 * HOUR) / 3
    )
    # Beside them, calendar time as before (T1..T4 answered, every one but T5 solved).
    assert figures["first_response_seconds_mean"] == pytest.approx(
        (65 * HOUR + 1 * HOUR + 45 * MINUTE + 1 * HOUR) / 4
    )
    assert figures["resolution_seconds_mean"] == pytest.approx(
        (113.5 * HOUR + 51 * HOUR + 65.5 * HOUR + 2 * HOUR) / 4
    )


def test_breaches_by_policy_queue_and_agent(sla_history, acme, alice, olga, billing, way):
    update_metrics(tenant=acme, full=True)
    standard, urgent = sla_history["standard"].pk, sla_history["urgent"].pk

    by_policy = breakdown(acme, FIRST, LAST, Dimension.POLICY)

    assert set(by_policy) == {standard, urgent, 0}
    assert by_policy[standard]["tickets_created"] == 3  # T1, T2, T5
    assert by_policy[standard]["first_response_sla_met"] == 1.0
    assert by_policy[standard]["resolution_sla_met"] == 1.0
    assert by_policy[standard]["resolution_business_seconds_mean"] == pytest.approx(
        (9.5 * HOUR + 3 * HOUR) / 2
    )
    assert by_policy[urgent]["first_response_sla_met"] == 0.0
    assert by_policy[urgent]["first_response_sla_breached"] == 1
    assert by_policy[urgent]["resolution_sla_breached"] == 1
    assert by_policy[0]["tickets_created"] == 1  # T4
    assert by_policy[0]["first_response_sla_met"] is None
    assert by_policy[0]["first_response_business_seconds_mean"] is None

    by_queue = breakdown(acme, FIRST, LAST, Dimension.QUEUE)
    assert by_queue[billing.pk]["first_response_sla_met"] == pytest.approx(2 / 3)
    assert by_queue[0]["first_response_sla_met"] is None  # T5, undecided

    by_agent = breakdown(acme, FIRST, LAST, Dimension.AGENT)
    assert by_agent[alice.user_id]["first_response_sla_met"] == 1.0
    assert by_agent[alice.user_id]["first_response_sla_breached"] == 0
    assert by_agent[olga.user_id]["first_response_sla_breached"] == 1
    assert by_agent[olga.user_id]["first_response_business_seconds_mean"] == 45 * MINUTE


def test_each_day_shows_the_targets_its_tickets_met(sla_history, acme, way):
    update_metrics(tenant=acme, full=True)

    series = {p["day"]: p for p in timeseries(acme, FIRST, LAST)}

    assert series[date(2025, 12, 11)]["first_response_sla_met"] == 1.0  # T1
    assert series[date(2025, 12, 14)]["first_response_sla_met"] == 0.5  # T2 met, T3 missed
    assert series[date(2025, 12, 14)]["resolution_business_seconds_mean"] == pytest.approx(
        (3 * HOUR + 9.5 * HOUR) / 2
    )
    assert series[date(2025, 12, 15)]["first_response_sla_met"] is None  # T5 waits
    assert series[date(2025, 12, 12)]["resolution_sla_met"] is None  # nothing created


def test_an_incremental_run_picks_up_a_late_answer(sla_history, acme, alice, way):
    update_metrics(tenant=acme, full=True, now=local(17, 18))
    t5 = sla_history["tickets"][4]

    # T5 (opened on the holiday, due Tue 11:00) is answered on Thu at 10:00: missed, and
    # Tue 8 h + Wed 8 h + Thu 1 h of business time.
    add_comment(ticket=t5, author=alice.user, body="Sorry for the wait", at=local(18, 10))
    # The day T5 was created, and the day of the answer: a staff reply opens a new ticket, a
    # status move the status figures count on its own day.
    assert update_metrics(tenant=acme, now=local(18, 19)) == 2

    figures = headline(acme, FIRST, LAST)
    assert figures["first_response_sla_met"] == pytest.approx(2 / 4)
    assert figures["first_response_sla_breached"] == 2
    assert figures["first_response_business_seconds_mean"] == pytest.approx(
        (60 * MINUTE + 1 * HOUR + 45 * MINUTE + 17 * HOUR) / 4
    )


def test_no_policy_anywhere_gives_nulls_not_zeros(acme, bob, alice, billing, way):
    ticket = new_ticket(acme, bob.user, billing, local(14, 12))
    add_comment(ticket=ticket, author=alice.user, body="Hi", at=local(14, 13))
    acme.time_zone = "Asia/Jerusalem"
    acme.save(update_fields=["time_zone"])
    update_metrics(tenant=acme, full=True)

    figures = headline(acme, FIRST, LAST)

    assert figures["tickets_created"] == 1
    assert figures["first_response_sla_met"] is None
    assert figures["resolution_sla_met"] is None
    assert figures["first_response_business_seconds_mean"] is None
    assert figures["resolution_business_seconds_mean"] is None
    assert figures["first_response_sla_breached"] == 0
