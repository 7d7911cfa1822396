"""A customer never sees a staff article: not in lists, search, suggestions, picker or API."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from knowledge.models import Article

from .conftest import write

pytestmark = pytest.mark.django_db

STAFF_ONLY = ["Refund secret playbook", "Refund desk for agents"]


@pytest.fixture
def library(public_article, customer_article, staff_article, agent_role_article):
    return [public_article, customer_article, staff_article, agent_role_article]


def test_customer_sees_only_public_and_customer_articles_everywhere(client, api, bob, library):
    client.force_login(bob.user)
    api.force_authenticate(bob.user)
    pages = [
        client.get("/t/acme/kb/").content.decode(),
        client.get("/t/acme/kb/?q=refund").content.decode(),
        client.get("/t/acme/kb/suggest/?q=refund+playbook+agents").content.decode(),
        str(api.get("/api/v1/t/acme/articles/").json()),
        str(api.get("/api/v1/t/acme/articles/?q=refund").json()),
        str(api.get("/api/v1/t/acme/suggestions/?q=refund").json()),
    ]
    for body in pages:
        assert "Refund basics" in body
        assert "Refund your invoice" in body
        for title in STAFF_ONLY:
            assert title not in body
    staff_article = library[2]
    assert client.get(f"/t/acme/kb/{staff_article.slug}/").status_code == 404
    assert api.get(f"/api/v1/t/acme/articles/{staff_article.pk}/").status_code == 404


def test_agent_sees_staff_and_own_role_articles(client, alice, library):
    client.force_login(alice.user)
    titles = [r["title"] for r in client.get("/t/acme/kb/suggest/?q=refund").json()["results"]]
    assert set(titles) == {a.title for a in library}


def test_role_article_is_only_for_that_role(acme, sam, alice):
    supervisor_role = sam.role
    write(acme, "Supervisor escalations", "roles", by=sam.user, roles=[supervisor_role])
    assert not Article.objects.visible_to(alice).filter(title="Supervisor escalations").exists()


def test_drafts_are_for_writers_only(acme, sam, bob, alice):
    write(acme, "Draft about refunds", "public", by=sam.user, is_published=False)
    assert not Article.objects.visible_to(bob).filter(title__startswith="Draft").exists()
    assert not Article.objects.visible_to(alice).filter(title__startswith="Draft").exists()
    assert Article.objects.visible_to(sam).filter(title__startswith="Draft").exists()


def test_picker_include_searches_through_the_same_rule(client, bob, alice, library):
    """The reply picker fetches the suggest endpoint; render it and follow its URL."""
    request = RequestFactory().get("/")
    html = render_to_string(
        "knowledge/_article_picker.html",
        {"tenant": alice.tenant, "membership": alice, "request": request},
    )
    assert 'data-target="id_body"' in html
    assert 'data-suggest-url="/t/acme/kb/suggest/"' in html
    client.force_login(bob.user)
    titles = [r["title"] for r in client.get("/t/acme/kb/suggest/?q=refund").json()["results"]]
    assert "Refund secret playbook" not in titles
    assert "Refund basics" in titles


def test_categories_only_count_what_the_member_sees(client, acme, sam, bob, billing_category):
    write(acme, "Billing secret", "staff", by=sam.user, category=billing_category)
    client.force_login(bob.user)
    body = client.get("/t/acme/kb/?category=billing").content.decode()
    assert "Billing secret" not in body
    assert "Billing</a>" not in body  # a category with nothing for bob is not listed
