"""Every page and endpoint of knowledge, walked as a customer and as an agent.

Whatever the URL (list, detail, search, suggestions, counts, API, with the id of something
hidden), what is not for the caller never shows, and a customer is never offered to ask for
access to staff work.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.access import decide
from accounts.actions import ACTIONS, CUSTOMER_ACTIONS
from accounts.models import Role
from knowledge.models import OnboardingChecklist, ThankYouNote
from knowledge.services import publish_announcement, suggest_idea

from .conftest import write

pytestmark = pytest.mark.django_db

ASK = "Ask for access"


@pytest.fixture
def hidden(acme, ada, sam, alice, olga, bob, staff_article, agent_role_article, public_article):
    """acme's things that are for some people only, by who must never see them."""
    supervisor = Role.objects.for_tenant(acme).get(key="supervisor")
    customer = Role.objects.for_tenant(acme).get(key="customer")
    agent = Role.objects.for_tenant(acme).get(key="agent")
    sup_article = write(
        acme, "Escalation ladder", "roles", by=sam.user, roles=[supervisor], body="Ladder rungs."
    )
    draft = write(acme, "Unfinished draft", "public", by=sam.user, is_published=False)
    staff_idea = suggest_idea(
        membership=alice, title="Macro for refund replies", body="Internal tooling wish."
    )
    customer_idea = suggest_idea(membership=bob, title="Dark mode please")
    memo = publish_announcement(
        tenant=acme,
        by=ada.user,
        title="Agent pay review",
        body="For agents only.",
        audience="roles",
        roles=[agent],
    )
    sup_memo = publish_announcement(
        tenant=acme,
        by=ada.user,
        title="Supervisor rota",
        body="Supervisors only.",
        audience="roles",
        roles=[supervisor],
    )
    publish_announcement(tenant=acme, by=ada.user, title="Holiday hours", body="For all.")
    ThankYouNote.objects.create(
        tenant=acme, from_user=sam.user, to_user=olga.user, message="Olga saved the night"
    )
    # An admin put a staff guide in the customers' checklist: customers still never see it.
    checklist = OnboardingChecklist.objects.create(tenant=acme, role=customer)
    checklist.articles.set([staff_article, public_article])
    return {
        "objects": {
            "article": [staff_article, agent_role_article, sup_article, draft],
            "idea": [staff_idea, customer_idea],
            "announcement": [memo, sup_memo],
            "member": [olga, alice],
            "role": [customer, agent],
        },
        "customer": [
            "Refund secret playbook",
            "Internal refund limits",
            "Refund desk for agents",
            "Escalation ladder",
            "Unfinished draft",
            "Macro for refund replies",
            "Internal tooling wish",
            "Agent pay review",
            "Supervisor rota",
            "Olga saved the night",
        ],
        "agent": ["Escalation ladder", "Unfinished draft", "Supervisor rota", "Olga saved"],
    }


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def knowledge_routes():
    """Every route of the knowledge app's pages and API, as path templates."""
    routes = []
    for route, entry in _patterns(get_resolver()):
        view = getattr(entry.callback, "cls", entry.callback)  # a viewset, or a function
        if view.__module__.startswith("knowledge."):
            routes.append(route.replace("^", "").replace("$", ""))
    return sorted(set(routes))


def fill(route: str, things: dict) -> list[str]:
    """The route with every hidden thing's id (and the caller's own) in its slots."""
    route = re.sub(r"<(?:str|slug):slug>", "acme", route)
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if not names:
        return ["/" + route]
    urls = []
    kinds = {
        "article_slug": ("article", "slug"),
        "member_id": ("member", "pk"),
        "role_id": ("role", "pk"),
        "number": (None, 1),
    }
    # A bare pk is whatever the route is about.
    about = (
        "idea"
        if "idea" in route
        else "announcement"
        if "news" in route or "announcement" in route
        else "member"
        if "kudos" in route
        else "article"
    )
    for kind in ("article", "idea", "announcement", "member", "role"):
        for obj in things[kind]:
            url = route
            for name in names:
                source, attr = kinds.get(name, (about, "pk"))
                if source is None:
                    value = attr
                elif source == kind:
                    value = getattr(obj, attr)
                else:
                    value = getattr(things[source][0], attr)
                url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url)
            urls.append("/" + url)
    return sorted(set(urls))


def test_the_walk_covers_every_knowledge_route():
    routes = knowledge_routes()
    assert any(r.startswith("t/<slug:slug>/ideas/") for r in routes)
    assert any("api/v1/t/<slug:slug>/ideas/<id:pk>/vote/" in r for r in routes)
    assert len(routes) >= 30


@pytest.mark.parametrize("who", ["bob", "alice"])
def test_nothing_hidden_shows_on_any_knowledge_page_or_endpoint(request, client, api, who, hidden):
    member = request.getfixturevalue(who)
    forbidden = hidden["customer" if who == "bob" else "agent"]
    client.force_login(member.user)
    api.force_authenticate(member.user)
    walked = 0
    for route in knowledge_routes():
        for url in fill(route, hidden["objects"]):
            with_query = [url, url + "?q=refund+playbook+ladder+macro"]
            for target in with_query:
                http = api if url.startswith("/api/") else client
                for method in ("get", "post"):
                    response = getattr(http, method)(target)
                    walked += 1
                    assert response.status_code < 500, (method, target)
                    body = response.content.decode()
                    for secret in forbidden:
                        assert secret not in body, (method, target, secret)
                    if who == "bob":
                        assert ASK not in body, (method, target)
    # Pages other apps show knowledge on: the portal's welcome checklist and the banner.
    for page in ["/t/acme/", "/t/acme/welcome/", "/t/acme/portal/new/"]:
        body = client.get(page, follow=True).content.decode()
        for secret in forbidden:
            assert secret not in body, (page, secret)
    assert walked > 200


def test_customer_sees_public_ideas_and_own_checklist(client, bob, hidden):
    client.force_login(bob.user)
    assert "Dark mode please" in client.get("/t/acme/ideas/").content.decode()
    staff_idea = hidden["objects"]["idea"][0]
    assert client.post(f"/t/acme/ideas/{staff_idea.pk}/vote/").status_code == 404


def test_customer_refusals_of_staff_pages_offer_no_request(client, bob, acme):
    client.force_login(bob.user)
    for url in ["/t/acme/kb/manage/", "/t/acme/onboarding/", "/t/acme/kudos/"]:
        response = client.get(url)
        assert response.status_code == 403
        assert ASK not in response.content.decode()


def test_the_rule_customers_ask_only_for_customer_actions(bob, olga):
    for action in ACTIONS:
        if bob.role.allows(action):
            continue
        assert decide(bob, action).can_request is (action in CUSTOMER_ACTIONS), action
        # Staff may still ask for more than their role gives.
        if not olga.role.allows(action):
            assert decide(olga, action).can_request, action


def test_agent_is_still_offered_to_ask(client, alice):
    client.force_login(alice.user)
    response = client.get("/t/acme/kb/manage/")
    assert response.status_code == 403
    assert ASK in response.content.decode()


def test_a_customer_is_not_shown_another_customers_name(client, api, acme, bob, alice):
    from tests.factories import make_member

    zed = make_member(acme, "zed@elsewhere.test", "customer", name="Zed Zimmer")
    suggest_idea(membership=bob, title="Dark mode please")
    suggest_idea(membership=zed, title="Bigger fonts")
    suggest_idea(membership=alice, title="Status page", audience="everyone")
    client.force_login(zed.user)
    page = client.get("/t/acme/ideas/").content.decode()
    assert "Bob Buyer" not in page and "Suggested by a customer" in page
    assert "Zed Zimmer" in page and "Alice Agent" in page
    api.force_authenticate(zed.user)
    authors = {i["title"]: i["author"] for i in api.get("/api/v1/t/acme/ideas/").json()["results"]}
    assert authors == {
        "Dark mode please": None,
        "Bigger fonts": "Zed Zimmer",
        "Status page": "Alice Agent",
    }
    client.force_login(alice.user)
    assert "Bob Buyer" in client.get("/t/acme/ideas/").content.decode()
