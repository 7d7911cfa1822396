"""Outsiders learn nothing of a helpdesk that does not want them.

Every URL of a tenant, pages and API, with GET and POST, answers an outsider exactly as the
same URL answers for a slug that does not exist: anonymous visitors, signed-in people of
another helpdesk, and API clients alike. Globex is invitation-only, so even its doors (join,
sign-up links, invitation links with a wrong token) are closed; a tenant that takes sign-ups
shows its doors and nothing else. The walk covers URLs added later too.
"""

import re

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import JoiningRule
from accounts.services import add_joining_rule
from tests.factories import role

from .test_isolation import _fill, tenant_routes

UNKNOWN = "no-such-helpdesk"
# The doors of a tenant that takes sign-ups (an invitation-only one keeps them shut too).
DOORS = {
    "t/<slug:slug>/join/",
    "t/<slug:slug>/join/sent/",
    "t/<slug:slug>/verify/<str:token>/",
    "t/<slug:slug>/invitations/<str:token>/",
    "api/v1/t/<slug:slug>/register/",
    "api/v1/t/<slug:slug>/verify/",
    "api/v1/t/<slug:slug>/invitations/accept/",
}


def _answer(caller, route, slug, method):
    # Many requests from one address: the sign-up throttles are not what this compares.
    cache.delete_many(["throttle_register_127.0.0.1", "register-page:ip:127.0.0.1"])
    response = getattr(caller, method)(_fill(route, slug, 1))
    body = response.content.decode(errors="ignore")
    if response.status_code in (301, 302):
        # A sign-in redirect names the page asked for: compare where it leads, slug aside.
        return response.status_code, response["Location"].replace(slug, "SLUG")
    if response.status_code != 404:
        return response.status_code, ""
    body = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", body.replace(slug, "SLUG"))
    return response.status_code, body


def _walk(caller, slug, routes):
    differences = []
    for route in routes:
        for method in ("get", "post"):
            outsider = _answer(caller, route, slug, method)
            unknown = _answer(caller, route, UNKNOWN, method)
            if outsider != unknown:
                differences.append((method.upper(), route, outsider[0], unknown[0]))
    return differences


def _callers(request, who):
    if who == "anonymous":
        return [request.getfixturevalue("client"), APIClient()]
    member = request.getfixturevalue(who)
    client, api = request.getfixturevalue("client"), APIClient()
    client.force_login(member.user)
    api.force_authenticate(member.user)
    return [client, api]


@pytest.fixture
def cast(acme, ada, alice, bob, acme_ticket, globex_ticket, globex_queue, mallory):
    return mallory.tenant


def _split(routes):
    return [r for r in routes if r.startswith("t/")], [r for r in routes if r.startswith("api/")]


@pytest.mark.parametrize("who", ["anonymous", "alice"])
def test_an_invitation_only_helpdesk_answers_every_url_as_an_unknown_slug(cast, request, who):
    client, api = _callers(request, who)
    pages, endpoints = _split(tenant_routes())
    differences = _walk(client, "globex", pages) + _walk(api, "globex", endpoints)
    assert differences == []


@pytest.mark.parametrize("who", ["anonymous", "alice"])
def test_a_helpdesk_that_takes_sign_ups_shows_outsiders_its_doors_only(cast, request, who):
    add_joining_rule(
        tenant=cast,
        by=None,
        kind=JoiningRule.Kind.OPEN,
        pattern="",
        role=role(cast, "customer"),
        organization=None,
        requires_approval=True,
        position=None,
    )
    client, api = _callers(request, who)
    pages, endpoints = _split([r for r in tenant_routes() if r not in DOORS])
    # The front door leads a signed-in outsider to the join page; everything else is shut.
    pages.remove("t/<slug:slug>/")
    differences = _walk(client, "globex", pages) + _walk(api, "globex", endpoints)
    assert differences == []
    # And the doors do open.
    assert client.get("/t/globex/join/").status_code == 200
    assert api.post("/api/v1/t/globex/register/", {}).status_code == 400


def test_the_doors_of_the_walk_are_real_routes():
    assert set(tenant_routes()) >= DOORS
