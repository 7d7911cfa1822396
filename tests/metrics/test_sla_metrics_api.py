"""The service-level figures where people read them: metrics/summary/ (the contract), the
breakdown by policy, the dashboard, its CSV and the definitions page (history: sla.py)."""

import csv
import io

import pytest
from django.urls import reverse

from metrics.services import update_metrics
from tests.conftest import login_api

from .sla import HOUR, MINUTE

SUMMARY = "/api/v1/t/acme/metrics/summary/"
BREAKDOWN = "/api/v1/t/acme/metrics/breakdown/"
WEEK = {"from": "2025-12-11", "to": "2025-12-17"}
SLA_KEYS = [
    "first_response_sla_met",
    "resolution_sla_met",
    "first_response_business_seconds_mean",
    "resolution_business_seconds_mean",
]


@pytest.fixture
def computed(acme, sla_history):
    update_metrics(tenant=acme, full=True)
    return sla_history


def test_the_summary_adds_the_service_levels_as_the_contract_says(api, sam, computed):
    body = login_api(api, sam).get(SUMMARY, WEEK).json()

    assert body["first_response_sla_met"] == pytest.approx(2 / 3)
    assert body["resolution_sla_met"] == pytest.approx(2 / 3)
    assert body["first_response_business_seconds_mean"] == pytest.approx(
        (60 * MINUTE + 1 * HOUR + 45 * MINUTE) / 3
    )
    assert body["resolution_business_seconds_mean"] == pytest.approx(22 * HOUR / 3)
    assert body["first_response_sla_breached"] == 1


def test_channel_restricts_every_service_level_figure(api, sam, computed):
    login_api(api, sam)

    email = api.get(SUMMARY, {**WEEK, "channel": "email"}).json()  # T3 alone
    portal = api.get(SUMMARY, {**WEEK, "channel": "portal"}).json()

    assert email["tickets_created"] == 1
    assert email["first_response_sla_met"] == 0.0
    assert email["resolution_sla_met"] == 0.0
    assert email["first_response_business_seconds_mean"] == 45 * MINUTE
    assert email["resolution_business_seconds_mean"] == 9.5 * HOUR
    assert portal["first_response_sla_met"] == 1.0  # T1 and T2
    assert portal["resolution_business_seconds_mean"] == pytest.approx((9.5 + 3) * HOUR / 2)


def test_a_period_without_targets_has_nulls(api, sam, computed):
    body = login_api(api, sam).get(SUMMARY, {"from": "2025-01-01", "to": "2025-01-31"}).json()
    assert all(body[key] is None for key in SLA_KEYS)


def test_breakdown_by_policy_names_each_policy(api, ada, computed):
    body = login_api(api, ada).get(BREAKDOWN, {**WEEK, "by": "policy"}).json()

    rows = {row["name"]: row for row in body["results"]}
    assert set(rows) == {"Standard", "Urgent", "No SLA policy"}
    assert rows["Urgent"]["id"] == computed["urgent"].pk
    assert rows["Urgent"]["resolution_sla_breached"] == 1
    assert rows["Standard"]["first_response_sla_met"] == 1.0
    assert rows["No SLA policy"]["id"] is None


def test_an_agent_reads_only_their_own_service_levels(api, olga, computed):
    login_api(api, olga)

    mine = api.get(SUMMARY, WEEK).json()

    assert mine["first_response_sla_met"] == 0.0  # T3, missed
    assert api.get(BREAKDOWN, {**WEEK, "by": "policy"}).status_code == 403


def url(name):
    return reverse(f"metrics:{name}", args=["acme"])


def test_the_dashboard_shows_the_service_levels_with_their_definitions(client, sam, computed):
    client.force_login(sam.user)

    html = client.get(url("dashboard"), WEEK).content.decode()

    for key in SLA_KEYS:
        assert f'data-figure="{key}"' in html
        assert f"#{key}" in html  # the card's link to its definition
    assert 'id="chart-sla"' in html
    assert 'id="breakdown-policy"' in html and "Urgent" in html
    assert "66.7%" in html  # first response and resolution targets met
    definitions = client.get(url("definitions")).content.decode()
    for key in SLA_KEYS:
        assert f'id="{key}"' in definitions


def test_the_csv_carries_the_service_levels_and_the_policy_slice(client, ada, computed):
    client.force_login(ada.user)

    text = client.get(url("export"), WEEK).content.decode()

    rows = list(csv.reader(io.StringIO(text)))
    headline = {row[1]: row[2] for row in rows if row and row[0] == "headline"}
    assert headline["first_response_sla_met"] == "0.6667"
    assert headline["resolution_business_seconds_mean"] == "26400"
    header = next(i for i, row in enumerate(rows) if row and row[0] == "policy")
    policies = {row[0]: row for row in rows[header + 1 :]}
    assert set(policies) == {"Standard", "Urgent", "No SLA policy"}
    missed = rows[header].index("resolution_sla_breached")
    assert policies["Urgent"][missed] == "1"
