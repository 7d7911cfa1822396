"""metrics/summary/, timeseries/ and breakdown/: the contract, its refusals and bad input."""

import pytest

from metrics.services import update_metrics
from tests.conftest import login_api

SUMMARY = "/api/v1/t/acme/metrics/summary/"
TIMESERIES = "/api/v1/t/acme/metrics/timeseries/"
BREAKDOWN = "/api/v1/t/acme/metrics/breakdown/"
MARCH = {"from": "2026-03-02", "to": "2026-03-04"}


@pytest.fixture
def computed(acme, history):
    update_metrics(tenant=acme, full=True)
    return history


def test_supervisor_reads_the_summary_as_the_contract_says(api, sam, computed):
    response = login_api(api, sam).get(SUMMARY, MARCH)

    assert response.status_code == 200
    body = response.json()
    assert body["tickets_created"] == 3
    assert body["response_rate"] == pytest.approx(2 / 3)
    assert body["first_response_seconds_mean"] == pytest.approx(5400)
    assert body["resolution_seconds_mean"] == pytest.approx(50400)
    assert body["resolution_seconds_median"] == pytest.approx(50400)
    assert body["solved_count"] == 2
    assert body["ratings_count"] == 2
    assert body["csat"] == pytest.approx(0.5)
    assert body["from"] == "2026-03-02"
    assert body["computed_at"]


def test_summary_per_queue_and_per_agent(api, ada, alice, billing, computed):
    login_api(api, ada)

    by_queue = api.get(SUMMARY, {**MARCH, "queue": billing.pk}).json()
    by_agent = api.get(SUMMARY, {**MARCH, "agent": alice.user_id}).json()

    assert by_queue["tickets_created"] == 2
    assert by_queue["response_rate"] == 1.0
    assert by_agent["solved_count"] == 2
    assert by_agent["csat"] == pytest.approx(0.5)


def test_a_period_without_tickets_has_nulls_not_errors(api, sam, computed):
    body = login_api(api, sam).get(SUMMARY, {"from": "2025-01-01", "to": "2025-01-31"}).json()
    assert body["tickets_created"] == 0
    assert body["response_rate"] is None
    assert body["csat"] is None
    assert body["resolution_seconds_median"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-03-05", "to": "2026-03-01"}, "to"),
        ({"from": "yesterday", "to": "2026-03-01"}, "from"),
        ({"from": "2026-02-30", "to": "2026-03-01"}, "from"),
        ({"to": "2026-03-01"}, "from"),
        ({"from": "2026-03-01", "to": "2026-03-02", "queue": "abc"}, "queue"),
    ],
)
def test_bad_dates_are_a_400_naming_the_field(api, sam, params, field):
    response = login_api(api, sam).get(SUMMARY, params)
    assert response.status_code == 400
    assert field in response.json()


def test_another_tenants_queue_is_unknown_here(api, sam, globex_queue):
    response = login_api(api, sam).get(SUMMARY, {**MARCH, "queue": globex_queue.pk})
    assert response.status_code == 400
    assert "queue" in response.json()


def test_customer_is_refused_with_a_reason(api, bob, computed):
    response = login_api(api, bob).get(SUMMARY, MARCH)
    assert response.status_code == 403
    assert "Customer" in response.json()["detail"]


def test_agent_sees_only_their_own_figures(api, alice, olga, billing, computed):
    login_api(api, alice)

    own_default = api.get(SUMMARY, MARCH)
    own_explicit = api.get(SUMMARY, {**MARCH, "agent": alice.user_id})
    someone_else = api.get(SUMMARY, {**MARCH, "agent": olga.user_id})
    a_queue = api.get(SUMMARY, {**MARCH, "queue": billing.pk})
    the_breakdown = api.get(BREAKDOWN, MARCH)

    assert own_default.status_code == 200
    assert own_default.json()["solved_count"] == 2  # alice's, not the helpdesk's
    assert own_default.json() == own_explicit.json()
    assert someone_else.status_code == 403
    assert "own figures" in someone_else.json()["detail"]
    assert a_queue.status_code == 403
    assert the_breakdown.status_code == 403


def test_non_member_finds_nothing(api, mallory, computed):
    assert login_api(api, mallory).get(SUMMARY, MARCH).status_code == 404


def test_anonymous_gets_401(api):
    assert api.get(SUMMARY, MARCH).status_code in (401, 403)


def test_timeseries_has_one_point_per_day(api, sam, computed):
    body = login_api(api, sam).get(TIMESERIES, MARCH).json()
    points = body["points"]
    assert [p["day"] for p in points] == ["2026-03-02", "2026-03-03", "2026-03-04"]
    assert [p["tickets_created"] for p in points] == [2, 1, 0]
    assert [p["backlog"] for p in points] == [1, 1, 1]


def test_breakdown_by_queue_names_each_queue(api, sam, billing, computed):
    body = login_api(api, sam).get(BREAKDOWN, {**MARCH, "by": "queue"}).json()
    rows = {row["name"]: row for row in body["results"]}
    assert rows["Billing"]["id"] == billing.pk
    assert rows["Billing"]["tickets_created"] == 2
    assert rows["No queue"]["id"] is None
    assert rows["No queue"]["backlog"] == 1


def test_breakdown_rejects_an_unknown_dimension(api, sam):
    response = login_api(api, sam).get(BREAKDOWN, {**MARCH, "by": "colour"})
    assert response.status_code == 400
    assert "by" in response.json()


@pytest.fixture
def by_mail(acme, history):
    """Ticket b came in by e-mail; the others through the portal."""
    from tickets.models import Ticket

    Ticket.objects.filter(pk=history["b"].pk).update(channel="email")
    update_metrics(tenant=acme, full=True)
    return history


def test_summary_of_one_channel_counts_only_its_tickets(api, sam, by_mail):
    login_api(api, sam)

    email = api.get(SUMMARY, {**MARCH, "channel": "email"}).json()
    portal = api.get(SUMMARY, {**MARCH, "channel": "portal"}).json()
    api_channel = api.get(SUMMARY, {**MARCH, "channel": "api"}).json()

    assert (email["tickets_created"], portal["tickets_created"]) == (1, 2)
    assert email["resolution_seconds_median"] == pytest.approx(
        24 * 3600
    )  # created on the 2nd at noon, solved on the 3rd
    assert email["csat"] == 0.0 and portal["csat"] == 1.0
    assert api_channel["tickets_created"] == 0 and api_channel["csat"] is None


def test_a_channel_with_a_queue_or_an_unknown_channel_is_a_400(api, sam, billing, by_mail):
    login_api(api, sam)
    both = api.get(SUMMARY, {**MARCH, "channel": "email", "queue": billing.pk})
    unknown = api.get(SUMMARY, {**MARCH, "channel": "fax"})
    assert both.status_code == 400 and "channel" in both.json()
    assert unknown.status_code == 400 and "channel" in unknown.json()


def test_an_agent_may_not_read_figures_per_channel(api, alice, by_mail):
    response = login_api(api, alice).get(SUMMARY, {**MARCH, "channel": "email"})
    assert response.status_code == 403


def test_breakdown_by_channel_names_each_channel_by_its_key(api, sam, by_mail):
    body = login_api(api, sam).get(BREAKDOWN, {**MARCH, "by": "channel"}).json()
    rows = {row["id"]: row for row in body["results"]}
    assert set(rows) == {"email", "portal"}
    assert rows["email"]["name"] == "E-mail" and rows["email"]["tickets_created"] == 1
    assert rows["portal"]["tickets_created"] == 2
