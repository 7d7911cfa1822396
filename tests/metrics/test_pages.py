"""The metrics pages: who may open them, what they show, and at what cost."""

import csv
import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from metrics.models import ReportSubscription
from metrics.services import report_period, send_reports, update_metrics
from tests.conftest import forget_cached
from tests.factories import make_member, make_queue

from .conftest import at, new_ticket, solve

MARCH = {"from": "2026-03-02", "to": "2026-03-04"}


def url(name, *args, slug="acme"):
    return reverse(f"metrics:{name}", args=[slug, *args])


@pytest.fixture
def computed(acme, history):
    update_metrics(tenant=acme, full=True)
    return history


def test_supervisor_sees_headline_charts_breakdown_and_freshness(client, sam, computed):
    client.force_login(sam.user)

    response = client.get(url("dashboard"), MARCH)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-figure="tickets_created"' in page
    assert '<p class="stat">3</p>' in page  # tickets created
    assert "66.7%" in page  # response rate
    assert 'id="chart-volume"' in page and 'id="chart-csat"' in page
    assert "vendor/chart.umd.min.js" in page
    assert 'id="breakdown-queue"' in page and "Billing" in page
    channels = page.split('id="breakdown-channel"')[1].split("</table>")[0]
    assert (
        '<th scope="row" data-value="Portal"><bdi>Portal</bdi></th>' in channels
    )  # every ticket here
    assert "E-mail" not in channels  # none came by mail
    assert "Figures computed at" in page
    assert url("definitions") + "#csat" in page
    assert response.context["period_start"].isoformat() == "2026-03-02"


def test_presets_choose_the_last_days(client, sam, computed):
    client.force_login(sam.user)
    response = client.get(url("dashboard"), {"days": 7})
    assert (response.context["period_end"] - response.context["period_start"]).days == 6
    assert response.context["preset"] == 7


def test_a_backwards_custom_period_says_so(client, sam, computed):
    client.force_login(sam.user)
    response = client.get(url("dashboard"), {"from": "2026-03-05", "to": "2026-03-01"})
    assert response.status_code == 200
    assert "must not be after" in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_agents_and_customers_cannot_open_the_dashboard(client, request, who, computed):
    member = request.getfixturevalue(who)
    client.force_login(member.user)
    assert client.get(url("dashboard")).status_code == 403
    assert client.get(url("export")).status_code == 403
    assert client.get(url("people")).status_code == 403


def test_the_csv_holds_what_the_dashboard_shows(client, ada, computed):
    client.force_login(ada.user)

    response = client.get(url("export"), MARCH)

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    headline = {row[1]: row[2] for row in rows if row and row[0] == "headline"}
    assert headline["tickets_created"] == "3"
    assert headline["csat"] == "0.5"
    assert headline["resolution_seconds_median"] == "50400"
    days = [row for row in rows if row and row[0].startswith("2026-03-")]
    assert [row[1] for row in days] == ["2", "1", "0"]
    billing = next(row for row in rows if row and row[0] == "Billing")
    assert billing[1] == "2"  # tickets created in Billing
    portal = next(row for row in rows if row and row[0] == "Portal")
    assert portal[1] == "3"  # tickets that came through the portal


def test_definitions_are_open_to_agents_too(client, alice, bob):
    client.force_login(alice.user)
    response = client.get(url("definitions"))
    assert response.status_code == 200
    assert 'id="resolution_seconds_median"' in response.content.decode()
    client.force_login(bob.user)
    assert client.get(url("definitions")).status_code == 403


def test_dashboard_query_count_does_not_grow_with_the_data(client, acme, sam, bob, alice, computed):
    client.force_login(sam.user)
    client.get(url("dashboard"), MARCH)  # warm caches (content types, sessions)
    forget_cached()  # measure the figures being read, not the cached ones
    with CaptureQueriesContext(connection) as small:
        client.get(url("dashboard"), MARCH)

    for n in range(6):
        queue = make_queue(acme, f"Queue {n}", alice.user)
        agent = make_member(acme, f"agent{n}@acme.test", "agent")
        ticket = new_ticket(acme, bob.user, queue, at(3, 9 + n))
        solve(ticket, agent.user, at(3, 20))
    update_metrics(tenant=acme, full=True)
    forget_cached()  # as cold as the first: the session and the panels are read again too
    with CaptureQueriesContext(connection) as large:
        client.get(url("dashboard"), MARCH)

    assert len(large) == len(small)
    assert len(small) <= 25
    assert not [q for q in large.captured_queries if "tickets_ticket" in q["sql"]]


def test_dashboard_reads_figures_once_per_metrics_run(client, acme, sam, bob, alice, computed):
    client.force_login(sam.user)
    forget_cached()

    def page():  # without the per-response CSRF tokens
        html = client.get(url("dashboard"), MARCH).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    with CaptureQueriesContext(connection) as first:
        before = page()
    with CaptureQueriesContext(connection) as again:
        assert page() == before
    rollups = [q for q in again.captured_queries if "metrics_dailyrollup" in q["sql"]]
    assert not rollups and len(again) < len(first)

    # A metrics run stamps a new computed_at: the next view shows the new figures.
    queue = make_queue(acme, "Late queue", alice.user)
    new_ticket(acme, bob.user, queue, at(3, 10))
    update_metrics(tenant=acme, full=True)
    after = page()
    assert '<p class="stat">3</p>' in before and '<p class="stat">4</p>' in after
    assert "Late queue" in after and "Late queue" not in before


def test_people_directory_shows_tenure_and_figures(client, ada, alice, bob, computed):
    client.force_login(ada.user)

    response = client.get(url("people"), MARCH)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Alice Agent" in page and "Bob Buyer" in page
    assert "2 handled" in page  # A and B... solved in the period by alice
    assert "2 requested" in page  # bob: A and C (D was the day before)
    assert 'data-cohort="new"' in page  # everyone joined today: this quarter
    assert "Acme Co" in page


def test_person_page_for_an_agent_and_a_customer(client, ada, alice, bob, computed):
    client.force_login(ada.user)

    agent_page = client.get(url("person", alice.user_id), MARCH)
    customer_page = client.get(url("person", bob.user_id), MARCH)

    assert agent_page.status_code == 200
    assert agent_page.context["handled"]["solved_count"] == 2
    assert "Quick and kind, thanks!" in agent_page.content.decode()
    assert customer_page.context["requested"]["tickets_created"] == 2
    assert customer_page.context["requested"]["csat"] == 1.0  # bob rated A 5
    assert sum(w["events"] for w in agent_page.context["activity"]) == 0  # March is long ago


def test_another_tenants_person_is_not_found(client, ada, mallory):
    client.force_login(ada.user)
    assert client.get(url("person", mallory.user_id)).status_code == 404


def test_agent_sees_own_figures_and_kind_words(client, alice, computed):
    client.force_login(alice.user)

    response = client.get(url("me"), MARCH)

    page = response.content.decode()
    assert response.status_code == 200
    assert "My figures" in page
    assert "Quick and kind, thanks!" in page  # 5 with a comment
    assert "Slow" not in page  # a 2 is not a kind word
    assert url("me") in page  # the nav links here


def test_customer_has_no_figures_of_their_own(client, bob):
    client.force_login(bob.user)
    response = client.get(url("me"))
    assert response.status_code == 403
    assert f'href="{url("me")}"' not in response.content.decode()


def test_nav_shows_metrics_to_supervisors_only(client, sam, alice):
    link = f'href="{url("dashboard")}"'
    client.force_login(sam.user)
    assert link in client.get(url("definitions")).content.decode()
    client.force_login(alice.user)
    assert link not in client.get(url("definitions")).content.decode()


def test_admin_subscribes_and_receives_one_report_per_period(client, acme, ada, computed):
    client.force_login(ada.user)

    client.post(url("subscriptions"), {"frequency": "weekly", "subscribe": "on"})
    client.post(url("subscriptions"), {"frequency": "monthly", "subscribe": "on"})
    client.post(url("subscriptions"), {"frequency": "monthly", "subscribe": ""})

    assert list(
        ReportSubscription.objects.for_tenant(acme).values_list("frequency", flat=True)
    ) == ["weekly"]
    assert send_reports(frequency="weekly") == 1
    assert send_reports(frequency="weekly") == 0  # the same week again: nothing
    assert len(mail.outbox) == 1
    assert "Acme" in mail.outbox[0].subject
    assert "Tickets created" in mail.outbox[0].body
    assert "/t/acme/metrics/" in mail.outbox[0].body


def test_report_periods_are_the_last_complete_week_and_month():
    from datetime import date

    assert report_period("weekly", date(2026, 3, 11)) == (date(2026, 3, 2), date(2026, 3, 8))
    assert report_period("monthly", date(2026, 3, 11)) == (date(2026, 2, 1), date(2026, 2, 28))
