"""The audit log says the codes it recorded (role keys, standings, scopes, actions, kinds) in
words in the reader's language, as it already said field names; the API keeps the codes."""

import re

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from accounts.audit_words import in_words
from accounts.models import Membership
from accounts.services import change_membership, create_role
from knowledge.services import answer_idea, suggest_idea
from tests.factories import role

from .conftest import api_url, page_url


def _cells(client, action, language="en"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = client.get(page_url("audit-log/"), {"action": action}).content.decode()
    return re.sub(r"\s+", " ", body)


def hebrew(msgid):
    with translation.override("he"):
        text = gettext(msgid)
    assert text != msgid, f"“{msgid}” has no Hebrew translation"
    return text


@pytest.fixture
def bob_made_agent_then_deactivated(acme, ada, bob):
    change_membership(membership=bob, by=ada.user, role=role(acme, "agent"))
    change_membership(membership=bob, by=ada.user, status=Membership.Status.DEACTIVATED)


def test_roles_and_standings_read_as_words_in_english_and_hebrew(
    client, ada, bob_made_agent_then_deactivated
):
    client.force_login(ada.user)

    english = _cells(client, "membership")
    assert "role: <bdi>Customer</bdi>" in english and "role: <bdi>Agent</bdi>" in english
    assert "status: <bdi>Active</bdi>" in english
    assert "status: <bdi>Deactivated</bdi>" in english
    assert "<bdi>agent</bdi>" not in english and "<bdi>deactivated</bdi>" not in english

    hebrew_page = _cells(client, "membership", "he")
    for words in ("Customer", "Agent", "Active", "Deactivated"):
        assert f"<bdi>{hebrew(words)}</bdi>" in hebrew_page, words


def test_a_new_roles_scope_and_permissions_read_as_words(client, acme, ada):
    create_role(
        tenant=acme,
        by=ada.user,
        name="Night shift",
        permissions=["view_ticket", "reply_public"],
        scope="queues",
    )
    client.force_login(ada.user)

    page = _cells(client, "role")

    assert "<bdi>Tickets in the queues they work</bdi>" in page
    assert "<bdi>see tickets, reply publicly to requesters</bdi>" in page
    assert "view_ticket" not in page


def test_codes_of_the_apps_above_read_as_words_too(acme, alice, ada):
    idea = suggest_idea(membership=alice, title="Dark mode")
    answer_idea(idea=idea, by=ada, status="planned", answer="Next month")

    with translation.override("en"):
        assert ("status", "Planned") in in_words({"status": "planned"}, "idea")
        assert ("audience", "Customers") in in_words({"audience": "customers"}, "article")
        # The same code means another thing elsewhere: each subject has its own words.
        assert ("status", "Pending approval") in in_words({"status": "pending"}, "membership")
        assert ("status", "Waiting") in in_words({"status": "pending"}, "access_request")
        assert ("status", "someday") in in_words({"status": "someday"}, "idea")  # unknown: as is


def test_the_api_keeps_the_codes(api, ada, bob_made_agent_then_deactivated):
    api.force_authenticate(ada.user)

    results = api.get(api_url("audit-log/"), {"action": "membership"}).json()["results"]

    changes = [(e["before"], e["after"]) for e in results]
    assert ({"role": "customer"}, {"role": "agent"}) in changes
    assert ({"status": "active"}, {"status": "deactivated"}) in changes
