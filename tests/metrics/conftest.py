"""A known ticket history in acme (UTC), March 2026, timestamps chosen by hand.

A (Billing, alice): created 2 Mar 10:00, reply 11:00, solved 14:00, rated 5 on 3 Mar.
B (Billing, alice): created 2 Mar 12:00, reply 14:00, solved 3 Mar 12:00, reopened 4 Mar 10:00,
   solved again 4 Mar 12:00, rated 2 on 4 Mar 13:00.
C (no queue, nobody): created 3 Mar 08:00, never answered, still open.
D (Billing, olga): created 1 Mar 23:00 (before the period), only the requester wrote,
   solved 2 Mar 01:00.
"""

from datetime import UTC, date, datetime

import pytest

from tickets.services import add_comment, assign_ticket, change_status, open_ticket, rate_ticket

from .sla import sla_history, way  # noqa: F401 (fixtures of the service-level stories)

MARCH_2 = date(2026, 3, 2)
MARCH_4 = date(2026, 3, 4)


def at(day, hour, minute=0, tz=UTC):
    return datetime(2026, 3, day, hour, minute, tzinfo=tz)


def new_ticket(tenant, requester, queue=None, when=None, subject="Help"):
    return open_ticket(
        tenant=tenant,
        requester=requester,
        subject=subject,
        description="...",
        queue=queue,
        at=when,
    )


def solve(ticket, by, when):
    return change_status(ticket=ticket, to="solved", by=by, at=when)


@pytest.fixture
def history(acme, alice, olga, bob, carol, billing):
    a = new_ticket(acme, bob.user, billing, at(2, 10))
    assign_ticket(ticket=a, assignee=alice.user, by=alice.user, at=at(2, 10, 30))
    add_comment(ticket=a, author=alice.user, body="On it", at=at(2, 11))
    solve(a, alice.user, at(2, 14))
    a.refresh_from_db()
    rate_ticket(ticket=a, score=5, comment="Quick and kind, thanks!", by=bob.user, at=at(3, 9))

    b = new_ticket(acme, carol.user, billing, at(2, 12))
    assign_ticket(ticket=b, assignee=alice.user, by=alice.user, at=at(2, 12, 5))
    add_comment(ticket=b, author=alice.user, body="Looking", at=at(2, 14))
    solve(b, alice.user, at(3, 12))
    change_status(ticket=b, to="open", by=carol.user, at=at(4, 10))
    solve(b, alice.user, at(4, 12))
    b.refresh_from_db()
    rate_ticket(ticket=b, score=2, comment="Slow", by=carol.user, at=at(4, 13))

    c = new_ticket(acme, bob.user, None, at(3, 8))

    d = new_ticket(acme, bob.user, billing, at(1, 23))
    assign_ticket(ticket=d, assignee=olga.user, by=olga.user, at=at(1, 23, 10))
    add_comment(ticket=d, author=bob.user, body="Any news?", at=at(1, 23, 30))
    solve(d, olga.user, at(2, 1))
    return {"a": a, "b": b, "c": c, "d": d}
