"""Roles, the role x action matrix with its explainer, "why can't I?" and access requests."""

import re

import pytest
from django.core.management import call_command
from django.utils import translation

from accounts.access import decide
from accounts.actions import ACTIONS, BUILTIN_ROLES
from accounts.models import AccessRequest, AuditEntry, Role
from accounts.services import NotPermitted, change_role_template, create_role, delete_role
from tests.factories import make_member, role
from tickets.models import QueueGrant
from tickets.services import grant_queue

from .conftest import api_url, page_url

# --- The matrix: every built-in role against every action, and the explainer agrees ----------


@pytest.mark.parametrize("role_key", list(BUILTIN_ROLES))
def test_explainer_agrees_with_decide_for_every_builtin_role_and_action(api, acme, ada, role_key):
    member = ada if role_key == "admin" else make_member(acme, f"{role_key}@m.test", role_key)
    api.force_authenticate(ada.user)
    for action in ACTIONS:
        expected = action in BUILTIN_ROLES[role_key]["permissions"]
        decision = decide(member, action)
        answer = api.get(
            api_url("access/explain/"), {"user": member.user_id, "action": action}
        ).json()
        assert decision.allowed is expected, (role_key, action)
        assert answer["allowed"] is expected, (role_key, action)
        assert answer["reasons"] == [str(r) for r in decision.reasons]


@pytest.mark.parametrize("who", ["ada", "sam", "alice", "olga", "bob", "carol"])
def test_explainer_on_a_ticket_agrees_with_decide(api, ada, who, acme_ticket, request):
    member = request.getfixturevalue(who)
    api.force_authenticate(ada.user)
    for action in ("view_ticket", "reply_public", "add_internal_note"):
        answer = api.get(
            api_url("access/explain/"),
            {"user": member.user_id, "action": action, "ticket": acme_ticket.pk},
        ).json()
        decision = decide(member, action, acme_ticket)
        assert answer == {
            "allowed": decision.allowed,
            "reasons": [str(r) for r in decision.reasons],
            "can_request": decision.can_request,
        }


def test_a_member_may_ask_about_themself_but_not_about_others(api, olga, alice, acme_ticket):
    api.force_authenticate(olga.user)
    mine = api.get(
        api_url("access/explain/"),
        {"user": olga.user_id, "action": "view_ticket", "ticket": acme_ticket.pk},
    )
    assert mine.status_code == 200
    assert "don't work the Billing queue" in mine.json()["reasons"][0]
    other = api.get(api_url("access/explain/"), {"user": alice.user_id, "action": "view_ticket"})
    assert other.status_code == 403


def test_explainer_refuses_bad_input_and_other_tenants(api, ada, mallory, globex_ticket):
    api.force_authenticate(ada.user)
    assert (
        api.get(api_url("access/explain/"), {"user": "x", "action": "view_ticket"}).status_code
        == 400
    )
    assert (
        api.get(api_url("access/explain/"), {"user": ada.user_id, "action": "fly"}).status_code
        == 400
    )
    assert (
        api.get(
            api_url("access/explain/"), {"user": mallory.user_id, "action": "view_ticket"}
        ).status_code
        == 404
    )
    assert (
        api.get(
            api_url("access/explain/"),
            {"user": ada.user_id, "action": "view_ticket", "ticket": globex_ticket.pk},
        ).status_code
        == 404
    )


# --- Roles ----------------------------------------------------------------------------------


def test_every_member_reads_the_roles_with_their_plain_descriptions(api, bob):
    api.force_authenticate(bob.user)
    roles = {r["key"]: r for r in api.get(api_url("roles/")).json()["results"]}
    assert set(roles) == set(BUILTIN_ROLES)
    assert "internal notes" in roles["customer"]["description"]
    assert roles["customer"]["permissions"] == [
        "submit_ticket",
        "view_ticket",
        "solve_own_request",
        "add_colleague",
    ]


def test_admin_creates_a_light_agent_who_notes_but_cannot_reply(api, acme, ada, acme_ticket):
    api.force_authenticate(ada.user)
    response = api.post(
        api_url("roles/"),
        {
            "name": "Light agent",
            "description": "Reads and notes.",
            "permissions": ["view_ticket", "add_internal_note"],
            "scope": "queues",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["key"] == "light-agent"
    light = make_member(acme, "light@acme.test", "light-agent")
    grant_queue(queue=acme_ticket.queue, user=light.user, by=ada.user)
    assert decide(light, "add_internal_note", acme_ticket).allowed
    assert not decide(light, "reply_public", acme_ticket).allowed
    assert AuditEntry.objects.for_tenant(acme).filter(action="role.created").count() == 1


def test_roles_refuse_unknown_actions_and_non_admins(api, ada, sam):
    api.force_authenticate(ada.user)
    bad = api.post(api_url("roles/"), {"name": "X", "permissions": ["fly"], "scope": "own"})
    assert bad.status_code == 400
    api.force_authenticate(sam.user)
    refused = api.post(
        api_url("roles/"), {"name": "Boss", "permissions": list(ACTIONS), "scope": "all"}
    )
    assert refused.status_code == 403
    assert not Role.objects.filter(name__in=["X", "Boss"]).exists()


def test_builtin_roles_stay_and_roles_in_use_cannot_be_deleted(acme, ada, alice):
    with pytest.raises(NotPermitted):
        delete_role(role=role(acme, "agent"), by=ada.user)
    custom = create_role(tenant=acme, by=ada.user, name="Temp", permissions=[], scope="own")
    make_member(acme, "temp@acme.test", "temp")
    with pytest.raises(NotPermitted):
        delete_role(role=custom, by=ada.user)
    with pytest.raises(NotPermitted):
        change_role_template(role=role(acme, "admin"), by=ada.user, permissions=["view_ticket"])
    renamed = change_role_template(role=role(acme, "agent"), by=ada.user, name="Specialist")
    assert (renamed.key, renamed.name) == ("agent", "Specialist")
    # What the admin wrote is shown as written; an untouched built-in role reads in Hebrew.
    with translation.override("he"):
        assert str(renamed) == "Specialist"
        assert str(role(acme, "supervisor")) == str(BUILTIN_ROLES["supervisor"]["name"])
        assert str(role(acme, "supervisor")) != "Supervisor"


def test_migrating_gives_existing_admin_roles_every_action(acme, ada):
    # An admin role saved before a release added actions, as an older database holds it.
    Role.objects.filter(pk=role(acme, "admin").pk).update(permissions=["view_ticket"])
    agent_before = role(acme, "agent").permissions
    ada.role.refresh_from_db()
    assert not decide(ada, "manage_settings").allowed

    call_command("migrate", verbosity=0)

    ada.role.refresh_from_db()
    assert ada.role.permissions == list(ACTIONS)
    assert decide(ada, "manage_settings").allowed
    # Other built-in roles keep what the admins made of them.
    assert role(acme, "agent").permissions == agent_before


def test_a_role_no_one_has_says_so_instead_of_counting_zero_people(client, acme, ada):
    empty = create_role(tenant=acme, by=ada.user, name="Spare", permissions=[], scope="own")
    client.force_login(ada.user)
    data = {"name": "Spare", "description": "", "scope": "queues", "permissions": ["reply_public"]}

    body = client.post(page_url(f"roles/{empty.pk}/"), data).content.decode()

    assert "No one has this role now" in body and "0 people" not in body
    empty.refresh_from_db()
    assert empty.permissions == []  # a review, not a save


def test_role_page_shows_the_reach_before_saving(client, acme, ada, alice, olga, billing):
    grant_olga = QueueGrant.objects.count()
    light = create_role(
        tenant=acme, by=ada.user, name="Light", permissions=["view_ticket"], scope="queues"
    )
    for member in (alice, olga):
        member.role = light
        member.save()
    client.force_login(ada.user)
    data = {
        "name": "Light",
        "description": "",
        "scope": "queues",
        "permissions": ["view_ticket", "reply_public"],
    }

    review = client.post(page_url(f"roles/{light.pk}/"), data)

    body = review.content.decode()
    assert "This gives 1 person write access to the Billing queue." in body
    assert "This gives 2 people the right to reply publicly to requesters." in body
    light.refresh_from_db()
    assert light.permissions == ["view_ticket"]  # nothing saved yet
    # Changed after the review: the reach is shown again, nothing saved.
    changed = {
        **data,
        "scope": "all",
        "confirm": "yes",
        "reviewed": "reply_public,view_ticket|queues",
    }
    again = client.post(page_url(f"roles/{light.pk}/"), changed)
    assert "write access to every ticket" in again.content.decode()
    light.refresh_from_db()
    assert light.scope == "queues"
    # Confirming sends back what the review page itself holds, as the browser does.
    reviewed = re.search(r'name="reviewed" value="([^"]*)"', body).group(1)
    assert reviewed == "reply_public,view_ticket|queues"
    client.post(page_url(f"roles/{light.pk}/"), {**data, "confirm": "yes", "reviewed": reviewed})
    light.refresh_from_db()
    assert light.permissions == ["view_ticket", "reply_public"]
    change = AuditEntry.objects.for_tenant(acme).get(action="role.changed")
    assert change.before["permissions"] == ["view_ticket"]
    assert grant_olga == QueueGrant.objects.count()


def test_roles_page_lists_roles_with_their_permissions(client, sam):
    client.force_login(sam.user)
    body = client.get(page_url("roles/")).content.decode()
    assert "Supervisor" in body and "manage queues and who works them" in body
    assert "New role" not in body  # supervisors read, admins change


# --- Why can't I? and access requests -------------------------------------------------------


def test_why_cant_i_page_explains_and_offers_to_ask(client, olga, acme_ticket):
    client.force_login(olga.user)
    body = client.get(
        page_url("access/"), {"action": "view_ticket", "ticket": acme_ticket.number}
    ).content.decode()
    assert "No, you can" in body and "don&#39;t work the Billing queue" in body
    assert "Ask for access" in body


def test_refusal_page_asks_for_access_in_one_click_and_admin_grants_the_queue(
    client, acme, ada, olga, acme_ticket
):
    client.force_login(olga.user)
    response = client.post(
        page_url("access/request/"), {"action": "view_ticket", "ticket": acme_ticket.number}
    )
    assert response.status_code == 302
    again = client.post(
        page_url("access/request/"), {"action": "view_ticket", "ticket": acme_ticket.number}
    )
    assert again.status_code == 302
    asked = AccessRequest.objects.for_tenant(acme).get()  # asked twice, one request
    assert asked.ticket_number == acme_ticket.number

    client.force_login(ada.user)
    approvals = client.get(page_url("people/approvals/")).content.decode()
    assert "Olga Other asks to see tickets" in approvals
    client.post(page_url(f"people/access-requests/{asked.pk}/"), {"grant": "queue"})

    asked.refresh_from_db()
    assert asked.status == AccessRequest.Status.GRANTED
    olga.refresh_from_db()
    assert decide(olga, "view_ticket", acme_ticket).allowed
    actions = list(AuditEntry.objects.for_tenant(acme).values_list("action", flat=True))
    assert actions.count("access_request.created") == 1
    assert "access_request.granted" in actions and "grant.added" in actions


def test_refusal_page_carries_the_refused_action(client, alice):
    client.force_login(alice.user)
    body = client.get(page_url("audit-log/")).content.decode()
    assert 'name="action" value="view_audit_log"' in body


def test_admin_grants_a_request_by_role_or_declines(client, acme, ada, alice, bob):
    from accounts.services import request_access

    first = request_access(membership=alice, action="view_metrics")
    second = request_access(membership=bob, action="reply_public")
    client.force_login(ada.user)
    client.post(
        page_url(f"people/access-requests/{first.pk}/"),
        {"grant": "role", "role": role(acme, "supervisor").pk},
    )
    client.post(page_url(f"people/access-requests/{second.pk}/"), {"grant": ""})
    alice.refresh_from_db()
    assert alice.role.key == "supervisor"
    second.refresh_from_db()
    assert second.status == AccessRequest.Status.DECLINED
    bob.refresh_from_db()
    assert bob.role.key == "customer"


def test_requests_of_another_tenant_cannot_be_decided(client, globex, mallory, ada):
    from accounts.services import request_access

    other = make_member(globex, "gus@globex.test", "agent")
    asked = request_access(membership=other, action="view_metrics")
    client.force_login(ada.user)
    assert (
        client.post(page_url(f"people/access-requests/{asked.pk}/"), {"grant": ""}).status_code
        == 404
    )
    asked.refresh_from_db()
    assert asked.status == AccessRequest.Status.PENDING


def _main_nav(client, path):
    """The labels of the top navigation on a page, in order."""
    body = client.get(page_url(path)).content.decode()
    nav = body[body.index('<nav class="topbar__nav"') : body.index("</nav>")]
    return [re.sub(r"<[^>]+>|\s+", " ", item).split()[0] for item in nav.split("<li>")[1:]], body


def test_navigation_shows_what_the_role_allows_and_the_waiting_count(client, ada, sam, bob, pete):
    client.force_login(ada.user)
    labels, body = _main_nav(client, "welcome/")
    assert labels == [
        "Workspace",
        "Knowledge",
        "News",
        "Ideas",
        "Kudos",
        "Metrics",
        "People",
        "Settings",
    ]
    # The pending sign-up waits on the People entry; "Why can't I?" sits with the user's links.
    assert "waiting: </span>1</span>" in body
    assert "Why can" in body[body.index('class="topbar__user"') :]
    # Inside People, a second bar leads to every page about people.
    people = client.get(page_url("people/")).content.decode()
    subnav = people[people.index('<nav class="subnav"') :]
    subnav = subnav[: subnav.index("</nav>")]
    for label in ("Directory", "Approvals", "Invitations", "Roles", "Joining rules", "Audit log"):
        assert label in subnav

    client.force_login(sam.user)
    labels, _ = _main_nav(client, "welcome/")
    assert labels == [
        "Workspace",
        "Queues",
        "Knowledge",
        "News",
        "Ideas",
        "Kudos",
        "Metrics",
        "People",
    ]
    people = client.get(page_url("people/")).content.decode()
    assert "Approvals" not in people and "Audit log" not in people

    client.force_login(bob.user)
    labels, body = _main_nav(client, "welcome/")
    assert labels == ["My", "New", "Knowledge", "News", "Ideas"]
    assert "Why can" in body and "Audit log" not in body and "Approvals" not in body


def test_narrowing_the_admin_role_is_refused_before_its_reach(client, acme, ada):
    client.force_login(ada.user)
    admin = role(acme, "admin")
    response = client.post(
        page_url(f"roles/{admin.pk}/"),
        {"name": "Admin", "description": "", "scope": "all", "permissions": ["view_ticket"]},
    )
    body = response.content.decode()
    assert "The admin role keeps every action" in body
    assert "Before you save" not in body  # no reach, no "Save this change"
    admin.refresh_from_db()
    assert admin.permissions == list(ACTIONS)
