"""The workspace's column headers sort, and the list says the sort it uses (aria-sort)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import make_ticket
from tickets.models import Ticket
from tickets.models.tickets import PRIORITIES
from tickets.workspace import workspace_tickets


def _numbers(response):
    return [t["number"] for t in response.context["page"].rows]


def _headers(response) -> dict[str, tuple[str | None, str]]:
    """Each sortable header's label: (its aria-sort or None, the query its link goes to)."""
    found = {}
    for attrs, query, label in re.findall(
        r'<th scope="col"([^>]*)><a href="\?([^"]*)" class="sort">([^<]*)</a></th>',
        response.content.decode(),
    ):
        aria = re.search(r'aria-sort="(\w+)"', attrs)
        found[label] = (aria.group(1) if aria else None, query.replace("&amp;", "&"))
    return found


@pytest.fixture
def three(acme, bob, billing):
    """Made oldest first; the oldest was updated last, the newest before the others."""
    now = timezone.now()
    made = []
    for n, (age, touched) in enumerate([(30, 1), (20, 3), (10, 5)]):
        ticket = make_ticket(acme, bob.user, billing, subject=f"T{n}")
        Ticket.objects.filter(pk=ticket.pk).update(
            created_at=now - timedelta(days=age), updated_at=now - timedelta(hours=touched)
        )
        made.append(ticket.number)
    return made


def test_the_default_list_says_it_sorts_by_age_and_not_by_updated(client, alice, three):
    """The defect: the list sorted by creation while nothing said so but an "Updated" column."""
    client.force_login(alice.user)
    response = client.get("/t/acme/workspace/")
    headers = _headers(response)
    assert headers["Age"][0] == "ascending"  # the youngest first: newest created first
    assert headers["Updated"][0] is None
    assert _numbers(response) == list(reversed(three))


def test_the_updated_header_sorts_by_updated_at_both_ways(client, alice, three):
    client.force_login(alice.user)
    first = client.get("/t/acme/workspace/?view=queues&priority=normal")
    aria, query = _headers(first)["Updated"]
    assert "sort=-updated" in query and "priority=normal" in query  # the filters stay

    by_updated = client.get("/t/acme/workspace/?" + query)
    assert _numbers(by_updated) == [three[0], three[1], three[2]]  # latest touch first
    aria, query = _headers(by_updated)["Updated"]
    assert aria == "descending"
    assert _headers(by_updated)["Age"][0] is None

    back = client.get("/t/acme/workspace/?" + query)
    assert _headers(back)["Updated"][0] == "ascending"
    assert _numbers(back) == [three[2], three[1], three[0]]


def test_age_number_and_priority_headers_sort(client, acme, alice, bob, billing, three):
    urgent = make_ticket(acme, bob.user, billing, subject="Down", priority="urgent")
    client.force_login(alice.user)
    oldest_first = client.get(
        "/t/acme/workspace/?" + _headers(client.get("/t/acme/workspace/"))["Age"][1]
    )
    assert _headers(oldest_first)["Age"][0] == "descending"
    assert _numbers(oldest_first)[:3] == three
    by_number = client.get("/t/acme/workspace/?sort=number")
    assert _headers(by_number)["#"][0] == "ascending"
    assert _numbers(by_number) == sorted(_numbers(by_number))
    most_urgent = client.get("/t/acme/workspace/?" + _headers(by_number)["Priority"][1])
    assert _headers(most_urgent)["Priority"][0] == "descending"
    assert _numbers(most_urgent)[0] == urgent.number


def test_ties_break_by_id_so_pages_neither_repeat_nor_skip(client, acme, alice, bob, billing):
    same = timezone.now() - timedelta(days=1)
    for n in range(5):
        ticket = make_ticket(acme, bob.user, billing, subject=f"Tie {n}")
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=same, created_at=same)
    client.force_login(alice.user)
    for sort in ("-updated", "updated", "-created", "created"):
        seen = []
        for page in (1, 2, 3):
            url = f"/t/acme/workspace/?sort={sort}&page_size=2&page={page}"
            seen += _numbers(client.get(url))
        assert sorted(seen) == sorted(set(seen)) and len(seen) == 5, sort
        ascending = not sort.startswith("-")
        assert seen == sorted(seen, reverse=not ascending), sort


def test_an_unknown_sort_key_is_the_views_own_sort(client, alice, three):
    client.force_login(alice.user)
    response = client.get("/t/acme/workspace/?sort=subject;drop")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert _headers(response)["Age"][0] == "ascending"
    recent = client.get("/t/acme/workspace/?view=recent")
    assert _headers(recent)["Updated"][0] == "descending"


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("-updated", "ticket_recent"),
        ("updated", "ticket_recent"),
        ("-priority", "ticket_priority"),
        ("priority", "ticket_priority"),
        ("number", "ticket_number_unique"),
        ("created", "ticket_newest"),
    ],
)
def test_each_header_sort_walks_an_index_in_its_order(acme, sam, bob, billing, sort, index):
    """At a million tickets a page must read the first rows of an index, not rank them all
    (the priority sort did: 190 ms at 100k tickets before its index)."""
    make_ticket(acme, bob.user, billing)
    query = workspace_tickets(sam, {"view": "all", "sort": sort})[:25].query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"using {index} " in plan.replace("Backward using", "using"), plan
    assert "  Sort  " not in plan and "-> Sort" not in plan, plan


def test_the_priority_index_ranks_as_the_sort_does():
    assert tuple(Ticket.Priority.values) == PRIORITIES
