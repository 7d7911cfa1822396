"""The workspace list: views, filters, search, bulk actions, saved views, constant queries."""

import pytest

from tests.factories import make_queue, make_ticket
from tickets.models import SavedFilter, Ticket
from tickets.services import add_comment, assign_ticket, change_status, set_tags
from tickets.workspace import COUNT_CAP


def _numbers(response):
    return [t["number"] for t in response.context["page"].rows]


def test_agent_sees_only_the_queues_they_work(client, acme, alice, bob, billing, acme_ticket):
    other = make_ticket(acme, bob.user, make_queue(acme, "Technical"), subject="Not mine")
    client.force_login(alice.user)
    response = client.get("/t/acme/workspace/")
    assert _numbers(response) == [acme_ticket.number]
    assert other.number not in _numbers(client.get("/t/acme/workspace/?view=recent"))
    assert "All tickets" not in response.content.decode()  # that view is for leads


def test_supervisor_sees_every_ticket_in_the_all_view(client, acme, sam, bob, acme_ticket):
    other = make_ticket(acme, bob.user, make_queue(acme, "Technical"))
    client.force_login(sam.user)
    assert set(_numbers(client.get("/t/acme/workspace/?view=all"))) == {
        acme_ticket.number,
        other.number,
    }


def test_requests_in_no_queue_wait_in_the_leads_default_views(
    client, acme, sam, alice, bob, acme_ticket
):
    untriaged = make_ticket(acme, bob.user, None, subject="Where does this go?")
    client.force_login(sam.user)
    assert untriaged.number in _numbers(client.get("/t/acme/workspace/"))
    assert untriaged.number in _numbers(client.get("/t/acme/workspace/?view=unassigned"))
    # An agent who works only Billing never sees it: visibility still decides.
    client.force_login(alice.user)
    assert untriaged.number not in _numbers(client.get("/t/acme/workspace/"))


def test_views_mine_and_unassigned(client, acme, alice, bob, billing, acme_ticket):
    mine = make_ticket(acme, bob.user, billing, subject="Mine")
    assign_ticket(ticket=mine, assignee=alice.user, by=alice.user)
    client.force_login(alice.user)
    assert _numbers(client.get("/t/acme/workspace/?view=mine")) == [mine.number]
    assert _numbers(client.get("/t/acme/workspace/?view=unassigned")) == [acme_ticket.number]


def test_filters_by_status_priority_tag_requester_and_dates(
    client, acme, alice, bob, carol, billing, acme_ticket
):
    urgent = make_ticket(acme, carol.user, billing, subject="Down", priority="urgent")
    set_tags(ticket=urgent, names=["outage"], by=alice.user)
    client.force_login(alice.user)
    base = "/t/acme/workspace/?view=queues"
    assert _numbers(client.get(base + "&priority=urgent")) == [urgent.number]
    assert _numbers(client.get(base + "&tag=outage")) == [urgent.number]
    assert _numbers(client.get(base + "&requester=carol")) == [urgent.number]
    assert _numbers(client.get(base + "&status=solved")) == []
    assert len(_numbers(client.get(base + "&created_after=2000-01-01"))) == 2
    assert _numbers(client.get(base + "&created_before=2000-01-01")) == []
    assert _numbers(client.get(base + "&sort=-priority"))[0] == urgent.number


def test_full_text_search_finds_words_in_subjects_and_conversations(
    client, acme, alice, bob, billing, acme_ticket
):
    other = make_ticket(acme, bob.user, billing, subject="Printer")
    add_comment(ticket=other, author=alice.user, body="The toner cartridges are leaking")
    client.force_login(alice.user)
    assert _numbers(client.get("/t/acme/workspace/?q=charged")) == [acme_ticket.number]
    assert _numbers(client.get("/t/acme/workspace/?q=cartridge")) == [other.number]


def test_search_never_reveals_internal_notes_to_customers(api, acme, alice, bob, acme_ticket):
    add_comment(ticket=acme_ticket, author=alice.user, body="zebra secret", is_public=False)
    api.force_authenticate(bob.user)
    assert api.get("/api/v1/t/acme/tickets/?q=zebra").json()["count"] == 0
    api.force_authenticate(alice.user)
    assert api.get("/api/v1/t/acme/tickets/?q=zebra").json()["count"] == 1


def test_bulk_assign_status_and_tags_go_through_services_and_checks(
    client, acme, alice, bob, billing, acme_ticket
):
    second = make_ticket(acme, bob.user, billing)
    hidden = make_ticket(acme, bob.user, make_queue(acme, "Technical"))
    client.force_login(alice.user)
    ids = [acme_ticket.pk, second.pk, hidden.pk]
    client.post(
        "/t/acme/workspace/bulk/", {"tickets": ids, "bulk_action": "assign", "assignee": "me"}
    )
    client.post("/t/acme/workspace/bulk/", {"tickets": ids, "bulk_action": "tags", "tags": "vip"})
    response = client.post(
        "/t/acme/workspace/bulk/",
        {"tickets": ids, "bulk_action": "status", "status": "closed"},
        follow=True,
    )
    assert "Not changed" in response.content.decode()  # new → closed is no valid move
    for ticket in (acme_ticket, second):
        ticket.refresh_from_db()
        assert ticket.assignee == alice.user and ticket.status == "new"
        assert list(ticket.tags.values_list("name", flat=True)) == ["vip"]
    hidden.refresh_from_db()
    assert hidden.assignee is None and not hidden.tags.exists()  # not in her queues


def test_bulk_leaves_closed_tickets_as_they_are_and_names_them(
    client, acme, alice, bob, billing, acme_ticket
):
    closed = make_ticket(acme, bob.user, billing)
    change_status(ticket=closed, to="solved", by=alice.user)
    change_status(ticket=closed, to="closed", by=alice.user)
    client.force_login(alice.user)
    ids = [acme_ticket.pk, closed.pk]
    for action in (
        {"bulk_action": "assign", "assignee": "me"},
        {"bulk_action": "tags", "tags": "vip"},
    ):
        page = client.post("/t/acme/workspace/bulk/", {"tickets": ids, **action}, follow=True)
        assert f"Not changed (not allowed or not a valid move): #{closed.number}" in (
            page.content.decode()
        )
    closed.refresh_from_db()
    acme_ticket.refresh_from_db()
    assert closed.assignee is None and not closed.tags.exists()
    assert acme_ticket.assignee == alice.user and acme_ticket.tags.get().name == "vip"


def test_customer_cannot_use_bulk_actions(client, bob, acme_ticket):
    client.force_login(bob.user)
    client.post(
        "/t/acme/workspace/bulk/",
        {"tickets": [acme_ticket.pk], "bulk_action": "status", "status": "solved"},
    )
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "new"


def test_saved_views_are_ones_own(client, acme, alice, olga):
    client.force_login(alice.user)
    client.post("/t/acme/workspace/views/", {"name": "My hot list", "query": "priority=urgent"})
    saved = SavedFilter.objects.get()
    assert saved.owner == alice.user
    assert "?priority=urgent" in client.get("/t/acme/workspace/").content.decode()
    client.force_login(olga.user)
    assert "My hot list" not in client.get("/t/acme/workspace/").content.decode()
    assert client.post(f"/t/acme/workspace/views/{saved.pk}/delete/").status_code == 404
    assert SavedFilter.objects.exists()


@pytest.mark.parametrize("role", ["alice", "sam"])
def test_workspace_list_issues_the_same_queries_for_any_page_size(
    client, acme, bob, billing, alice, role, request, django_assert_max_num_queries
):
    member = request.getfixturevalue(role)
    for n in range(12):
        ticket = make_ticket(acme, bob.user, billing, subject=f"T{n}")
        set_tags(ticket=ticket, names=["a", f"t{n}"], by=alice.user)
        assign_ticket(ticket=ticket, assignee=alice.user, by=alice.user)
    client.force_login(member.user)
    client.get("/t/acme/workspace/")  # warm the session
    counts = []
    for size in (2, 12):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/t/acme/workspace/?view=queues&page_size={size}&q=fire")
        assert len(response.context["page"].rows) == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    # The list counts nothing; the views' counts (tickets.workspace.view_counts, kept a
    # while) are one statement whose every count is bounded.
    for sql in [q["sql"] for q in ctx.captured_queries if "tickets_ticket" in q["sql"]]:
        assert sql.upper().count("COUNT(") == sql.count(f"LIMIT {COUNT_CAP + 1}")
    with django_assert_max_num_queries(counts[1]):
        client.get("/t/acme/workspace/?view=queues&page_size=12")


def test_page_size_is_capped_and_next_page_is_found_without_counting(client, acme, sam, bob):
    for _ in range(3):
        make_ticket(acme, bob.user)
    client.force_login(sam.user)
    response = client.get("/t/acme/workspace/?view=all&page_size=2")
    assert response.context["page"].has_next
    response = client.get("/t/acme/workspace/?view=all&page_size=2&page=2")
    assert not response.context["page"].has_next
    assert len(response.context["page"].rows) == 1
    assert Ticket.objects.count() == 3


def test_one_bad_filter_is_named_and_the_others_still_apply(client, acme, alice, bob, billing):
    urgent = make_ticket(acme, bob.user, billing, subject="Urgent one", priority="urgent")
    make_ticket(acme, bob.user, billing, subject="Calm one", priority="low")
    client.force_login(alice.user)

    response = client.get("/t/acme/workspace/?priority=urgent&created_after=not-a-date&view=all")

    assert _numbers(response) == [urgent.number]
    body = response.content.decode()
    assert "Enter a valid date." in body
    assert "This view is not open to you" in body


def test_bulk_says_what_is_missing_and_counts_in_words(client, acme, alice, bob, billing):
    ticket = make_ticket(acme, bob.user, billing)
    client.force_login(alice.user)

    missing = client.post(
        "/t/acme/workspace/bulk/", {"tickets": [ticket.pk], "bulk_action": "status"}, follow=True
    )
    assert "Choose a status." in missing.content.decode()
    none_ticked = client.post(
        "/t/acme/workspace/bulk/", {"bulk_action": "status", "status": "open"}, follow=True
    )
    assert "Tick the tickets to change first." in none_ticked.content.decode()
    done = client.post(
        "/t/acme/workspace/bulk/",
        {"tickets": [ticket.pk], "bulk_action": "status", "status": "open"},
        follow=True,
    )
    assert "1 ticket changed." in done.content.decode()


def test_many_organizations_are_typed_by_name_not_listed(client, acme, sam, bob):
    from accounts.models import Organization
    from tickets.forms import OrganizationField

    orgs = Organization.objects.bulk_create(
        Organization(tenant=acme, name=f"Org {n:03}")
        for n in range(OrganizationField.LIST_LIMIT + 1)
    )
    theirs = make_ticket(acme, bob.user, subject="Theirs")
    Ticket.objects.filter(pk=theirs.pk).update(organization=orgs[7])
    make_ticket(acme, bob.user, subject="Someone else's")
    client.force_login(sam.user)

    page = client.get("/t/acme/workspace/?view=all").content.decode()
    assert "Org 100" not in page  # no option per organization
    assert 'name="organization"' in page

    by_name = client.get("/t/acme/workspace/?view=all&organization=org 007")
    assert _numbers(by_name) == [theirs.number]
    by_id = client.get(f"/t/acme/workspace/?view=all&organization={orgs[7].pk}")
    assert _numbers(by_id) == [theirs.number]
    assert 'value="Org 007"' in by_id.content.decode()  # the box shows the name
    unknown = client.get("/t/acme/workspace/?view=all&organization=Nobody Inc")
    assert "No organization of this helpdesk has this name." in unknown.content.decode()


def test_workspace_queries_do_not_grow_with_grants_staff_or_organizations(
    client, acme, alice, bob, billing
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Organization
    from tests.factories import make_member
    from tickets.services import grant_queue

    make_ticket(acme, bob.user, billing)
    client.force_login(alice.user)
    client.get("/t/acme/workspace/")  # warm the session
    with CaptureQueriesContext(connection) as small:
        client.get("/t/acme/workspace/")
    for n in range(5):
        queue = make_queue(acme, f"Queue {n}")
        grant_queue(queue=queue, user=alice.user, by=None)
        make_ticket(acme, bob.user, queue)
        make_member(acme, f"agent{n}@acme.test", "agent")
    Organization.objects.bulk_create(Organization(tenant=acme, name=f"O{n}") for n in range(150))
    with CaptureQueriesContext(connection) as changed:
        client.get("/t/acme/workspace/")
    guardian = [q for q in changed.captured_queries if "guardian_" in q["sql"]]
    assert len(guardian) == 1  # grants changed: read again, once for the whole page
    with CaptureQueriesContext(connection) as large:
        response = client.get("/t/acme/workspace/")
    assert len(response.context["page"].rows) == 6
    # Past the list limit the organizations are no longer read for a <select>: one fewer.
    assert len(large) == len(small) - 1
    assert not [q for q in large.captured_queries if "guardian_" in q["sql"]]  # kept


def test_kept_grants_follow_every_grant_and_revocation(
    client, acme, alice, olga, bob, billing, acme_ticket
):
    """Each member's queue ids are kept between requests; a grant or revocation is seen at once."""
    from tickets.services import grant_queue, revoke_queue

    client.force_login(alice.user)
    assert _numbers(client.get("/t/acme/workspace/")) == [acme_ticket.number]
    client.force_login(olga.user)  # another agent's kept ids are her own
    assert _numbers(client.get("/t/acme/workspace/")) == []
    assert client.get(f"/t/acme/tickets/{acme_ticket.number}/").status_code == 403
    grant_queue(queue=billing, user=olga.user, by=None)
    assert _numbers(client.get("/t/acme/workspace/")) == [acme_ticket.number]
    assert client.get(f"/t/acme/tickets/{acme_ticket.number}/").status_code == 200
    revoke_queue(queue=billing, user=alice.user, by=None)
    client.force_login(alice.user)
    assert _numbers(client.get("/t/acme/workspace/")) == []
    assert client.get(f"/t/acme/tickets/{acme_ticket.number}/").status_code == 403


def test_the_kept_bulk_form_shows_the_staff_and_language_of_now(client, acme, alice, acme_ticket):
    """The bulk actions' markup is kept per staff list and language ({% kept %}): a renamed
    agent and another language show at once, and the form is Django's own markup."""
    from django.utils import translation

    from accounts.staff import active_staff
    from tickets.forms import BulkForm

    client.force_login(alice.user)
    first = client.get("/t/acme/workspace/").content.decode()
    with translation.override("en"):
        own = str(BulkForm(tenant=acme, staff=active_staff(acme), auto_id="bulk_%s")["assignee"])
    assert own in first
    alice.user.name = "Alice Renamed"
    alice.user.save()
    again = client.get("/t/acme/workspace/").content.decode()
    assert ">Alice Renamed</option>" in again and own not in again
    hebrew = client.get("/t/acme/workspace/", HTTP_ACCEPT_LANGUAGE="he").content.decode()
    assert 'id="bulk_bulk_action"' in hebrew and ">Assign to</option>" not in hebrew
