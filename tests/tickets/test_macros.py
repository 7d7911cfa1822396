"""Macros: canned replies with placeholders and changes, kept per person, role or helpdesk,
applied in one step from the reply form or the API; each change still needs its right."""

import re

import pytest

from accounts.access import Refused
from tests.conftest import login_api
from tests.factories import role
from tests.tickets.conftest import api_ticket_url, ticket_url
from tickets.models import Comment, Macro, Ticket, TicketEvent
from tickets.services import (
    MacroRefused,
    add_comment,
    add_macro,
    apply_macro,
    change_macro,
    delete_macro,
    fill_macro,
)

BODY = "Hello {{ requester.name }}, about #{{ ticket.number }}: refunded. — {{agent.name}}"


@pytest.fixture
def refund(alice):
    return add_macro(
        member=alice,
        name="Refund done",
        body=BODY,
        sets={"status": "pending", "priority": "high", "tags": ["refund"], "assignee": "me"},
    )


def test_the_text_is_filled_for_the_ticket_as_plain_text_never_rendered(alice, acme_ticket, refund):
    assert fill_macro(refund, ticket=acme_ticket, agent=alice.user) == (
        f"Hello Bob Buyer, about #{acme_ticket.number}: refunded. — Alice Agent"
    )
    # A body is what a person typed: template syntax beyond the three placeholders is refused,
    # and a requester's name full of template syntax is printed as it is.
    with pytest.raises(MacroRefused) as refused:
        add_macro(member=alice, name="Sneaky", body="{{ settings.SECRET_KEY }} {% debug %}")
    assert "settings.SECRET_KEY" in refused.value.errors["body"]
    acme_ticket.requester.name = "{{ agent.name }}"
    assert fill_macro(refund, ticket=acme_ticket, agent=alice.user).startswith(
        "Hello {{ agent.name }},"
    )


def test_applying_posts_the_text_and_makes_every_change_in_one_step(alice, acme_ticket, refund):
    comment = apply_macro(macro=refund, ticket=acme_ticket, member=alice)

    acme_ticket.refresh_from_db()
    assert comment.body.startswith("Hello Bob Buyer") and comment.is_public
    assert acme_ticket.status == "pending"  # new -> pending directly, not through open
    assert acme_ticket.priority == "high"
    assert acme_ticket.assignee == alice.user
    assert [t.name for t in acme_ticket.tags.all()] == ["refund"]
    events = TicketEvent.objects.filter(ticket=acme_ticket).exclude(kind="created")
    assert sorted(e.kind for e in events) == ["assignee", "priority", "reply", "status", "tags"]
    assert len({e.created_at for e in events}) == 1  # one moment of the timeline
    status = events.get(kind="status")
    assert (status.old_value, status.new_value) == ("new", "pending")


def test_tags_are_added_to_the_tickets_own(alice, acme_ticket, refund):
    from tickets.services import set_tags

    set_tags(ticket=acme_ticket, names=["vip"], by=alice.user)
    apply_macro(macro=refund, ticket=acme_ticket, member=alice)
    assert sorted(t.name for t in acme_ticket.tags.all()) == ["refund", "vip"]


def test_a_change_the_agent_may_not_make_refuses_the_whole_macro(acme, alice, acme_ticket, refund):
    agent = role(acme, "agent")
    agent.permissions = [p for p in agent.permissions if p != "assign_ticket"]
    agent.save()
    alice.refresh_from_db()

    with pytest.raises(Refused):
        apply_macro(macro=refund, ticket=acme_ticket, member=alice)

    assert not Comment.objects.filter(ticket=acme_ticket).exists()  # nothing was written
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "new" and acme_ticket.priority == "normal"


def test_personal_shared_with_a_role_and_tenant_wide(acme, ada, alice, olga, sam, refund):
    for_agents = add_macro(member=ada, name="Agents", body="Hi", shared_with="agent")
    everyone = add_macro(member=ada, name="Everyone", body="Hi", shared_with="tenant")

    assert set(Macro.objects.visible_to(alice)) == {refund, for_agents, everyone}
    assert set(Macro.objects.visible_to(olga)) == {for_agents, everyone}  # not alice's own
    assert set(Macro.objects.visible_to(sam)) == {everyone}  # a supervisor is not an agent
    # The admin keeps every shared macro, and uses those meant for her.
    assert set(Macro.objects.managed_by(ada)) == {for_agents, everyone}
    assert set(Macro.objects.visible_to(ada)) == {everyone}
    assert for_agents.shared_with == "agent" and everyone.shared_with == "tenant"


def test_only_those_who_manage_shared_macros_share_or_change_them(ada, alice, olga, refund):
    with pytest.raises(Refused):
        add_macro(member=alice, name="For all", body="Hi", shared_with="tenant")
    with pytest.raises(Refused):
        change_macro(macro=refund, member=alice, shared_with="tenant")
    shared = add_macro(member=ada, name="For all", body="Hi", shared_with="tenant")
    with pytest.raises(Refused):
        change_macro(macro=shared, member=alice, name="Mine now")
    with pytest.raises(Refused):
        delete_macro(macro=refund, member=olga)  # someone else's personal macro
    assert not Macro.objects.filter(owner=None, tenant=ada.tenant).exclude(pk=shared.pk).exists()
    delete_macro(macro=refund, member=alice)
    assert not Macro.objects.filter(pk=refund.pk).exists()


def test_a_customer_has_no_macros(bob, alice, refund, acme_ticket):
    assert not Macro.objects.visible_to(bob).exists()
    with pytest.raises(Refused):
        add_macro(member=bob, name="Mine", body="Hi")


# ----------------------------------------------------------------------------------- API


def test_api_keeps_macros_by_the_contract(api, acme, ada, alice):
    login_api(api, alice)
    payload = {
        "name": "Refund",
        "body": BODY,
        "public": True,
        "sets": {"status": "solved", "tags": ["Refund"], "assignee": "me"},
    }
    response = api.post("/api/v1/t/acme/macros/", payload, format="json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["shared_with"] == "me"
    assert made["sets"] == {
        "status": "solved",
        "priority": None,
        "tags": ["refund"],
        "assignee": "me",
    }

    response = api.patch(
        f"/api/v1/t/acme/macros/{made['id']}/", {"name": "Refunded"}, format="json"
    )
    assert response.status_code == 200 and response.json()["name"] == "Refunded"
    # Sharing is the admin's.
    response = api.patch(
        f"/api/v1/t/acme/macros/{made['id']}/", {"shared_with": "tenant"}, format="json"
    )
    assert response.status_code == 403
    assert Macro.objects.get(pk=made["id"]).shared_with == "me"
    response = api.post(
        "/api/v1/t/acme/macros/", {**payload, "shared_with": "tenant"}, format="json"
    )
    assert response.status_code == 403

    login_api(api, ada)
    response = api.post(
        "/api/v1/t/acme/macros/", {**payload, "shared_with": "agent"}, format="json"
    )
    assert response.status_code == 201 and response.json()["shared_with"] == "agent"
    listed = api.get("/api/v1/t/acme/macros/").json()["results"]
    assert [m["name"] for m in listed] == ["Refund"]  # alice's own stays hers
    assert api.delete(f"/api/v1/t/acme/macros/{made['id']}/").status_code == 404


@pytest.mark.parametrize(
    "bad",
    [
        {"body": "{{ ticket.secret }}"},
        {"sets": {"status": "new"}},
        {"sets": {"assignee": 99999}},
        {"sets": {"assignee": "99999999999999999999999"}},
        {"sets": {"assignee": 1.5}},
        {"sets": {"tags": "refund"}},
        {"sets": {"colour": "red"}},
        {"shared_with": "nobody"},
        {"name": "  "},
    ],
)
def test_api_names_what_is_wrong_with_a_macro(api, ada, bad):
    login_api(api, ada)
    payload = {"name": "Refund", "body": "Hi", **bad}
    response = api.post("/api/v1/t/acme/macros/", payload, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) & {"body", "sets", "status", "assignee", "shared_with", "name"}
    assert not Macro.objects.exists()


def test_api_applies_a_macro_to_a_ticket(api, alice, acme_ticket, refund):
    login_api(api, alice)
    response = api.post(api_ticket_url(acme_ticket, f"macros/{refund.pk}/"), {}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["comment"]["body"].startswith("Hello Bob Buyer")
    assert body["ticket"]["status"] == "pending"
    assert body["ticket"]["assignee"] == alice.user.pk
    assert body["ticket"]["tags"] == ["refund"]


def test_api_applying_someone_elses_macro_or_to_a_closed_ticket(
    api, olga, alice, acme_ticket, refund, globex_ticket
):
    login_api(api, olga)
    assert api.post(api_ticket_url(acme_ticket, f"macros/{refund.pk}/")).status_code == 404
    login_api(api, alice)
    assert api.post(api_ticket_url(globex_ticket, f"macros/{refund.pk}/")).status_code == 404
    Ticket.objects.filter(pk=acme_ticket.pk).update(status="closed")
    response = api.post(api_ticket_url(acme_ticket, f"macros/{refund.pk}/"))
    assert response.status_code == 409
    assert not Comment.objects.exists()


def test_a_customer_cannot_reach_macros(api, bob, acme_ticket, refund):
    login_api(api, bob)
    assert api.get("/api/v1/t/acme/macros/").status_code == 403
    assert api.post(api_ticket_url(acme_ticket, f"macros/{refund.pk}/")).status_code == 403


def test_an_outsider_gets_404(api, mallory, refund):
    login_api(api, mallory)
    assert api.get("/api/v1/t/acme/macros/").status_code == 404
    assert api.get(f"/api/v1/t/globex/macros/{refund.pk}/").status_code == 404


# --------------------------------------------------------------------------------- pages


def test_an_agent_keeps_macros_in_pages(client, alice, refund):
    client.force_login(alice.user)
    page = client.get("/t/acme/macros/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Refund done" in html and "Only you" in html
    assert "Everyone who works here" not in html  # no sharing offered to an agent

    response = client.post(
        "/t/acme/macros/",
        {
            "name": "Waiting on you",
            "body": "Hi {{ requester.name }}",
            "is_public": "public",
            "status": "pending",
            "priority": "",
            "tags": "waiting, Info",
            "assignee": "",
            "shared_with": "me",
        },
    )
    assert response.status_code == 302
    made = Macro.objects.get(name="Waiting on you")
    assert made.owner == alice.user and made.sets["tags"] == ["info", "waiting"]

    response = client.post(
        f"/t/acme/macros/{made.pk}/",
        {"name": "Waiting", "body": "{{ nope }}", "is_public": "public", "shared_with": "me"},
    )
    assert response.status_code == 400
    assert "Not something a macro can fill in" in response.content.decode()

    assert client.post(f"/t/acme/macros/{made.pk}/delete/").status_code == 302
    assert not Macro.objects.filter(pk=made.pk).exists()


def test_an_admin_shares_macros_with_a_role(client, ada, alice, refund):
    client.force_login(ada.user)
    response = client.post(
        "/t/acme/macros/",
        {"name": "Hello", "body": "Hi", "is_public": "internal", "shared_with": "agent"},
    )
    assert response.status_code == 302
    shared = Macro.objects.get(name="Hello")
    assert shared.role.key == "agent" and not shared.is_public
    # alice's personal macro is neither listed to the admin nor hers to edit.
    assert "Refund done" not in client.get("/t/acme/macros/").content.decode()
    assert client.get(f"/t/acme/macros/{refund.pk}/").status_code == 404
    client.force_login(alice.user)
    assert client.get(f"/t/acme/macros/{shared.pk}/").status_code == 403


def test_the_picker_fills_the_text_for_the_ticket(client, alice, olga, acme_ticket, refund):
    client.force_login(alice.user)
    page = client.get(ticket_url(acme_ticket)).content.decode()
    assert "data-macro-picker" in page and "Refund done" in page
    preview = client.get(ticket_url(acme_ticket, f"macros/{refund.pk}/")).json()
    assert (
        preview["body"] == f"Hello Bob Buyer, about #{acme_ticket.number}: refunded. — Alice Agent"
    )
    assert preview["sets"]["status"] == "pending"
    client.force_login(olga.user)  # not hers, and a ticket she may not see
    assert client.get(ticket_url(acme_ticket, f"macros/{refund.pk}/")).status_code in (403, 404)


def test_sending_with_a_picked_macro_makes_its_changes(client, alice, acme_ticket, refund):
    client.force_login(alice.user)
    page = client.get(ticket_url(acme_ticket))
    version = page.context["reply_form"]["version"].value()
    response = client.post(
        ticket_url(acme_ticket),
        {
            "action": "reply",
            "version": version,
            "body": "Edited: refunded",
            "visibility": "public",
            "macro": refund.pk,
            "set_status": "solved",  # the button wins over the macro's pending
        },
    )
    assert response.status_code == 302
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "solved" and acme_ticket.priority == "high"
    assert acme_ticket.comments.get().body == "Edited: refunded"


def test_one_click_apply_posts_the_macro_as_it_is(client, alice, bob, acme_ticket, refund):
    client.force_login(alice.user)
    page = client.get(ticket_url(acme_ticket)).content.decode()
    version = re.search(r'id="macro-apply".*?name="version" value="([^"]+)"', page).group(1)
    add_comment(ticket=acme_ticket, author=bob.user, body="Any news?")  # meanwhile
    stale = client.post(
        ticket_url(acme_ticket), {"action": "macro", "macro": refund.pk, "version": version}
    )
    assert stale.status_code == 302
    assert acme_ticket.comments.count() == 1  # nothing applied over what changed

    page = client.get(ticket_url(acme_ticket)).content.decode()
    assert "This ticket changed since you opened it" in page
    version = re.search(r'id="macro-apply".*?name="version" value="([^"]+)"', page).group(1)
    response = client.post(
        ticket_url(acme_ticket), {"action": "macro", "macro": refund.pk, "version": version}
    )
    assert response.status_code == 302
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "pending"
    assert acme_ticket.comments.last().body.startswith("Hello Bob Buyer")


def test_shared_macros_are_in_the_audit_log_personal_ones_are_not(ada, alice, refund):
    from accounts.models import AuditEntry

    shared = add_macro(member=ada, name="For all", body="Hi", shared_with="tenant")
    change_macro(macro=shared, member=ada, shared_with="agent")
    delete_macro(macro=shared, member=ada)
    entries = AuditEntry.objects.filter(target_type="macro").order_by("pk")
    assert [e.action for e in entries] == ["macro.created", "macro.changed", "macro.deleted"]
    assert entries[1].before["audience"] == "tenant" and entries[1].after["audience"] == "agent"
    assert not AuditEntry.objects.filter(target_id=str(refund.pk), target_type="macro").exists()


def test_another_tenants_macro_is_not_found_anywhere(api, client, mallory, globex_ticket, refund):
    login_api(api, mallory)
    url = api_ticket_url(globex_ticket, f"macros/{refund.pk}/")
    assert api.post(url).status_code == 404
    assert api.get(f"/api/v1/t/globex/macros/{refund.pk}/").status_code == 404
    client.force_login(mallory.user)
    assert client.get(ticket_url(globex_ticket, f"macros/{refund.pk}/")).status_code == 404
    assert client.get(f"/t/globex/macros/{refund.pk}/").status_code == 404
    response = client.post(ticket_url(globex_ticket), {"action": "macro", "macro": refund.pk})
    assert response.status_code == 404
    assert not Comment.objects.filter(ticket=globex_ticket).exists()
