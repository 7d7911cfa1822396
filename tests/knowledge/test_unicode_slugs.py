"""A Hebrew article gets a Hebrew address (it used to be "article", "article-2"), reachable
through its URL; ASCII slugs stay as they were."""

from urllib.parse import quote

from knowledge.models import Article
from knowledge.services import create_category, save_article


def _save(acme, ada, title, **fields):
    return save_article(tenant=acme, by=ada.user, title=title, body="גוף המאמר", **fields)


def test_hebrew_titles_get_hebrew_slugs_each_its_own(acme, ada):
    first = _save(acme, ada, "איך משנים כתובת לחיוב?")
    second = _save(acme, ada, "איך משנים כתובת לחיוב?")
    other = _save(acme, ada, "החזר כספי")

    assert first.slug == "איך-משנים-כתובת-לחיוב"
    assert second.slug == "איך-משנים-כתובת-לחיוב-2"
    assert other.slug == "החזר-כספי"


def test_the_hebrew_address_opens_the_article_and_its_acknowledgement(client, acme, ada, bob):
    article = _save(acme, ada, "החזר כספי")
    client.force_login(bob.user)

    page = client.get(f"/t/acme/kb/{quote(article.slug)}/")
    listing = client.get("/t/acme/kb/").content.decode()

    assert page.status_code == 200
    assert "החזר כספי" in page.content.decode()
    assert f"/t/acme/kb/{quote(article.slug)}/" in listing  # links carry it, encoded
    assert client.post(f"/t/acme/kb/{quote(article.slug)}/acknowledge/").status_code == 302


def test_ascii_slugs_stay_and_an_edit_keeps_the_address(acme, ada):
    article = _save(acme, ada, "Refund basics")
    edited = _save(acme, ada, "החזר כספי", article=article)

    assert edited.slug == "refund-basics"
    assert Article.objects.get(pk=article.pk).slug == "refund-basics"


def test_hebrew_categories_are_told_apart(acme, ada):
    billing, _ = create_category(tenant=acme, name="חיובים", by=ada.user)
    shipping, _ = create_category(tenant=acme, name="משלוחים", by=ada.user)

    assert billing.slug == "חיובים" and shipping.slug == "משלוחים"
    assert billing.pk != shipping.pk  # before, both were "category": one and the same
