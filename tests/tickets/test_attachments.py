"""Attachments: stored through the storage API, limited, and served only to who may see."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tickets.models import Attachment
from tickets.services import AttachmentRefused, add_comment, attach_file

from .conftest import ticket_url


def _file(name="log.txt", data=b"hello", content_type="text/plain"):
    return SimpleUploadedFile(name, data, content_type)


def test_requester_and_agent_download_a_ticket_file(client, alice, bob, olga, acme_ticket):
    attachment = attach_file(ticket=acme_ticket, upload=_file(), by=bob.user)
    url = f"/t/acme/attachments/{attachment.pk}/"
    for member in (bob, alice):
        client.force_login(member.user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"hello"
        assert "attachment" in response["Content-Disposition"]
    client.force_login(olga.user)  # does not work Billing
    assert client.get(url).status_code == 404


def test_an_internal_notes_file_never_reaches_the_customer(client, alice, bob, acme_ticket):
    note = add_comment(ticket=acme_ticket, author=alice.user, body="see log", is_public=False)
    attachment = attach_file(
        ticket=acme_ticket, upload=_file("internal.txt"), by=alice.user, comment=note
    )
    client.force_login(bob.user)
    assert client.get(f"/t/acme/attachments/{attachment.pk}/").status_code == 404
    assert "internal.txt" not in client.get(ticket_url(acme_ticket)).content.decode()
    client.force_login(alice.user)
    assert client.get(f"/t/acme/attachments/{attachment.pk}/").status_code == 200


def test_size_and_type_limits(settings, bob, acme_ticket):
    settings.ATTACHMENT_MAX_BYTES = 4
    with pytest.raises(AttachmentRefused, match="too big"):
        attach_file(ticket=acme_ticket, upload=_file(), by=bob.user)
    settings.ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(AttachmentRefused, match="does not accept"):
        attach_file(
            ticket=acme_ticket,
            upload=_file("x.exe", b"MZ", "application/x-msdownload"),
            by=bob.user,
        )
    assert not Attachment.objects.exists()


def test_refused_file_in_the_portal_keeps_the_typed_request(client, settings, bob):
    settings.ATTACHMENT_MAX_BYTES = 3
    client.force_login(bob.user)
    response = client.post(
        "/t/acme/portal/new/",
        {"subject": "Keep me", "description": "All this text", "attachments": _file()},
    )
    page = response.content.decode()
    assert "too big" in page and "Keep me" in page and "All this text" in page


def test_a_file_goes_with_its_uploaders_own_words_and_never_onto_a_closed_ticket(
    alice, bob, acme_ticket
):
    from tickets.services import TicketClosed, change_status

    alices = add_comment(ticket=acme_ticket, author=alice.user, body="Refund sent")
    with pytest.raises(AttachmentRefused, match="your own comments"):
        attach_file(ticket=acme_ticket, upload=_file(), by=bob.user, comment=alices)
    with pytest.raises(AttachmentRefused, match="Only the requester"):
        attach_file(ticket=acme_ticket, upload=_file(), by=alice.user)
    attach_file(ticket=acme_ticket, upload=_file(), by=alice.user, comment=alices)
    attach_file(ticket=acme_ticket, upload=_file(), by=bob.user)

    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    change_status(ticket=acme_ticket, to="closed", by=None)
    with pytest.raises(TicketClosed):
        attach_file(ticket=acme_ticket, upload=_file(), by=bob.user)
    assert Attachment.objects.count() == 2
