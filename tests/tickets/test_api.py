"""The ticket and queue API, as /work/shared/API.md promises it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_ticket
from tickets.models import Comment, QueueGrant, Rating, Ticket
from tickets.services import add_comment, assign_ticket, change_status, set_tags

from .conftest import api_ticket_url

FIELDS = {
    "id",
    "number",
    "subject",
    "description",
    "status",
    "priority",
    "queue",
    "requester",
    "assignee",
    "tags",
    "channel",
    "created_at",
    "updated_at",
    "first_response_at",
    "solved_at",
    # with service levels
    "first_response_due_at",
    "next_response_due_at",
    "resolution_due_at",
    "sla_breached",
}


def test_ticket_fields_are_exactly_the_contract(api, alice, acme_ticket):
    set_tags(ticket=acme_ticket, names=["vip"], by=alice.user)
    api.force_authenticate(alice.user)
    body = api.get(api_ticket_url(acme_ticket)).json()
    assert set(body) == FIELDS
    assert body["id"] == acme_ticket.pk and body["number"] == acme_ticket.number
    assert body["tags"] == ["vip"] and body["status"] == "new"
    assert body["channel"] == "portal"
    assert body["created_at"].endswith(("Z", "+00:00"))


def test_customer_creates_and_lists_only_their_own(api, acme, bob, carol, billing):
    api.force_authenticate(bob.user)
    response = api.post(
        "/api/v1/t/acme/tickets/",
        {"subject": "API ticket", "description": "Hi", "queue": billing.pk, "priority": "urgent"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["priority"] == "normal"  # customers do not set priority
    make_ticket(acme, carol.user, billing, subject="Carol's")
    listing = api.get("/api/v1/t/acme/tickets/").json()
    assert listing["count"] == 1 and listing["results"][0]["subject"] == "API ticket"


def test_bad_input_is_a_400_with_field_errors(api, bob, globex_queue):
    api.force_authenticate(bob.user)
    response = api.post(
        "/api/v1/t/acme/tickets/",
        {"subject": " ", "description": "x" * 50_001, "queue": globex_queue.pk},
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"subject", "description", "queue"}
    assert not Ticket.objects.exists()


def test_list_filters(api, acme, alice, bob, carol, billing, acme_ticket):
    other = make_ticket(acme, carol.user, billing, priority="high")
    api.force_authenticate(alice.user)
    url = "/api/v1/t/acme/tickets/"
    assert [t["id"] for t in api.get(url, {"priority": "high"}).json()["results"]] == [other.pk]
    assert [t["id"] for t in api.get(url, {"requester": bob.user.pk}).json()["results"]] == [
        acme_ticket.pk
    ]
    assert api.get(url, {"status": "solved"}).json()["count"] == 0
    assert api.get(url, {"queue": billing.pk}).json()["count"] == 2
    assert api.get(url, {"assignee": alice.user.pk}).json()["count"] == 0
    assert api.get(url, {"status": "bogus"}).status_code == 400


def test_patch_maps_fields_to_services_and_records_events(api, alice, sam, acme_ticket):
    api.force_authenticate(alice.user)
    response = api.patch(
        api_ticket_url(acme_ticket),
        {"status": "open", "priority": "high", "assignee": sam.user.pk, "tags": ["b", "a"]},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["priority"], body["assignee"], body["tags"]) == (
        "open",
        "high",
        sam.user.pk,
        ["a", "b"],
    )
    kinds = sorted(acme_ticket.events.values_list("kind", flat=True))
    assert kinds == ["assignee", "created", "priority", "status", "tags"]


def test_invalid_transition_is_409_with_a_json_body(api, alice, acme_ticket):
    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    change_status(ticket=acme_ticket, to="closed", by=alice.user)
    api.force_authenticate(alice.user)
    response = api.patch(api_ticket_url(acme_ticket), {"status": "pending"})
    assert response.status_code == 409
    assert "cannot move from closed to pending" in response.json()["detail"]


def test_a_closed_ticket_refuses_property_changes_with_409(api, alice, acme_ticket):
    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    change_status(ticket=acme_ticket, to="closed", by=alice.user)
    api.force_authenticate(alice.user)
    for change in ({"priority": "urgent"}, {"assignee": alice.user.pk}, {"tags": ["x"]}):
        response = api.patch(api_ticket_url(acme_ticket), change, format="json")
        assert response.status_code == 409, change
        assert "no longer change" in response.json()["detail"]
    unchanged = api.patch(api_ticket_url(acme_ticket), {"priority": "normal"}, format="json")
    assert unchanged.status_code == 200  # saying what it already is changes nothing
    acme_ticket.refresh_from_db()
    assert acme_ticket.assignee is None and acme_ticket.priority == "normal"


def test_customer_may_only_reopen(api, alice, bob, acme_ticket):
    api.force_authenticate(bob.user)
    response = api.patch(api_ticket_url(acme_ticket), {"status": "solved"})
    assert response.status_code == 403 and "only reopen" in response.json()["detail"]
    assert api.patch(api_ticket_url(acme_ticket), {"priority": "urgent"}).status_code == 403
    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    response = api.patch(api_ticket_url(acme_ticket), {"status": "open"})
    assert response.status_code == 200 and response.json()["status"] == "open"


def test_agent_of_another_queue_cannot_see_or_change(api, olga, acme_ticket):
    api.force_authenticate(olga.user)
    assert api.get(api_ticket_url(acme_ticket)).status_code == 404
    assert api.patch(api_ticket_url(acme_ticket), {"status": "open"}).status_code == 404


def test_comments_internal_notes_are_staff_only_and_never_returned_to_customers(
    api, alice, bob, acme_ticket, secret_note
):
    api.force_authenticate(bob.user)
    response = api.post(api_ticket_url(acme_ticket, "comments/"), {"body": "x", "public": False})
    assert response.status_code == 403
    response = api.post(api_ticket_url(acme_ticket, "comments/"), {"body": "Thanks"})
    assert response.status_code == 201 and response.json()["public"] is True
    bodies = [
        c["body"] for c in api.get(api_ticket_url(acme_ticket, "comments/")).json()["results"]
    ]
    assert bodies == ["Thanks"]

    api.force_authenticate(alice.user)
    response = api.post(api_ticket_url(acme_ticket, "comments/"), {"body": "Note", "public": False})
    assert response.status_code == 201
    comments = api.get(api_ticket_url(acme_ticket, "comments/")).json()["results"]
    assert [c["public"] for c in comments] == [False, True, False]
    assert set(comments[0]) == {"id", "body", "public", "author", "author_name", "created_at"}


def test_light_agent_api_notes_yes_public_replies_no(api, lena, acme_ticket):
    api.force_authenticate(lena.user)
    assert api.post(api_ticket_url(acme_ticket, "comments/"), {"body": "hi"}).status_code == 403
    response = api.post(api_ticket_url(acme_ticket, "comments/"), {"body": "n", "public": False})
    assert response.status_code == 201
    assert Comment.objects.get().is_public is False


def test_rating_by_the_requester_once_solved_and_a_second_replaces_it(
    api, alice, bob, carol, acme, acme_ticket
):
    url = api_ticket_url(acme_ticket, "rating/")
    api.force_authenticate(bob.user)
    assert api.post(url, {"score": 5}).status_code == 409
    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    assert api.post(url, {"score": 6}).status_code == 400
    assert api.post(url, {"score": 2, "comment": "slow"}).status_code == 201
    assert api.post(url, {"score": 4}).status_code == 201
    assert Rating.objects.get().score == 4
    acme.customers_see_organization_tickets = True
    acme.save()
    api.force_authenticate(carol.user)
    assert api.post(url, {"score": 1}).status_code == 403
    api.force_authenticate(alice.user)
    assert api.post(url, {"score": 1}).status_code == 403
    assert Rating.objects.get().score == 4


@pytest.mark.parametrize("role", ["alice", "bob"])
def test_api_list_issues_the_same_queries_for_any_page_size(
    api, acme, bob, alice, billing, role, request
):
    member = request.getfixturevalue(role)
    for n in range(10):
        ticket = make_ticket(acme, bob.user, billing, subject=f"T{n}")
        set_tags(ticket=ticket, names=[f"t{n}", "x"], by=alice.user)
        add_comment(ticket=ticket, author=alice.user, body="hello")
    api.force_authenticate(member.user)
    # The first request of a while also stamps last_seen_at and reads the member's grants.
    api.get("/api/v1/t/acme/tickets/")
    counts = []
    for size in (2, 10):
        with CaptureQueriesContext(connection) as ctx:
            response = api.get("/api/v1/t/acme/tickets/", {"page_size": size})
        assert len(response.json()["results"]) == size
        assert response.json()["count"] == 10
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_queues_list_create_and_patch_agents(api, ada, alice, olga, bob, billing):
    api.force_authenticate(bob.user)
    listing = api.get("/api/v1/t/acme/queues/").json()
    assert [q["name"] for q in listing["results"]] == ["Billing"]
    assert listing["results"][0]["agents"] == []  # who works it is staff business
    assert api.post("/api/v1/t/acme/queues/", {"name": "Nope"}).status_code == 403

    api.force_authenticate(ada.user)
    response = api.post(
        "/api/v1/t/acme/queues/",
        {"name": "Technical", "description": "Bugs", "agents": [olga.user.pk]},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["agents"] == [olga.user.pk]
    technical = response.json()["id"]
    response = api.patch(f"/api/v1/t/acme/queues/{billing.pk}/", {"agents": [olga.user.pk]})
    assert response.status_code == 200 and response.json()["agents"] == [olga.user.pk]
    assert not QueueGrant.objects.filter(queue=billing, user=alice.user).exists()
    assert (
        api.patch(f"/api/v1/t/acme/queues/{technical}/", {"agents": [bob.user.pk]}).status_code
        == 400
    )
    assert api.post("/api/v1/t/acme/queues/", {"name": "billing"}).status_code == 400
    one = api.get(f"/api/v1/t/acme/queues/{technical}/")
    assert one.status_code == 200 and one.json()["name"] == "Technical"
    api.force_authenticate(bob.user)
    assert api.get(f"/api/v1/t/acme/queues/{billing.pk}/").json()["agents"] == []


def test_queue_of_another_tenant_is_404(api, ada, globex_queue):
    api.force_authenticate(ada.user)
    response = api.patch(f"/api/v1/t/acme/queues/{globex_queue.pk}/", {"name": "Mine now"})
    assert response.status_code == 404
    assert api.get(f"/api/v1/t/acme/queues/{globex_queue.pk}/").status_code == 404


def test_api_list_counts_up_to_a_limit_and_pages_on_past_it(api, acme, alice, bob, billing):
    from accounts.rest import PageNumberPagination

    for n in range(5):
        make_ticket(acme, bob.user, billing, subject=f"T{n}")
    api.force_authenticate(alice.user)
    url = "/api/v1/t/acme/tickets/"
    exact = api.get(url, {"page_size": 2}).json()
    assert exact["count"] >= 5 and exact["count_capped"] is False

    limit = PageNumberPagination.count_limit
    PageNumberPagination.count_limit = 3
    try:
        first = api.get(url, {"page_size": 2}).json()
        assert first["count"] == 3 and first["count_capped"] is True
        seen, page = [], first
        while True:
            seen += [t["number"] for t in page["results"]]
            if not page["next"]:
                break
            page = api.get(page["next"]).json()
        assert len(seen) == exact["count"] == len(set(seen))  # next goes past the limit
    finally:
        PageNumberPagination.count_limit = limit
    assert api.get(url, {"page": "9"}).status_code == 404
    assert api.get(url, {"page": "x"}).status_code == 404


@pytest.mark.parametrize("zone", ["UTC", "Asia/Jerusalem"])
def test_api_list_says_what_the_ticket_serializer_says(api, acme, sam, alice, bob, billing, zone):
    """The list says what TicketSerializer says of each ticket: the same JSON, byte for byte."""
    from django.utils import timezone
    from rest_framework.renderers import JSONRenderer

    from tickets.api.tickets import TicketSerializer

    acme.time_zone = zone
    acme.save(update_fields=["time_zone"])
    plain = make_ticket(acme, bob.user, None, subject='Quotes " and <tags> & ünïcode')
    busy = make_ticket(acme, bob.user, billing, subject="Busy", priority="urgent")
    set_tags(ticket=busy, names=["b", "a"], by=alice.user)
    assign_ticket(ticket=busy, assignee=alice.user, by=alice.user)
    add_comment(ticket=busy, author=alice.user, body="On it")  # a first response
    change_status(ticket=busy, to="solved", by=alice.user)
    api.force_authenticate(sam.user)
    response = api.get("/api/v1/t/acme/tickets/")
    rows = list(
        Ticket.objects.filter(pk__in=[plain.pk, busy.pk])
        .with_list_columns()
        .with_tags()
        .order_by("-created_at", "-pk")
    )
    with timezone.override(acme.zone):
        expected = TicketSerializer(rows, many=True).data
    assert response.json()["results"] == [dict(r) for r in expected]
    body = JSONRenderer().render(response.json()["results"])
    assert body == JSONRenderer().render(expected)
    assert [t["solved_at"] is None for t in response.json()["results"]] == [False, True]
    assert [t["tags"] for t in response.json()["results"]] == [["a", "b"], []]
    assert [t["assignee"] for t in response.json()["results"]] == [alice.user.pk, None]
    assert [t["queue"] for t in response.json()["results"]] == [billing.pk, None]


def _serialized(ticket_pk, zone):
    """The ticket as TicketSerializer says it after reading it back, tags and all."""
    from django.utils import timezone
    from rest_framework.renderers import JSONRenderer

    from tickets.api.tickets import TicketSerializer

    ticket = Ticket.objects.with_list_columns().with_tags().get(pk=ticket_pk)
    with timezone.override(zone):
        return JSONRenderer().render(TicketSerializer(ticket).data)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Jerusalem"])
@pytest.mark.parametrize("who", ["bob", "sam"])
def test_api_create_answers_what_reading_the_ticket_back_says(
    api, acme, sam, bob, billing, zone, who, request
):
    """The new ticket is answered from the object in hand: the same JSON, byte for byte."""
    acme.time_zone = zone
    acme.save(update_fields=["time_zone"])
    api.force_authenticate(request.getfixturevalue(who).user)
    payload = {"subject": '  Quotes " <tags> ünï ', "description": "Hi", "priority": "urgent"}
    for extra in ({}, {"queue": billing.pk}):
        response = api.post("/api/v1/t/acme/tickets/", {**payload, **extra}, format="json")
        assert response.status_code == 201, response.json()
        assert response.content == _serialized(response.json()["id"], acme.zone)
        assert response.json()["subject"] == 'Quotes " <tags> ünï'
        assert response.json()["queue"] == extra.get("queue")
        assert response.json()["priority"] == ("urgent" if who == "sam" else "normal")


def test_api_create_with_tags_and_assignee_answers_them(api, acme, sam, alice, billing):
    api.force_authenticate(sam.user)
    response = api.post(
        "/api/v1/t/acme/tickets/",
        {
            "subject": "Tagged",
            "description": "Hi",
            "queue": billing.pk,
            "tags": ["b", "A"],
            "assignee": alice.user.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["tags"] == ["a", "b"]
    assert response.json()["assignee"] == alice.user.pk
    assert response.content == _serialized(response.json()["id"], acme.zone)


def test_api_create_still_refuses_another_tenants_queue_and_a_customer_as_assignee(
    api, sam, bob, billing, globex_queue
):
    api.force_authenticate(sam.user)
    url = "/api/v1/t/acme/tickets/"
    base = {"subject": "S", "description": "D"}
    response = api.post(url, {**base, "queue": globex_queue.pk}, format="json")
    assert response.status_code == 400 and "queue" in response.json()
    response = api.post(url, {**base, "assignee": bob.user.pk}, format="json")
    assert response.status_code == 400 and "assignee" in response.json()
    billing.is_public = False
    billing.save(update_fields=["is_public"])
    api.force_authenticate(bob.user)  # a customer picks among the portal's queues only
    response = api.post(url, {**base, "queue": billing.pk}, format="json")
    assert response.status_code == 400 and "queue" in response.json()
    assert not Ticket.objects.filter(subject="S").exists()


def test_api_create_costs_a_fixed_number_of_queries(api, acme, bob, billing):
    api.force_authenticate(bob.user)
    url = "/api/v1/t/acme/tickets/"
    api.post(url, {"subject": "warm", "description": "d"}, format="json")
    with CaptureQueriesContext(connection) as queries:
        response = api.post(url, {"subject": "S", "description": "D"}, format="json")
    assert response.status_code == 201
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    # The membership with its tenant, the lock, the highest number; nothing read back.
    assert len(reads) == 3, reads


def test_a_ticket_opened_by_api_says_so_and_its_channel_is_not_writable(api, bob, billing):
    api.force_authenticate(bob.user)
    made = api.post(
        "/api/v1/t/acme/tickets/",
        {"subject": "By API", "description": "x", "channel": "email"},
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["channel"] == "api"
    changed = api.patch(
        api_ticket_url(Ticket.objects.get(pk=made.json()["id"])),
        {"channel": "email"},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["channel"] == "api"
