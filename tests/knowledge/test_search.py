"""Knowledge search and suggestions in English and Hebrew (on PostgreSQL: the stored documents
hold the Hebrew forms of their words)."""

import importlib

import pytest
from django.contrib.postgres.search import SearchVector
from django.db import connection

from knowledge.models import Article

from .conftest import write

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="Hebrew search is PostgreSQL's"),
]


@pytest.fixture
def hebrew_articles(acme, sam):
    return {
        "password": write(
            acme, "איך לאפס את הסיסמה", "customers", by=sam.user, body="נכנסים להגדרות ובוחרים."
        ),
        "printer": write(
            acme, "Printer troubleshooting", "customers", by=sam.user, body="כשהמדפסת תקועה."
        ),
    }


def _titles(response):
    assert response.status_code == 200
    return [r["title"] for r in response.json()["results"]]


def test_suggestions_find_hebrew_words_with_and_without_prefixes(client, bob, hebrew_articles):
    client.force_login(bob.user)
    for q in ("סיסמה", "הסיסמה", "בסיסמה", "לאפס סיסמה"):
        assert _titles(client.get("/t/acme/kb/suggest/", {"q": q})) == ["איך לאפס את הסיסמה"], q
    # "the printer" glued to "when" (כש+ה+מדפסת) in the body.
    assert _titles(client.get("/t/acme/kb/suggest/", {"q": "המדפסת"})) == [
        "Printer troubleshooting"
    ]


def test_the_api_suggestions_and_article_search_find_hebrew(api, bob, hebrew_articles):
    api.force_authenticate(bob.user)
    titles = [r["title"] for r in api.get("/api/v1/t/acme/suggestions/", {"q": "סיסמה"}).json()]
    assert titles == ["איך לאפס את הסיסמה"]
    found = api.get("/api/v1/t/acme/articles/", {"q": "הגדרות"}).json()["results"]
    assert [a["title"] for a in found] == ["איך לאפס את הסיסמה"]


def test_english_still_stems_and_a_title_match_ranks_first(client, bob, acme, sam):
    write(acme, "Printers", "customers", by=sam.user, body="Nothing else.")
    write(acme, "Paper", "customers", by=sam.user, body="Load paper into the printer.")
    client.force_login(bob.user)
    assert _titles(client.get("/t/acme/kb/suggest/", {"q": "printer"})) == ["Printers", "Paper"]


def test_the_list_page_finds_hebrew_and_keeps_the_query_escaped(client, bob, hebrew_articles):
    client.force_login(bob.user)
    page = client.get("/t/acme/kb/", {"q": "סיסמה <i>"}).content.decode()
    assert "איך לאפס את הסיסמה" in page
    assert "סיסמה <i>" not in page
    assert "סיסמה &lt;i&gt;" in page


def test_articles_saved_before_the_migration_are_found_too(bob, hebrew_articles):
    """Migration knowledge 0005 rewrites the stored documents as the service writes them."""
    article = hebrew_articles["password"]
    Article.objects.filter(pk=article.pk).update(
        search_document=SearchVector("title", config="english")
    )
    assert not Article.objects.visible_to(bob).search("סיסמה").exists()
    migration = importlib.import_module("knowledge.migrations.0005_hebrew_search_document")
    with connection.schema_editor() as editor:
        migration.refresh(None, editor)
    assert list(Article.objects.visible_to(bob).search("סיסמה")) == [article]
