"""Nothing of one tenant reaches another, by any URL or id.

These walk every URL of the project, so pages and endpoints added later are covered too.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import JoiningRule, Membership, Role
from accounts.services import add_joining_rule

SECRETS = ["Globex secret", "mallory@globex.test", "Globex queue"]
# Pages any visitor may open: how to join, or accept an invitation.
PUBLIC_DOORS = {"t/<slug:slug>/join/", "t/<slug:slug>/invitations/<str:token>/"}


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def tenant_routes():
    return sorted({p for p in _patterns() if "<slug:slug>" in p})


def _fill(route: str, slug: str, value) -> str:
    path = route.replace("^", "").replace("$", "").replace("<slug:slug>", slug)
    path = re.sub(r"<(?:id|int|str|slug|uslug|uuid|path):\w+>", str(value), path)
    return "/" + path


@pytest.fixture
def cast(acme, ada, alice, bob, billing, acme_ticket, globex_ticket, mallory):
    return globex_ticket


def test_every_tenant_route_is_walked():
    routes = tenant_routes()
    assert any(r.startswith("api/v1/t/") for r in routes)
    assert any(r.startswith("t/") for r in routes)


@pytest.mark.parametrize("role", ["ada", "alice", "bob"])
def test_acme_members_reach_nothing_of_globex_by_any_id(
    client, cast, globex_queue, mallory, role, request
):
    member = request.getfixturevalue(role)
    client.force_login(member.user)
    ids = {cast.pk, cast.number, globex_queue.pk, mallory.user.pk, mallory.pk}
    for route in tenant_routes():
        for value in ids:
            response = client.get(_fill(route, "acme", value))
            assert response.status_code < 500, route
            body = response.content.decode(errors="ignore")
            for secret in SECRETS:
                assert secret not in body, f"{route} with id {value} leaked {secret!r}"


def test_non_member_gets_no_page_or_api_of_another_tenant(client, cast, alice):
    client.force_login(alice.user)
    for route in tenant_routes():
        response = client.get(_fill(route, "globex", cast.pk))
        if route in PUBLIC_DOORS:
            assert response.status_code in (200, 302, 404), route
        else:
            assert response.status_code in (302, 404, 405), route
        body = response.content.decode(errors="ignore")
        for secret in SECRETS:
            assert secret not in body, route


def test_api_answers_a_non_member_as_if_the_helpdesk_did_not_exist(api, alice, globex):
    api.force_authenticate(alice.user)
    outsider = api.get("/api/v1/t/globex/me/")
    unknown = api.get("/api/v1/t/no-such-helpdesk/me/")
    assert outsider.status_code == unknown.status_code == 404
    assert outsider.json() == unknown.json()


def test_pages_answer_a_non_member_as_if_the_helpdesk_did_not_exist(client, alice, globex):
    client.force_login(alice.user)
    outsider = client.get("/t/globex/workspace/")
    assert outsider.status_code == 404
    assert "Globex" not in outsider.content.decode()
    # An invitation-only helpdesk's front door is as closed as an unknown one's ...
    assert client.get("/t/globex/").status_code == client.get("/t/nope/").status_code == 404
    # ... and one that takes sign-ups leads an outsider to its public join page, nowhere else.
    add_joining_rule(
        tenant=globex,
        by=None,
        kind=JoiningRule.Kind.OPEN,
        pattern="",
        role=Role.objects.for_tenant(globex).get(key="customer"),
        organization=None,
        requires_approval=True,
        position=None,
    )
    assert client.get("/t/globex/").url == "/t/globex/join/"


def test_unknown_tenant_is_404(client, alice):
    client.force_login(alice.user)
    assert client.get("/t/no-such-helpdesk/workspace/").status_code == 404


def test_deactivated_member_is_refused_everywhere(client, api, bob, acme_ticket):
    Membership.objects.filter(pk=bob.pk).update(status=Membership.Status.DEACTIVATED)
    client.force_login(bob.user)
    response = client.get("/t/acme/portal/")
    assert response.status_code == 403
    assert "deactivated" in response.content.decode()
    api.force_authenticate(bob.user)
    assert api.get("/api/v1/t/acme/me/").json()["permissions"] == []
