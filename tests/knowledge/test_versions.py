"""Every save is a version; restoring an old one makes a new version with the old text."""

import pytest

from knowledge.models import ArticleVersion
from knowledge.services import restore_version, save_article

pytestmark = pytest.mark.django_db


def edit(article, by, **changes):
    fields = {
        "title": article.title,
        "body": article.body,
        "audience": article.audience,
        "category": article.category,
        "owner": article.owner,
    }
    fields.update(changes)
    return save_article(tenant=article.tenant, by=by, article=article, **fields)


def test_sam_edits_then_restores_the_first_text(public_article, sam, ada):
    edit(public_article, ada.user, body="Refunds take 3 days.", note="Shorter")
    assert list(public_article.versions.values_list("number", "edited_by__email", "note")) == [
        (2, "ada@acme.test", "Shorter"),
        (1, "sam@acme.test", "Created"),
    ]
    first = public_article.versions.get(number=1)

    restore_version(version=first, by=sam.user)

    public_article.refresh_from_db()
    assert public_article.body == first.body
    latest = public_article.versions.first()
    assert latest.number == 3
    assert latest.note == "Restored version 1"
    assert latest.edited_by == sam.user


def test_history_page_shows_the_change_and_restore_button_works(client, sam, public_article):
    edit(public_article, sam.user, body="A brand new line.")
    client.force_login(sam.user)

    page = client.get(f"/t/acme/kb/manage/{public_article.pk}/history/").content.decode()
    assert "kb-diff__add" in page and "A brand new line." in page
    assert "kb-diff__remove" in page

    response = client.post(f"/t/acme/kb/manage/{public_article.pk}/restore/1/")
    assert response.status_code == 302
    public_article.refresh_from_db()
    assert "A brand new line." not in public_article.body
    assert ArticleVersion.objects.filter(article=public_article).count() == 3


def test_edit_page_previews_markdown_without_saving(client, sam, public_article):
    client.force_login(sam.user)
    response = client.post(
        f"/t/acme/kb/manage/{public_article.pk}/edit/",
        {
            "title": "Refund basics",
            "body": "**bold move** <script>alert(1)</script>",
            "audience": "public",
            "preview": "1",
        },
    )
    page = response.content.decode()
    assert "<strong>bold move</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert public_article.versions.count() == 1


def test_writer_creates_article_through_the_page(client, sam, billing_category):
    client.force_login(sam.user)
    response = client.post(
        "/t/acme/kb/manage/new/",
        {
            "title": "Manage your seats",
            "body": "Go to settings.",
            "audience": "customers",
            "category": billing_category.pk,
            "owner": sam.pk,
            "is_published": "on",
            "mark_reviewed": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/t/acme/kb/manage-your-seats/"


def test_agent_cannot_manage_articles(client, alice, public_article):
    client.force_login(alice.user)
    response = client.get(f"/t/acme/kb/manage/{public_article.pk}/history/")
    assert response.status_code == 403
    assert "does not allow you to write and publish articles" in response.content.decode()
    response = client.post(f"/t/acme/kb/manage/{public_article.pk}/restore/1/")
    assert response.status_code == 403
