"""Each workspace view shows its count: one bounded statement for all of them, none per row."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_queue, make_ticket
from tickets.models import SavedFilter
from tickets.services import assign_ticket, change_status, save_filter
from tickets.workspace import view_counts


def _shown(response) -> dict[str, str]:
    """Each view's label and the count it shows."""
    return {
        label.strip(): count
        for label, count in re.findall(
            r'<a href="\?[^"]*"[^>]*>([^<]+) <span class="count">([^<]+)</span></a>',
            response.content.decode(),
        )
    }


def _count_statements(captured):
    return [q for q in captured if "COUNT(" in q["sql"].upper() and "tickets_ticket" in q["sql"]]


@pytest.fixture
def desk(acme, alice, bob, carol, billing):
    """Billing (returned): three tickets, one Alice's, one solved; Technical (not hers): one."""
    mine = make_ticket(acme, bob.user, billing, subject="Mine", priority="urgent")
    assign_ticket(ticket=mine, assignee=alice.user, by=alice.user)
    make_ticket(acme, carol.user, billing, subject="Waiting")
    solved = make_ticket(acme, bob.user, billing, subject="Done")
    change_status(ticket=solved, to="solved", by=alice.user)
    make_ticket(acme, bob.user, make_queue(acme, "Technical"), subject="Elsewhere")
    return billing


def test_every_view_says_how_many_tickets_it_holds(client, acme, alice, sam, desk, acme_co):
    save_filter(tenant=acme, owner=alice.user, name="Urgent", query="priority=urgent")
    save_filter(tenant=acme, owner=alice.user, name="Acme Co", query=f"organization={acme_co.pk}")
    client.force_login(alice.user)
    shown = _shown(client.get("/t/acme/workspace/"))
    assert shown["My open tickets"] == "1"
    assert shown["Unassigned in my queues"] == "1"  # the solved one is no longer open
    assert shown["All in my queues"] == "3"
    assert shown["Recently updated"] == "3"
    assert shown["Urgent"] == "1"
    assert shown["Acme Co"] == "3"  # bob's and carol's
    assert "All tickets" not in shown
    client.force_login(sam.user)
    assert _shown(client.get("/t/acme/workspace/"))["All tickets"] == "4"


def test_counts_are_one_statement_whatever_the_views_and_rows(
    client, acme, alice, bob, billing, desk, monkeypatch
):
    monkeypatch.setattr("tickets.workspace.COUNT_SECONDS", 0)  # counted on every request
    client.force_login(alice.user)
    client.get("/t/acme/workspace/")  # warm the session

    def measured():
        with CaptureQueriesContext(connection) as ctx:
            client.get("/t/acme/workspace/")
        return ctx.captured_queries

    few = measured()
    for n in range(4):
        save_filter(tenant=acme, owner=alice.user, name=f"View {n}", query=f"tag=t{n}")
        make_ticket(acme, bob.user, billing, subject=f"More {n}")
    many = measured()
    assert len(many) == len(few)
    assert len(_count_statements(few)) == len(_count_statements(many)) == 1
    assert "SavedFilter" not in str([q["sql"] for q in many if "COUNT(" in q["sql"]])


def test_counts_are_kept_a_while_and_counted_anew_for_a_new_view(client, acme, alice, desk):
    client.force_login(alice.user)
    client.get("/t/acme/workspace/")
    with CaptureQueriesContext(connection) as kept:
        client.get("/t/acme/workspace/?view=mine")
    assert _count_statements(kept.captured_queries) == []
    save_filter(tenant=acme, owner=alice.user, name="Urgent", query="priority=urgent")
    with CaptureQueriesContext(connection) as anew:
        response = client.get("/t/acme/workspace/")
    assert len(_count_statements(anew.captured_queries)) == 1
    assert _shown(response)["Urgent"] == "1"


def test_a_count_stops_at_the_cap(client, acme, alice, bob, billing, desk, monkeypatch):
    monkeypatch.setattr("tickets.workspace.COUNT_CAP", 2)
    monkeypatch.setattr("tickets.views.agent_workspace.COUNT_CAP", 2)
    client.force_login(alice.user)
    shown = _shown(client.get("/t/acme/workspace/"))
    assert shown["All in my queues"] == "2+"
    assert shown["My open tickets"] == "1"


@pytest.mark.parametrize("many_organizations", [False, True])
def test_a_saved_views_filters_count_as_the_page_reads_them_when_opened(
    client, acme, alice, bob, desk, globex_queue, acme_co, many_organizations
):
    """A filter the page would refuse (another helpdesk's queue, a date that is none, a view
    not open to her) is left out of the count as it is left out of the list."""
    from accounts.models import Organization
    from tickets.forms import OrganizationField

    if many_organizations:  # past the list limit, organizations are typed by name
        Organization.objects.bulk_create(
            Organization(tenant=acme, name=f"Org {n}") for n in range(OrganizationField.LIST_LIMIT)
        )
    views = {
        "Odd": f"view=all&queue={globex_queue.pk}&created_after=never&page_size=x",
        "By name": "organization=ACME CO",
        "Billing urgent": "priority=urgent&queue=" + str(desk.pk),
    }
    for name, query in views.items():
        save_filter(tenant=acme, owner=alice.user, name=name, query=query)
    client.force_login(alice.user)
    response = client.get("/t/acme/workspace/")
    assert response.status_code == 200
    shown = _shown(response)
    for saved in SavedFilter.objects.owned_by(alice):
        opened = client.get("/t/acme/workspace/?" + saved.query)
        assert shown[saved.name] == str(len(opened.context["page"].rows)), saved.name
    assert shown["Odd"] == "3"  # every filter left out: all of her queues


def test_view_counts_of_nothing_ask_nothing(alice, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert view_counts(alice, {}) == {}
