"""“This solved my problem” counts a deflection and opens no request."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from knowledge.models import Deflection
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_customer_deflects_from_the_portal_suggestions(client, bob, customer_article):
    client.force_login(bob.user)
    tickets_before = Ticket.objects.count()

    response = client.post(
        "/t/acme/kb/deflect/",
        {"article": customer_article.pk, "query": "refund my invoice"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 201
    assert response.json()["ok"] is True
    deflection = Deflection.objects.get()
    assert (deflection.article, deflection.member, deflection.query) == (
        customer_article,
        bob,
        "refund my invoice",
    )
    assert Ticket.objects.count() == tickets_before


def test_deflect_button_on_the_article_page(client, bob, customer_article):
    client.force_login(bob.user)
    page = client.get(f"/t/acme/kb/{customer_article.slug}/?q=refund").content.decode()
    assert "This solved my problem" in page
    response = client.post("/t/acme/kb/deflect/", {"article": customer_article.pk, "query": "x"})
    assert response.status_code == 302
    assert Deflection.objects.count() == 1


def test_customer_cannot_deflect_with_a_staff_article(client, bob, staff_article):
    client.force_login(bob.user)
    response = client.post("/t/acme/kb/deflect/", {"article": staff_article.pk})
    assert response.status_code == 404
    assert not Deflection.objects.exists()


def test_deflection_through_the_api(api, bob, customer_article):
    api.force_authenticate(bob.user)
    response = api.post(
        "/api/v1/t/acme/deflections/",
        {"article": customer_article.pk, "query": "refund"},
    )
    assert response.status_code == 201
    assert Deflection.objects.count() == 1
    assert api.get("/api/v1/t/acme/deflections/").status_code == 403  # writers only


def test_suggestions_include_is_wired_to_the_portal_form(bob):
    html = render_to_string(
        "knowledge/_suggestions.html",
        {"tenant": bob.tenant, "membership": bob, "request": RequestFactory().get("/")},
    )
    assert 'data-suggest-url="/t/acme/kb/suggest/"' in html
    assert 'data-deflect-url="/t/acme/kb/deflect/"' in html
    assert "knowledge/suggest.js" in html


def test_metrics_panel_counts_the_period_and_ranks_articles(
    acme, bob, carol, customer_article, public_article
):
    for member, article in [
        (bob, customer_article),
        (carol, customer_article),
        (bob, public_article),
    ]:
        Deflection.objects.create(tenant=acme, article=article, member=member)
    today = timezone.localdate()
    html = render_to_string(
        "knowledge/_metrics_panel.html",
        {"tenant": acme, "period_start": today, "period_end": today},
    )
    assert '<span class="stat">3</span>' in html
    assert html.index("Refund your invoice") < html.index("Refund basics")
    last_year = today.replace(year=today.year - 1)
    html = render_to_string(
        "knowledge/_metrics_panel.html",
        {"tenant": acme, "period_start": last_year, "period_end": last_year},
    )
    assert '<span class="stat">0</span>' in html
