"""A ticket's files through the API: tickets/<id>/attachments/, an extension of API.md.

Same limits and storage as the portal's uploads, and the same rule for who gets a file:
whoever may see the ticket, except that an internal note's files never reach a customer.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tickets.models import Attachment, Comment
from tickets.services import add_comment, attach_file, change_status

from .conftest import api_ticket_url


def _file(name="log.txt", data=b"hello", content_type="text/plain"):
    return SimpleUploadedFile(name, data, content_type)


def upload(api, ticket, **fields):
    return api.post(api_ticket_url(ticket, "attachments/"), fields, format="multipart")


def _download(api, url, **headers):
    response = api.get(url, **headers)
    return response.status_code, b"".join(response.streaming_content)


def test_requester_sends_two_files_with_a_reply_and_the_agent_downloads_them(
    api, alice, bob, acme_ticket
):
    api.force_authenticate(bob.user)
    response = upload(
        api,
        acme_ticket,
        files=[_file("a.txt", b"first"), _file("b.png", b"\x89PNG", "image/png")],
        body="Both invoices attached.",
    )
    assert response.status_code == 201, response.json()
    added = response.json()
    comment = Comment.objects.get()
    assert comment.body == "Both invoices attached." and comment.is_public
    assert added["comment"] == comment.pk
    assert [a["filename"] for a in added["attachments"]] == ["a.txt", "b.png"]
    assert set(added["attachments"][0]) == {
        "id",
        "filename",
        "content_type",
        "size",
        "comment",
        "uploaded_by",
        "created_at",
        "download_url",
    }
    assert Attachment.objects.filter(comment=comment, uploaded_by=bob.user).count() == 2

    api.force_authenticate(alice.user)
    listing = api.get(api_ticket_url(acme_ticket, "attachments/")).json()
    assert listing["count"] == 2
    first = listing["results"][0]
    assert (first["content_type"], first["size"], first["comment"]) == ("text/plain", 5, comment.pk)
    detail = api.get(api_ticket_url(acme_ticket, f"attachments/{first['id']}/")).json()
    assert detail == first
    assert detail["download_url"].startswith("http://testserver/api/v1/t/acme/tickets/")
    assert _download(api, detail["download_url"]) == (200, b"first")


def test_a_download_answers_whatever_the_client_accepts(api, bob, acme_ticket):
    found = attach_file(ticket=acme_ticket, upload=_file(), by=bob.user)
    api.force_authenticate(bob.user)
    url = api_ticket_url(acme_ticket, f"attachments/{found.pk}/download/")
    for accept in ("application/octet-stream", "application/json", "*/*"):
        response = api.get(url, HTTP_ACCEPT=accept)
        assert response.status_code == 200, accept
        assert "attachment" in response["Content-Disposition"]
        assert "sandbox" in response["Content-Security-Policy"]


def test_requester_adds_files_to_the_request_itself_others_must_name_a_comment(
    api, alice, bob, acme_ticket
):
    api.force_authenticate(bob.user)
    response = upload(api, acme_ticket, files=[_file()])
    assert response.status_code == 201
    assert response.json()["comment"] is None
    assert Attachment.objects.get().comment is None

    api.force_authenticate(alice.user)
    response = upload(api, acme_ticket, files=[_file("agent.txt")])
    assert response.status_code == 400
    assert "comment" in response.json()
    assert Attachment.objects.count() == 1


def test_files_join_only_the_callers_own_comment(api, alice, bob, acme_ticket):
    bobs = add_comment(ticket=acme_ticket, author=bob.user, body="See the file")
    alices = add_comment(ticket=acme_ticket, author=alice.user, body="Thanks")
    api.force_authenticate(bob.user)
    response = upload(api, acme_ticket, files=[_file()], comment=bobs.pk)
    assert response.status_code == 201 and response.json()["comment"] == bobs.pk
    response = upload(api, acme_ticket, files=[_file()], comment=alices.pk)
    assert response.status_code == 400 and "comment" in response.json()
    response = upload(api, acme_ticket, files=[_file()], comment=bobs.pk, body="Both?")
    assert response.status_code == 400
    assert list(Attachment.objects.values_list("comment_id", flat=True)) == [bobs.pk]


def test_an_internal_notes_files_never_reach_the_customer(api, alice, bob, acme_ticket):
    api.force_authenticate(alice.user)
    response = upload(
        api, acme_ticket, files=[_file("internal.txt", b"secret")], body="Log", public="false"
    )
    assert response.status_code == 201
    note_file = Attachment.objects.get()
    assert note_file.comment.is_public is False
    public_file = attach_file(ticket=acme_ticket, upload=_file("public.txt"), by=bob.user)

    api.force_authenticate(bob.user)
    listing = api.get(api_ticket_url(acme_ticket, "attachments/")).json()
    assert [a["filename"] for a in listing["results"]] == ["public.txt"]
    assert api.get(api_ticket_url(acme_ticket, f"attachments/{note_file.pk}/")).status_code == 404
    url = api_ticket_url(acme_ticket, f"attachments/{note_file.pk}/download/")
    assert api.get(url).status_code == 404
    # Nor may a customer write an internal note to carry files.
    response = upload(api, acme_ticket, files=[_file()], body="x", public="false")
    assert response.status_code == 403

    api.force_authenticate(alice.user)
    listing = api.get(api_ticket_url(acme_ticket, "attachments/")).json()
    assert {a["id"] for a in listing["results"]} == {note_file.pk, public_file.pk}
    assert _download(api, url) == (200, b"secret")


def test_too_big_wrong_type_or_no_file_is_a_400_saying_so(api, settings, bob, acme_ticket):
    api.force_authenticate(bob.user)
    settings.ATTACHMENT_MAX_BYTES = 4
    response = upload(api, acme_ticket, files=[_file()], body="Too big")
    assert response.status_code == 400
    assert "too big" in response.json()["files"][0]

    settings.ATTACHMENT_MAX_BYTES = 1000
    response = upload(
        api, acme_ticket, files=[_file("x.exe", b"MZ", "application/x-msdownload")], body="Exe"
    )
    assert response.status_code == 400
    assert "does not accept" in response.json()["files"][0]

    # One refused file refuses them all: nothing is stored, no comment is written.
    response = upload(
        api, acme_ticket, files=[_file(), _file("y.exe", b"MZ", "application/x-msdownload")]
    )
    assert response.status_code == 400

    response = upload(api, acme_ticket, body="Forgot the file")
    assert response.status_code == 400 and "files" in response.json()
    response = api.post(api_ticket_url(acme_ticket, "attachments/"), {"body": "JSON, no file"})
    assert response.status_code == 400 and "files" in response.json()
    assert not Attachment.objects.exists() and not Comment.objects.exists()


def test_a_closed_ticket_takes_no_files(api, alice, bob, acme_ticket):
    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    change_status(ticket=acme_ticket, to="closed", by=None)
    api.force_authenticate(bob.user)
    for fields in ({}, {"body": "One more"}):
        response = upload(api, acme_ticket, files=[_file()], **fields)
        assert response.status_code == 409
        assert "closed" in response.json()["detail"]
    assert not Attachment.objects.exists() and not Comment.objects.exists()


def test_a_file_sent_with_a_reply_hands_a_pending_ticket_back(api, alice, bob, acme_ticket):
    change_status(ticket=acme_ticket, to="pending", by=alice.user)
    api.force_authenticate(bob.user)
    response = upload(api, acme_ticket, files=[_file()], body="The log you asked for")
    assert response.status_code == 201
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "open"


@pytest.mark.parametrize("before", ["pending", "solved"])
def test_files_alone_from_the_requester_hand_the_ticket_back_too(
    api, alice, bob, acme_ticket, before
):
    """To the request itself, or to one of their public replies: the helpdesk has news."""
    if before == "solved":
        change_status(ticket=acme_ticket, to="open", by=alice.user)
    change_status(ticket=acme_ticket, to=before, by=alice.user)
    api.force_authenticate(bob.user)
    assert upload(api, acme_ticket, files=[_file()]).status_code == 201
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "open"
    moved = acme_ticket.events.filter(kind="status").latest("pk")
    assert (moved.old_value, moved.new_value, moved.actor) == (before, "open", bob.user)

    reply = Comment.objects.get(
        pk=upload(api, acme_ticket, files=[_file()], body="Hi").json()["comment"]
    )
    change_status(ticket=acme_ticket, to=before, by=alice.user)
    assert upload(api, acme_ticket, files=[_file("late.txt")], comment=reply.pk).status_code == 201
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "open"


def test_staff_files_leave_a_pending_ticket_waiting(api, alice, acme_ticket):
    change_status(ticket=acme_ticket, to="pending", by=alice.user)
    note = add_comment(ticket=acme_ticket, author=alice.user, body="Asked for logs")
    attach_file(ticket=acme_ticket, upload=_file(), by=alice.user, comment=note)
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == "pending"


@pytest.mark.parametrize("who", ["olga", "carol"])
def test_who_cannot_see_the_ticket_gets_404_everywhere(api, bob, acme_ticket, who, request):
    found = attach_file(ticket=acme_ticket, upload=_file(), by=bob.user)
    api.force_authenticate(request.getfixturevalue(who).user)
    for suffix in ("attachments/", f"attachments/{found.pk}/", f"attachments/{found.pk}/download/"):
        assert api.get(api_ticket_url(acme_ticket, suffix)).status_code == 404, suffix
    assert upload(api, acme_ticket, files=[_file()], body="x").status_code == 404
    assert Attachment.objects.count() == 1


def test_another_tenants_ticket_or_file_is_404(api, ada, bob, acme_ticket, globex_ticket, mallory):
    globex_file = attach_file(ticket=globex_ticket, upload=_file("g.txt"), by=mallory.user)
    api.force_authenticate(ada.user)
    base = f"/api/v1/t/acme/tickets/{globex_ticket.pk}/"
    assert api.get(base + "attachments/").status_code == 404
    assert api.get(base + f"attachments/{globex_file.pk}/download/").status_code == 404
    response = api.post(base + "attachments/", {"files": [_file()]}, format="multipart")
    assert response.status_code == 404
    # Nor through a ticket of her own helpdesk: the file is not among its files.
    url = api_ticket_url(acme_ticket, f"attachments/{globex_file.pk}/")
    assert api.get(url).status_code == 404
    assert api.get(url + "download/").status_code == 404
    # A member of another helpdesk finds nothing at its door.
    api.force_authenticate(mallory.user)
    assert api.get(api_ticket_url(acme_ticket, "attachments/")).status_code == 404


def test_listing_files_costs_the_same_queries_for_any_number(
    api, bob, acme_ticket, django_assert_num_queries
):
    api.force_authenticate(bob.user)
    url = api_ticket_url(acme_ticket, "attachments/")
    api.get(url)  # the first request of a while also stamps last_seen_at
    attach_file(ticket=acme_ticket, upload=_file(), by=bob.user)
    # The membership with its tenant, the ticket, then the page's count and rows.
    with django_assert_num_queries(4):
        assert api.get(url).json()["count"] == 1
    for n in range(5):
        attach_file(ticket=acme_ticket, upload=_file(f"{n}.txt"), by=bob.user)
    with django_assert_num_queries(4):
        assert api.get(url).json()["count"] == 6


def test_the_files_endpoints_are_in_the_served_schema(api):
    schema = api.get("/api/v1/schema/").content.decode()
    for path in (
        "/api/v1/t/{slug}/tickets/{id}/attachments/:",
        "/api/v1/t/{slug}/tickets/{id}/attachments/{attachment_id}/:",
        "/api/v1/t/{slug}/tickets/{id}/attachments/{attachment_id}/download/:",
    ):
        assert path in schema, path
    assert "multipart/form-data" in schema and "format: binary" in schema
