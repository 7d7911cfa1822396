"""The people directory, the person page, and the users/ API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEntry, Membership
from tests.factories import make_member, make_ticket, role
from tickets.models import Comment, Ticket
from tickets.services import add_comment, assign_ticket

from .conftest import api_url, page_url


def test_directory_counts_tickets_requested_and_handled_in_this_tenant_only(
    api, ada, alice, bob, billing, globex, mallory
):
    for _ in range(2):
        ticket = make_ticket(ada.tenant, bob.user, billing)
        assign_ticket(ticket=ticket, assignee=alice.user, by=ada.user)
    # Bob also asks something elsewhere; it must not count here.
    make_member(globex, bob.user.email, "customer")
    make_ticket(globex, bob.user)
    api.force_authenticate(ada.user)

    people = {p["email"]: p for p in api.get(api_url("users/")).json()["results"]}

    assert people[bob.user.email]["tickets_requested"] == 2
    assert people[alice.user.email]["tickets_handled"] == 2
    assert set(people[bob.user.email]) >= {
        "id",
        "email",
        "name",
        "role",
        "organization",
        "is_active",
        "joined_at",
        "last_seen_at",
    }
    assert mallory.user.email not in people


def _directory_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [page_url("people/"), api_url("users/")])
def test_directory_costs_the_same_number_of_queries_for_3_or_30_people(
    client, acme, ada, billing, url
):
    client.force_login(ada.user)
    client.get(url)  # the first visit records "last seen"; later ones within minutes do not
    for i in range(2):
        make_member(acme, f"few{i}@acme.test")
    few = _directory_queries(client, url)
    for i in range(27):
        member = make_member(acme, f"many{i}@acme.test")
        make_ticket(acme, member.user, billing)
    many = _directory_queries(client, url)
    assert few == many


def test_directory_searches_filters_sorts_and_paginates(client, acme, ada, alice, bob, carol, pete):
    client.force_login(ada.user)
    body = client.get(page_url("people/"), {"q": "CAROL"}).content.decode()
    assert "carol@acme.test" in body and "bob@acme.test" not in body
    body = client.get(page_url("people/"), {"status": "pending"}).content.decode()
    assert "pete@pending.test" in body and "alice@acme.test" not in body
    body = client.get(page_url("people/"), {"role": "agent"}).content.decode()
    assert "alice@acme.test" in body and "bob@acme.test" not in body
    body = client.get(
        page_url("people/"), {"organization": str(bob.organization_id)}
    ).content.decode()
    assert "bob@acme.test" in body and "ada@acme.test" not in body
    body = client.get(page_url("people/"), {"sort": "-joined"}).content.decode()
    assert body.index("pete@pending.test") < body.index("ada@acme.test")
    for i in range(30):
        make_member(acme, f"p{i:02}@acme.test", name=f"Zed {i:02}")
    page2 = client.get(page_url("people/"), {"page": 2, "sort": "name"}).content.decode()
    assert "Page 2 of 2" in page2 and "Zed 29" in page2


def test_customers_cannot_see_the_directory(api, client, bob):
    api.force_authenticate(bob.user)
    response = api.get(api_url("users/"))
    assert response.status_code == 403
    assert "does not allow you to see the people directory" in response.json()["detail"]
    client.force_login(bob.user)
    assert client.get(page_url("people/")).status_code == 403


def test_users_of_another_tenant_are_404(api, client, ada, mallory):
    api.force_authenticate(ada.user)
    assert api.get(api_url(f"users/{mallory.user_id}/")).status_code == 404
    assert api.patch(api_url(f"users/{mallory.user_id}/"), {"is_active": False}).status_code == 404
    client.force_login(ada.user)
    assert client.get(page_url(f"people/{mallory.user_id}/")).status_code == 404
    mallory.refresh_from_db()
    assert mallory.is_active


def test_admin_changes_role_organization_and_standing_and_each_is_audited_once(
    api, acme, ada, alice, acme_co
):
    api.force_authenticate(ada.user)

    response = api.patch(
        api_url(f"users/{alice.user_id}/"), {"role": "supervisor", "organization": acme_co.pk}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["role"] == "supervisor"
    log = AuditEntry.objects.for_tenant(acme).filter(target_id=str(alice.pk))
    role_change = log.get(action="membership.role_changed")
    assert (role_change.before, role_change.after) == ({"role": "agent"}, {"role": "supervisor"})
    assert role_change.actor == ada.user
    assert log.filter(action="membership.organization_changed").count() == 1


def test_deactivation_keeps_tickets_and_comments_and_shuts_the_door(
    api, client, acme, ada, bob, acme_ticket
):
    add_comment(ticket=acme_ticket, author=bob.user, body="Any news?")
    api.force_authenticate(ada.user)

    response = api.patch(api_url(f"users/{bob.user_id}/"), {"is_active": False})

    assert response.json()["is_active"] is False
    assert Ticket.objects.filter(pk=acme_ticket.pk, requester=bob.user).exists()
    assert Comment.objects.filter(author=bob.user).count() == 1
    client.force_login(bob.user)
    assert "deactivated" in client.get(page_url("portal/")).content.decode()
    # Signing in, they are told why their helpdesk is gone, not that they never had one.
    picker = client.get("/").content.decode()
    assert "Your access to Acme was deactivated by an admin." in picker
    assert "not a member of any helpdesk" not in picker
    assert AuditEntry.objects.for_tenant(acme).filter(action="membership.deactivated").count() == 1
    assert api.patch(api_url(f"users/{bob.user_id}/"), {"is_active": True}).json()["is_active"]


def test_the_last_admin_can_be_neither_demoted_nor_deactivated(api, acme, ada):
    api.force_authenticate(ada.user)
    demote = api.patch(api_url(f"users/{ada.user_id}/"), {"role": "agent"})
    leave = api.patch(api_url(f"users/{ada.user_id}/"), {"is_active": False})
    assert demote.status_code == 403 and "last admin" in demote.json()["detail"]
    assert leave.status_code == 403
    ada.refresh_from_db()
    assert ada.is_admin
    assert (
        not AuditEntry.objects.for_tenant(acme)
        .filter(action__startswith="membership.")
        .exclude(action="membership.created")
        .exists()
    )


def test_with_a_second_admin_the_first_may_step_down(api, acme, ada):
    make_member(acme, "second@acme.test", "admin")
    api.force_authenticate(ada.user)
    assert api.patch(api_url(f"users/{ada.user_id}/"), {"role": "agent"}).status_code == 200


@pytest.mark.parametrize("member", ["sam", "alice"])
def test_non_admins_cannot_escalate_anyone(api, member, bob, request):
    caller = request.getfixturevalue(member)
    api.force_authenticate(caller.user)
    for target in (caller, bob):
        response = api.patch(api_url(f"users/{target.user_id}/"), {"role": "admin"})
        assert response.status_code == 403
        target.refresh_from_db()
        assert target.role.key != "admin"


def test_person_page_changes_a_role_only_after_confirmation(client, acme, ada, alice):
    client.force_login(ada.user)
    data = {"role": role(acme, "supervisor").pk, "organization": "", "status": "active"}

    review = client.post(page_url(f"people/{alice.user_id}/change/"), data)

    assert review.status_code == 200 and "Agent → Supervisor" in review.content.decode()
    alice.refresh_from_db()
    assert alice.role.key == "agent"
    done = client.post(page_url(f"people/{alice.user_id}/change/"), {**data, "confirm": "yes"})
    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.role.key == "supervisor"


def test_person_page_refuses_to_remove_the_last_admin(client, acme, ada):
    client.force_login(ada.user)
    for confirmed in ({}, {"confirm": "yes"}):
        # Refused at once, on the person's page: no confirmation step for a change that can't be.
        response = client.post(
            page_url(f"people/{ada.user_id}/change/"),
            {"role": role(acme, "customer").pk, "status": "active", **confirmed},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == page_url(f"people/{ada.user_id}/")
        assert "is the last admin of Acme" in response.content.decode()
    ada.refresh_from_db()
    assert ada.role.key == "admin"
    assert ada.status == Membership.Status.ACTIVE


def test_person_page_explains_why_a_person_can_or_cannot(client, ada, olga, acme_ticket):
    client.force_login(ada.user)
    body = client.get(
        page_url(f"people/{olga.user_id}/"),
        {"action": "view_ticket", "ticket": acme_ticket.number},
    ).content.decode()
    assert "Refused" in body and "work the Billing queue" in body


def test_a_pending_sign_up_is_not_activated_through_the_directory(api, ada, pete):
    api.force_authenticate(ada.user)
    response = api.patch(api_url(f"users/{pete.user_id}/"), {"is_active": True})
    assert response.status_code == 403 and "Approvals" in response.json()["detail"]
    pete.refresh_from_db()
    assert pete.status == Membership.Status.PENDING


def test_the_person_page_lists_the_addresses_they_wrote_from_here(
    client, acme, globex, ada, alice, bob, billing
):
    from tickets.mail_threads import remember
    from tickets.models import TicketMail

    ticket = make_ticket(acme, bob.user, billing)
    for n, address in enumerate(["bob@home.example", "bob@home.example", "b.work@acme.example"]):
        remember(
            ticket=ticket,
            message_id=f"m{n}@home.example",
            direction=TicketMail.Direction.IN,
            author=bob.user,
            from_address=address,
        )
    # A mail sent to him, and one by him to another helpdesk, are not addresses he wrote from here.
    remember(ticket=ticket, message_id="out@acme.example", direction="out", author=alice.user)
    elsewhere = make_ticket(globex, make_member(globex, "customer").user, None)
    remember(
        ticket=elsewhere,
        message_id="g@x.example",
        direction="in",
        author=bob.user,
        from_address="bob@secret.example",
    )
    client.force_login(ada.user)

    page = client.get(page_url(f"people/{bob.user.pk}/")).content.decode()

    listed = page.split('id="wrote-from"')[1].split("</ul>")[0]
    assert "bob@home.example" in listed and "(2 e-mails" in listed
    assert "b.work@acme.example" in listed and "(1 e-mail," in listed
    assert "bob@secret.example" not in page
    assert (
        'id="wrote-from"' not in client.get(page_url(f"people/{alice.user.pk}/")).content.decode()
    )
