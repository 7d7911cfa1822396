"""The dashboard's deflection panel is kept per period and zone, and follows every change."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from knowledge.services import record_deflection, save_article

pytestmark = pytest.mark.django_db


def panel(tenant, days=7):
    today = timezone.localdate()
    return render_to_string(
        "knowledge/_metrics_panel.html",
        {
            "tenant": tenant,
            "period_start": today - datetime.timedelta(days=days - 1),
            "period_end": today,
        },
    )


def test_panel_follows_deflections_and_article_changes(
    acme, globex, sam, bob, public_article, django_assert_num_queries
):
    with django_assert_num_queries(2):
        assert "No deflections in this period." in panel(acme)
    with django_assert_num_queries(0):  # kept
        assert "No deflections in this period." in panel(acme)
    record_deflection(member=bob, article=public_article)
    page = panel(acme)
    assert "<bdi>Refund basics</bdi></a> — 1" in page and '<span class="stat">1</span>' in page
    assert "No deflections in this period." in panel(globex)  # another helpdesk's own figures
    save_article(
        tenant=acme,
        by=sam.user,
        owner=sam.user,
        title="Refunds explained",
        body=public_article.body,
        audience="public",
        roles=[],
        article=public_article,
    )
    assert "<bdi>Refunds explained</bdi></a> — 1" in panel(acme)
    public_article.delete()
    assert "No deflections in this period." in panel(acme)
