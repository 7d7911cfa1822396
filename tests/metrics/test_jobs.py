"""The jobs: incremental runs touch only changed days, runs repeat and overlap safely."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from metrics.models import DailyRollup, Dimension, MetricsState
from metrics.queries import breakdown, headline
from metrics.services import local_today, update_metrics
from tickets.services import add_comment, change_status, move_to_queue, rate_ticket

from .conftest import MARCH_2, MARCH_4


def snapshot(tenant):
    return sorted(
        DailyRollup.objects.for_tenant(tenant).values_list(
            "dimension",
            "ref",
            "day",
            "created",
            "responded",
            "first_response_seconds_sum",
            "solved",
            "resolution_seconds_sum",
            "solved_on_day",
            "reopened",
            "open_delta",
            "backlog",
            "ratings",
            "ratings_positive",
        )
    )


def test_a_reply_today_recomputes_only_the_day_the_ticket_was_created(acme, history, alice):
    update_metrics(tenant=acme, full=True)
    untouched = DailyRollup.objects.for_tenant(acme).of(Dimension.TENANT).get(day=MARCH_2)
    assert headline(acme, MARCH_2, MARCH_4)["response_rate"] == pytest.approx(2 / 3)

    add_comment(ticket=history["c"], author=alice.user, body="Sorry for the wait")
    days = update_metrics(tenant=acme)

    # A reply changes the figures of the tickets created on 3 Mar, and today's: a staff reply
    # opens the new ticket, a status change of today (the backlog by status).
    assert days == 2
    assert headline(acme, MARCH_2, MARCH_4)["response_rate"] == 1.0
    # 2 Mar was not rewritten: the same row is still there.
    assert DailyRollup.objects.for_tenant(acme).of(Dimension.TENANT).get(day=MARCH_2) == untouched
    assert MetricsState.objects.for_tenant(acme).get().days_recomputed == 2


def test_nothing_changed_means_nothing_recomputed(acme, history):
    update_metrics(tenant=acme, full=True)
    before = snapshot(acme)

    assert update_metrics(tenant=acme) == 0
    assert snapshot(acme) == before


def test_incremental_after_changes_equals_a_full_rebuild(acme, history, alice, bob, billing):
    update_metrics(tenant=acme, full=True)
    c = history["c"]
    move_to_queue(ticket=c, queue=billing, by=alice.user)  # C's whole past moves to Billing
    a = history["a"]
    a.refresh_from_db()
    rate_ticket(ticket=a, score=1, comment="Changed my mind", by=bob.user)  # replaces the 5

    update_metrics(tenant=acme)
    incremental = snapshot(acme)
    update_metrics(tenant=acme, full=True)

    assert snapshot(acme) == incremental
    figures = headline(acme, MARCH_2, MARCH_4)
    assert figures["ratings_count"] == 2
    assert figures["csat"] == 0  # 1 and 2
    assert breakdown(acme, MARCH_2, MARCH_4, Dimension.QUEUE)[billing.pk]["backlog"] == 1


def test_running_the_full_job_twice_gives_the_same_rollups(acme, history):
    update_metrics(tenant=acme, full=True)
    first = snapshot(acme)
    update_metrics(tenant=acme, full=True)
    assert snapshot(acme) == first
    assert first  # not vacuous


def test_a_run_that_dies_midway_leaves_rollups_and_watermark_as_they_were(
    acme, history, alice, monkeypatch
):
    update_metrics(tenant=acme, full=True)
    before = snapshot(acme)
    watermark = MetricsState.objects.for_tenant(acme).get().watermark
    # A note: it touches the ticket's day alone (a reply would also open the new ticket).
    add_comment(ticket=history["c"], author=alice.user, body="Hello", is_public=False)

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr("metrics.services.rollup_sql._recount_changed_slices", killed)
    with pytest.raises(SystemExit):
        update_metrics(tenant=acme)

    assert snapshot(acme) == before
    assert MetricsState.objects.for_tenant(acme).get().watermark == watermark
    monkeypatch.undo()
    assert update_metrics(tenant=acme) == 1  # the next run picks the change up


def test_the_watermark_moves_to_the_start_of_the_run(acme, history):
    started = timezone.now()
    update_metrics(tenant=acme, full=True, now=started)
    state = MetricsState.objects.for_tenant(acme).get()
    assert state.watermark == started
    assert state.rebuilt_at == started
    assert state.computed_at >= started


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_give_the_same_rollups_as_one(acme, history, alice):
    update_metrics(tenant=acme, full=True)
    expected = snapshot(acme)
    add_comment(ticket=history["c"], author=alice.user, body="Now")
    update_metrics(tenant=acme)
    expected_after = snapshot(acme)
    update_metrics(tenant=acme, full=True)  # back to a clean state for the race below
    errors = []
    barrier = threading.Barrier(2)

    def run(full):
        try:
            barrier.wait()
            update_metrics(tenant=acme, full=full)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    for full in (True, False):
        threads = [threading.Thread(target=run, args=(full,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert snapshot(acme) == expected_after
    assert expected != expected_after  # the reply did change something


def test_a_status_change_today_recomputes_today_and_the_creation_day(acme, history, alice):
    update_metrics(tenant=acme, full=True)
    change_status(ticket=history["c"], to="pending", by=alice.user)
    assert update_metrics(tenant=acme) == 2
    today = local_today(acme)
    # Pending is still open: the backlog does not move, and a rebuild agrees.
    assert headline(acme, today - timedelta(days=1), today)["backlog"] == 1
    update_metrics(tenant=acme, full=True)
    assert headline(acme, today - timedelta(days=1), today)["backlog"] == 1


def test_todays_backlog_is_the_open_tickets_now(acme, history, alice):
    change_status(ticket=history["c"], to="open", by=alice.user)
    update_metrics(tenant=acme, full=True)
    today = local_today(acme)
    assert headline(acme, today - timedelta(days=1), today)["backlog"] == 1
