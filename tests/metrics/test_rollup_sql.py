"""PostgreSQL writes the rollups in one statement; it must agree with the ORM's figures.

``compute_days`` (the ORM, what SQLite runs for the demo) is the readable definition. On a
generated history (hundreds of tickets over two years, every lifecycle) the SQL rebuild and
an incremental SQL run after changes must give the same rows, the backlog being the running
total of open_delta per slice.
"""

from collections import defaultdict

import pytest
from django.db import connection

from accounts.models import Tenant
from bench.generate import generate
from metrics.models import DailyRollup
from metrics.services import COUNTERS, _all_days, compute_days, update_metrics
from tickets.models import Queue, Ticket
from tickets.services import (
    add_comment,
    assign_ticket,
    change_status,
    move_to_queue,
    rate_ticket,
    reopen_ticket,
)

FIELDS = [*COUNTERS, "resolution_seconds", "backlog"]


def stored(tenant):
    return {
        (row["dimension"], row["ref"], row["day"]): {f: row[f] for f in FIELDS}
        for row in DailyRollup.objects.for_tenant(tenant).values("dimension", "ref", "day", *FIELDS)
    }


def defined(tenant):
    """The rollups as compute_days() defines them, backlog summed here day by day."""
    rows = sorted(compute_days(tenant, _all_days(tenant)), key=lambda r: r.day)
    totals = defaultdict(int)
    expected = {}
    for row in rows:
        totals[row.dimension, row.ref] += row.open_delta
        figures = {f: getattr(row, f) for f in FIELDS}
        figures["backlog"] = totals[row.dimension, row.ref]
        expected[row.dimension, row.ref, row.day] = figures
    return expected


def assert_same(actual, expected):
    assert actual.keys() == expected.keys()
    wrong = {key: (actual[key], want) for key, want in expected.items() if actual[key] != want}
    assert not wrong, f"{len(wrong)} rows differ, e.g. {next(iter(wrong.items()))}"


@pytest.fixture(params=["UTC", "America/New_York"])
def generated(db, request):
    generate(slug="twoways", tickets=300, seed=7)
    tenant = Tenant.objects.get(slug="twoways")
    tenant.time_zone = request.param
    tenant.save(update_fields=["time_zone"])
    return tenant


def test_the_sql_rebuild_writes_what_compute_days_defines(generated):
    update_metrics(tenant=generated, full=True)

    rows = stored(generated)
    assert {dimension for dimension, _ref, _day in rows} == {
        "tenant",
        "queue",
        "agent",
        "organization",
        "channel",
        "policy",
    }
    # The generated history has tickets of every channel, each a slice of its own.
    assert {ref for dimension, ref, _day in rows if dimension == "channel"} == {1, 2, 3, 4}
    # Two SLA policies and the low-priority tickets that have none, with targets met and missed.
    assert len({ref for dimension, ref, _day in rows if dimension == "policy"}) == 3
    tenant_rows = [r for (dimension, _r, _d), r in rows.items() if dimension == "tenant"]
    for target in ("first_response", "resolution"):
        met = sum(r[f"{target}_sla_met"] for r in tenant_rows)
        decided = sum(r[f"{target}_sla_decided"] for r in tenant_rows)
        assert 0 < met < decided
        assert sum(r[f"{target}_business_seconds_sum"] for r in tenant_rows) > 0
    assert sum(r["resolution_seconds"] != [] for r in rows.values()) > 50
    assert any(r["reopened"] for r in rows.values()) and any(r["ratings"] for r in rows.values())
    assert_same(rows, defined(generated))


def test_an_incremental_sql_run_after_changes_equals_the_definition(generated):
    update_metrics(tenant=generated, full=True)
    tickets = Ticket.objects.for_tenant(generated).select_related("requester", "assignee")
    staff = tickets.exclude(assignee=None).first().assignee
    queues = list(Queue.objects.for_tenant(generated).order_by("pk")[:2])
    open_one = tickets.filter(status=Ticket.Status.OPEN).order_by("created_at").first()
    solved = list(tickets.filter(status=Ticket.Status.SOLVED).order_by("created_at")[:3])
    old = tickets.exclude(status=Ticket.Status.CLOSED).order_by("created_at")[:3]

    add_comment(ticket=old[0], author=staff, body="Looking again")
    move_to_queue(ticket=old[1], queue=queues[0], by=staff)  # moves its whole history
    assign_ticket(ticket=old[2], assignee=None, by=staff)
    change_status(ticket=open_one, to=Ticket.Status.SOLVED, by=staff)
    reopen_ticket(ticket=solved[0], by=solved[0].requester)
    rate_ticket(ticket=solved[1], score=2, by=solved[1].requester)
    move_to_queue(ticket=solved[2], queue=queues[1], by=staff)
    days = update_metrics(tenant=generated)

    assert days >= 5
    assert_same(stored(generated), defined(generated))


def test_a_rebuild_of_an_unchanged_history_rewrites_no_row(generated):
    update_metrics(tenant=generated, full=True)
    table = DailyRollup._meta.db_table

    def row_versions():
        # ctid is where a row version lives: an UPDATE or a re-INSERT moves it.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, ctid::text FROM {table} WHERE tenant_id = %s ORDER BY id",  # noqa: S608
                [generated.pk],
            )
            return cursor.fetchall()

    before = row_versions()
    update_metrics(tenant=generated, full=True)
    assert row_versions() == before

    ticket = Ticket.objects.for_tenant(generated).filter(status=Ticket.Status.OPEN).first()
    change_status(ticket=ticket, to=Ticket.Status.SOLVED, by=ticket.assignee or ticket.requester)
    update_metrics(tenant=generated, full=True)
    after = row_versions()
    rewritten = set(after) - set(before)  # the solve's day and the ticket's creation day
    assert rewritten and len(rewritten) < len(before) / 10, (len(rewritten), len(before))
    assert_same(stored(generated), defined(generated))
