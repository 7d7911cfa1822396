"""Incident history of a person and an organization: every ticket, times, ratings."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_ticket
from tickets.services import add_comment, change_status, rate_ticket


def _make_solved(acme, requester, queue, agent, n):
    for i in range(n):
        ticket = make_ticket(acme, requester, queue, subject=f"Case {i}")
        add_comment(ticket=ticket, author=agent, body="Done")
        change_status(ticket=ticket, to="solved", by=agent)
        rate_ticket(ticket=ticket, score=5 - i % 3, comment="ok", by=requester)


def test_person_history_shows_times_and_ratings(client, acme, alice, bob, billing):
    _make_solved(acme, bob.user, billing, alice.user, 2)
    client.force_login(alice.user)
    response = client.get(f"/t/acme/history/people/{bob.user.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Case 0" in page and "Case 1" in page and "5/5" in page and "4/5" in page
    assert response.context["summary"]["total"] == 2
    assert response.context["summary"]["rating_avg"] == 4.5


def test_organization_history_lists_every_member_request(client, acme, alice, bob, carol, billing):
    make_ticket(acme, bob.user, billing, subject="Bob's case")
    make_ticket(acme, carol.user, billing, subject="Carol's case")
    client.force_login(alice.user)
    page = client.get(f"/t/acme/history/organizations/{bob.organization_id}/").content.decode()
    assert "Bob&#39;s case" in page and "Carol&#39;s case" in page


def test_customers_cannot_open_history_pages(client, bob, carol):
    client.force_login(bob.user)
    assert client.get(f"/t/acme/history/people/{carol.user.pk}/").status_code == 403


def test_history_issues_the_same_queries_for_any_length(client, acme, alice, bob, billing):
    client.force_login(alice.user)
    url = f"/t/acme/history/people/{bob.user.pk}/"
    _make_solved(acme, bob.user, billing, alice.user, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _make_solved(acme, bob.user, billing, alice.user, 6)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"].rows) == 7
    assert len(one.captured_queries) == len(many.captured_queries)
