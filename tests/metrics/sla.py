"""A small fixed service-level history (fixtures ``sla_history`` and ``way``, registered in
conftest), every figure computed by hand below.

acme in Asia/Jerusalem (UTC+2 in December). Office hours Sunday to Thursday 09:00-17:00,
Monday 15 December 2025 a holiday. "Standard" (normal and high tickets): first response in 2
business hours, resolution in 16, the clock paused while pending. "Urgent": 30 minutes and 4
hours, never paused. Low tickets have no policy. All times local.

T1 Standard, Billing, alice: opened Thu 11 Dec 16:30, answered Sun 14 09:30 (Thu 30 min + Sun
   30 min = 60 business minutes; due Sun 10:30: met), solved Tue 16 10:00 (Thu 30 min + Sun 8 h
   + holiday + Tue 1 h = 9.5 h; due Tue 16:30: met).
T2 Standard, Billing, alice: opened Sun 14 09:00, answered 10:00 and set pending (1 h; met);
   the customer wrote Tue 16 10:00 (open again), solved Tue 12:00: 1 h + 2 h = 3 h with the
   pause (11 h without it); due Wed 17 17:00: met.
T3 Urgent, by e-mail, Billing, olga: opened Sun 14 16:00, answered 16:45 (45 min; due 16:30:
   missed), solved Wed 17 09:30 (Sun 1 h + holiday + Tue 8 h + Wed 30 min = 9.5 h; due Tue
   12:00: missed).
T4 low, no policy, Billing, alice: opened Sun 14 12:00, answered 13:00, solved 14:00.
T5 Standard, no queue, nobody: opened on the holiday, never answered (not decided yet).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tickets.services import (
    add_comment,
    assign_ticket,
    change_status,
    create_calendar,
    create_sla_policy,
    open_ticket,
)

JERUSALEM = ZoneInfo("Asia/Jerusalem")
SUN_TO_THU = [{"weekday": day, "start": "09:00", "end": "17:00"} for day in (6, 0, 1, 2, 3)]
FIRST, LAST = date(2025, 12, 11), date(2025, 12, 17)
MINUTE, HOUR = 60, 3600


def local(day, hour, minute=0):
    return datetime(2025, 12, day, hour, minute, tzinfo=JERUSALEM)


def solve(ticket, by, when):
    return change_status(ticket=ticket, to="solved", by=by, at=when)


def opened(tenant, requester, queue, when, **fields):
    return open_ticket(
        tenant=tenant,
        requester=requester,
        subject="Help",
        description="...",
        queue=queue,
        at=when,
        **fields,
    )


@pytest.fixture(params=["orm", "sql"])
def way(request, settings):
    """Which way the rollups are computed: the ORM's sums or PostgreSQL's one statement."""
    settings.IS_POSTGRES = request.param == "sql"
    return request.param


@pytest.fixture
def sla_history(acme, alice, olga, bob, carol, billing):
    acme.time_zone = "Asia/Jerusalem"
    acme.save(update_fields=["time_zone"])
    office = create_calendar(
        tenant=acme,
        by=None,
        name="Office",
        time_zone="Asia/Jerusalem",
        hours=SUN_TO_THU,
        holidays=[date(2025, 12, 15)],
    )
    standard = create_sla_policy(
        tenant=acme,
        by=None,
        name="Standard",
        calendar=office,
        conditions={"priority": ["normal", "high"]},
        first_response_minutes=120,
        resolution_minutes=16 * 60,
        pause_when_pending=True,
    )
    urgent = create_sla_policy(
        tenant=acme,
        by=None,
        name="Urgent",
        calendar=office,
        conditions={"priority": ["urgent"]},
        first_response_minutes=30,
        resolution_minutes=4 * 60,
        pause_when_pending=False,
    )

    t1 = opened(acme, bob.user, billing, local(11, 16, 30))
    assign_ticket(ticket=t1, assignee=alice.user, by=alice.user, at=local(11, 16, 40))
    add_comment(ticket=t1, author=alice.user, body="Looking", at=local(14, 9, 30))
    solve(t1, alice.user, local(16, 10))

    t2 = opened(acme, carol.user, billing, local(14, 9))
    assign_ticket(ticket=t2, assignee=alice.user, by=alice.user, at=local(14, 9, 5))
    add_comment(ticket=t2, author=alice.user, body="Which invoice?", at=local(14, 10))
    change_status(ticket=t2, to="pending", by=alice.user, at=local(14, 10))
    add_comment(ticket=t2, author=carol.user, body="This one", at=local(16, 10))
    solve(t2, alice.user, local(16, 12))

    t3 = opened(acme, bob.user, billing, local(14, 16), channel="email", priority="urgent")
    assign_ticket(ticket=t3, assignee=olga.user, by=olga.user, at=local(14, 16, 2))
    add_comment(ticket=t3, author=olga.user, body="On it", at=local(14, 16, 45))
    solve(t3, olga.user, local(17, 9, 30))

    t4 = opened(acme, carol.user, billing, local(14, 12), priority="low")
    assign_ticket(ticket=t4, assignee=alice.user, by=alice.user, at=local(14, 12, 5))
    add_comment(ticket=t4, author=alice.user, body="Done", at=local(14, 13))
    solve(t4, alice.user, local(14, 14))

    t5 = opened(acme, bob.user, None, local(15, 10))
    return {
        "tickets": [t1, t2, t3, t4, t5],
        "standard": standard,
        "urgent": urgent,
    }
