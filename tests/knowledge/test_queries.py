"""Lists cost a constant number of queries, whatever their length."""

import pytest

from accounts.models import Role
from knowledge.models import Deflection
from knowledge.services import (
    publish_announcement,
    suggest_idea,
    thank_agent,
    toggle_vote,
)

from .conftest import write

pytestmark = pytest.mark.django_db


def fill(acme, ada, sam, alice, bob, n):
    for i in range(n):
        article = write(acme, f"Article {i} {n}", "public", by=sam.user)
        Deflection.objects.create(tenant=acme, article=article, member=bob)
        publish_announcement(tenant=acme, by=ada.user, title=f"News {i} {n}", body="x")
        idea = suggest_idea(membership=bob, title=f"Idea {i} {n}")
        toggle_vote(idea=idea, membership=alice)
        thank_agent(by=sam, agent=alice, message=f"Thanks {i}")
        Role.objects.create(tenant=acme, key=f"custom-{n}-{i}", name=f"Custom {n} {i}")


PAGES = {
    "alice": [
        "/t/acme/kb/",
        "/t/acme/kb/?q=article",
        "/t/acme/news/",
        "/t/acme/ideas/",
        "/t/acme/kudos/",
        "/t/acme/kb/suggest/?q=article",
    ],
    "ada": [
        "/t/acme/kb/manage/",
        "/t/acme/onboarding/",
        "/t/acme/news/",
        "/t/acme/ideas/",
    ],
}


@pytest.mark.parametrize("who", ["alice", "ada"])
def test_list_pages_do_not_grow_with_their_rows(
    client, acme, ada, sam, alice, bob, who, django_assert_num_queries, request
):
    member = request.getfixturevalue(who)
    client.force_login(member.user)
    fill(acme, ada, sam, alice, bob, 2)
    for url in PAGES[who]:  # first visits record last_seen and the settings row: not list costs
        client.get(url)
    counts = {}
    for url in PAGES[who]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200
        counts[url] = len(small)
    fill(acme, ada, sam, alice, bob, 6)
    client.get(PAGES[who][0])  # the banner reads the news again once, then keeps its answer
    for url in PAGES[who]:
        with django_assert_num_queries(counts[url], info=url):
            assert client.get(url).status_code == 200


def test_api_lists_do_not_grow(api, acme, ada, sam, alice, bob, django_assert_num_queries):
    api.force_authenticate(alice.user)
    urls = [
        "/api/v1/t/acme/articles/",
        "/api/v1/t/acme/announcements/",
        "/api/v1/t/acme/ideas/",
    ]
    fill(acme, ada, sam, alice, bob, 2)
    api.get("/api/v1/t/acme/articles/")  # warm up: last_seen is recorded once
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as small:
            api.get(url)
        counts[url] = len(small)
    fill(acme, ada, sam, alice, bob, 5)
    for url in urls:
        with django_assert_num_queries(counts[url]):
            assert api.get(url).status_code == 200
