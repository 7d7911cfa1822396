"""Every knowledge URL that carries an id answers 404 for another tenant's object."""

import pytest

from accounts.models import Role
from knowledge.models import Deflection
from knowledge.services import publish_announcement, suggest_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def globex_things(globex, mallory, globex_article):
    announcement = publish_announcement(tenant=globex, by=mallory.user, title="G", body="g")
    idea = suggest_idea(membership=mallory, title="Globex idea")
    role = Role.objects.for_tenant(globex).get(key="agent")
    return {
        "article": globex_article,
        "announcement": announcement,
        "idea": idea,
        "role": role,
        "member": mallory,
    }


def test_acme_admin_gets_404_for_every_globex_id(client, ada, globex_things):
    g = globex_things
    a = g["article"]
    gets = [
        f"/t/acme/kb/{a.slug}/",
        f"/t/acme/kb/manage/{a.pk}/edit/",
        f"/t/acme/kb/manage/{a.pk}/history/",
        f"/t/acme/news/{g['announcement'].pk}/readers/",
        f"/t/acme/kudos/{g['member'].pk}/",
    ]
    posts = [
        (f"/t/acme/kb/{a.slug}/acknowledge/", {}),
        (f"/t/acme/kb/manage/{a.pk}/restore/1/", {}),
        (f"/t/acme/kb/manage/{a.pk}/reviewed/", {}),
        ("/t/acme/kb/deflect/", {"article": a.pk}),
        (f"/t/acme/onboarding/{g['role'].pk}/", {}),
        (f"/t/acme/news/{g['announcement'].pk}/read/", {}),
        (f"/t/acme/ideas/{g['idea'].pk}/vote/", {}),
        (f"/t/acme/ideas/{g['idea'].pk}/answer/", {"status": "done"}),
    ]
    client.force_login(ada.user)
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    g["idea"].refresh_from_db()
    assert g["idea"].status == "new"
    assert not Deflection.objects.exists()


def test_acme_admin_gets_404_in_the_api(api, ada, globex_things):
    g = globex_things
    api.force_authenticate(ada.user)
    base = "/api/v1/t/acme"
    assert api.get(f"{base}/articles/{g['article'].pk}/").status_code == 404
    assert api.patch(f"{base}/articles/{g['article'].pk}/", {"title": "x"}).status_code == 404
    assert api.get(f"{base}/announcements/{g['announcement'].pk}/").status_code == 404
    assert api.post(f"{base}/announcements/{g['announcement'].pk}/read/").status_code == 404
    assert api.get(f"{base}/announcements/{g['announcement'].pk}/readers/").status_code == 404
    assert api.get(f"{base}/ideas/{g['idea'].pk}/").status_code == 404
    assert api.post(f"{base}/ideas/{g['idea'].pk}/vote/").status_code == 404
    assert api.post(f"{base}/ideas/{g['idea'].pk}/answer/", {"status": "done"}).status_code == 404
    assert api.post(f"{base}/deflections/", {"article": g["article"].pk}).status_code == 404
    response = api.post(f"{base}/kudos/notes/", {"agent": g["member"].pk, "message": "hi"})
    assert response.status_code == 404
    assert "Globex" not in str(api.get(f"{base}/articles/?q=globex").json())


def test_api_writer_cannot_use_another_tenants_category_or_role(api, sam, globex):
    from knowledge.models import Category

    foreign = Category.objects.create(tenant=globex, name="Theirs", slug="theirs")
    api.force_authenticate(sam.user)
    response = api.post(
        "/api/v1/t/acme/articles/",
        {"title": "T", "body": "B", "audience": "public", "category": foreign.pk},
    )
    assert response.status_code == 400
    assert "category" in response.json()
