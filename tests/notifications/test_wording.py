"""E-mails: their wording (the tenant's, per language), never an internal note, each once;
the rating confirm page."""

import re

import pytest

from notifications.services import notify_event
from tests.factories import make_ticket
from tickets.models import NotificationTemplate, Rating, TicketEvent
from tickets.notifications import muted
from tickets.services import (
    add_comment,
    assign_ticket,
    change_status,
    save_notification_template,
)

from ..tickets.conftest import ticket_url


@pytest.fixture
def acme_ticket(acme, bob, billing):
    """Bob's request, opened without telling anyone: these stories begin after it."""
    with muted():
        return make_ticket(acme, bob.user, billing, subject="Charged twice")


def test_requester_is_told_of_a_public_reply_but_never_of_a_note(
    alice, bob, acme_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=acme_ticket, author=alice.user, body="NOTE-TEXT", is_public=False)
        add_comment(ticket=acme_ticket, author=alice.user, body="We refunded you.")
        add_comment(ticket=acme_ticket, author=bob.user, body="Thanks!")  # no mail to oneself

    (mail,) = [m for m in mailoutbox if m.to == ["bob@acme.test"]]
    assert mail.to == ["bob@acme.test"]
    assert f"#{acme_ticket.number}" in mail.subject
    assert "We refunded you." in mail.body and "Alice Agent" in mail.body
    assert "NOTE-TEXT" not in mail.body and "alice@acme.test" not in mail.body
    assert ticket_url(acme_ticket) in mail.body


def test_solve_mail_links_to_the_rating_confirm_page(
    alice, acme_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    add_comment(ticket=acme_ticket, author=alice.user, body="NOTE-TEXT", is_public=False)
    with django_capture_on_commit_callbacks(execute=True):
        change_status(ticket=acme_ticket, to="solved", by=alice.user)
    (mail,) = mailoutbox
    assert "solved" in mail.subject.lower()
    for score in range(1, 6):  # signed links: see test_rating_links.py
        assert re.search(rf"{ticket_url(acme_ticket, 'rate/')}[\w:-]+/\?score={score}", mail.body)
    assert "NOTE-TEXT" not in mail.body


def test_assignee_is_told_unless_they_took_it_themselves(
    alice, sam, acme_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assign_ticket(ticket=acme_ticket, assignee=alice.user, by=alice.user)
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assign_ticket(ticket=acme_ticket, assignee=sam.user, by=alice.user)
    (mail,) = mailoutbox
    assert mail.to == ["sam@acme.test"] and "assigned to you" in mail.subject.lower()


def test_the_task_is_idempotent(alice, acme_ticket, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=acme_ticket, author=alice.user, body="Hello")
    event = TicketEvent.objects.get(kind="reply")
    assert event.notified_at is not None
    assert notify_event(event_id=event.pk) == 0
    assert len(mailoutbox) == 1


def test_tenant_wording_is_used(
    acme, ada, alice, acme_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    save_notification_template(
        tenant=acme,
        kind="reply",
        subject="Acme says: {{ subject }}",
        body="Dear {{ requester_name }}: {{ reply }} {{ nonsense }}",
        by=ada.user,
    )
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=acme_ticket, author=alice.user, body="Done.")
    (mail,) = mailoutbox
    assert mail.subject == "Acme says: Charged twice"
    assert mail.body.startswith("Dear Bob Buyer: Done. {{ nonsense }}\n")


def test_following_a_rating_link_does_not_rate_confirming_does(client, alice, bob, acme_ticket):
    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    client.force_login(bob.user)
    response = client.get(ticket_url(acme_ticket, "rate/") + "?score=2")
    assert response.context["form"].initial["score"] == 2
    assert "Confirm my rating" in response.content.decode()
    assert not Rating.objects.exists()  # a mail scanner's GET changes nothing
    response = client.post(ticket_url(acme_ticket, "rate/"), {"score": "2", "comment": "meh"})
    assert response.status_code == 302
    assert Rating.objects.get().score == 2


def test_only_the_requester_may_use_the_rating_page(client, acme, alice, carol, acme_ticket):
    acme.customers_see_organization_tickets = True
    acme.save()
    change_status(ticket=acme_ticket, to="solved", by=alice.user)
    client.force_login(carol.user)
    assert client.post(ticket_url(acme_ticket, "rate/"), {"score": "1"}).status_code == 404
    assert not Rating.objects.exists()


def test_notification_settings_page_edits_and_resets_wording(client, ada, alice, acme):
    client.force_login(alice.user)
    assert client.get("/t/acme/settings/notifications/").status_code == 403
    client.force_login(ada.user)
    page = client.get("/t/acme/settings/notifications/").content.decode()
    assert "{{ rating_links }}" in page  # the default solved wording
    assert "{{ reason }}" in page  # the new kinds are worded here too
    client.post(
        "/t/acme/settings/notifications/",
        {
            "kind": "solved",
            "language": "en",
            "subject": "Done: {{ subject }}",
            "body": "Rate: {{ rating_links }}",
        },
    )
    assert NotificationTemplate.objects.get().subject == "Done: {{ subject }}"
    client.post(
        "/t/acme/settings/notifications/", {"kind": "solved", "language": "en", "reset": "1"}
    )
    assert not NotificationTemplate.objects.exists()


def test_wording_with_a_placeholder_no_e_mail_fills_is_refused_and_kept(client, ada, acme):
    client.force_login(ada.user)
    response = client.post(
        "/t/acme/settings/notifications/",
        {
            "kind": "solved",
            "language": "en",
            "subject": "Hi {{ number }} {{ bogus }}",
            "body": "Done {% if %}",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Not something an e-mail can fill in: bogus." in page
    assert "Not something an e-mail can fill in: {%, %}." in page
    assert "Hi {{ number }} {{ bogus }}" in page  # what was typed stays in the form
    assert not NotificationTemplate.objects.exists()


def test_wording_is_kept_per_language_and_each_reader_gets_their_own(
    client,
    acme,
    ada,
    alice,
    bob,
    carol,
    acme_ticket,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(ada.user)
    page = client.get("/t/acme/settings/notifications/?language=he")
    assert page.status_code == 200
    client.post(
        "/t/acme/settings/notifications/?language=he",
        {"kind": "reply", "language": "he", "subject": "תשובה: {{ subject }}", "body": "שלום"},
    )
    assert client.get("/t/acme/settings/notifications/?language=xx").status_code == 404
    (hebrew,) = NotificationTemplate.objects.all()
    assert hebrew.language == "he"

    bob.user.language = "he"
    bob.user.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=acme_ticket, author=alice.user, body="Done.")
    (mail,) = mailoutbox
    assert mail.subject == "תשובה: Charged twice"
    assert mail.body.startswith("שלום")


def test_a_tenant_s_wording_is_never_html_in_the_html_part(
    acme, ada, alice, acme_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    save_notification_template(
        tenant=acme,
        kind="reply",
        subject="Re {{ subject }}",
        body='<img src="https://evil.example/x.png">\n{{ reply }}',
        by=ada.user,
    )
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=acme_ticket, author=alice.user, body="<script>alert(1)</script>")
    (mail,) = mailoutbox
    html = mail.alternatives[0][0]
    assert "<img" not in html and "&lt;img" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
