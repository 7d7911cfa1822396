"""E-mails: who is told what, never an internal note, each once; the rating confirm page."""

import re

from tickets.models import NotificationTemplate, Rating, TicketEvent
from tickets.notifications import send_event_notification
from tickets.services import (
    add_comment,
    assign_ticket,
    change_status,
    save_notification_template,
)

from .conftest import ticket_url


def test_requester_is_told_of_a_public_reply_but_never_of_a_note(
    alice, bob, acme_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=acme_ticket, author=alice.user, body="NOTE-TEXT", is_public=False)
        add_comment(ticket=acme_ticket, author=alice.user, body="We refunded you.")
        add_comment(ticket=acme_ticket, author=bob.user, body="Thanks!")  # no mail to oneself

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
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
    assert send_event_notification(event_id=event.pk) is False
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
    assert mail.body == "Dear Bob Buyer: Done. {{ nonsense }}"


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
    client.post(
        "/t/acme/settings/notifications/",
        {"kind": "solved", "subject": "Done: {{ subject }}", "body": "Rate: {{ rating_links }}"},
    )
    assert NotificationTemplate.objects.get().subject == "Done: {{ subject }}"
    client.post("/t/acme/settings/notifications/", {"kind": "solved", "reset": "1"})
    assert not NotificationTemplate.objects.exists()


def test_wording_with_a_placeholder_no_e_mail_fills_is_refused_and_kept(client, ada, acme):
    client.force_login(ada.user)
    response = client.post(
        "/t/acme/settings/notifications/",
        {"kind": "solved", "subject": "Hi {{ number }} {{ bogus }}", "body": "Done {% if %}"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Not something an e-mail can fill in: bogus." in page
    assert "Not something an e-mail can fill in: {%, %}." in page
    assert "Hi {{ number }} {{ bogus }}" in page  # what was typed stays in the form
    assert not NotificationTemplate.objects.exists()
