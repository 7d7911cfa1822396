"""The absence pages: one's own "I'm away", a supervisor's for someone, the directory."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Absence, AuditEntry
from tests.factories import make_ticket
from tickets.models import Ticket


def page(slug, suffix=""):
    return f"/t/{slug}/people/{suffix}"


def day(n):
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def test_an_agent_says_they_are_away_and_the_directory_shows_the_cover(
    client, acme, alice, olga, bob, billing
):
    ticket = make_ticket(acme, bob.user, billing)
    ticket.assignee = alice.user
    ticket.save()
    client.force_login(alice.user)

    response = client.post(
        page(acme.slug, "away/"),
        {"starts": day(0), "ends": day(3), "substitute": olga.pk, "hands_over": "on"},
    )

    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.member, absence.substitute, absence.created_by) == (alice, olga, alice.user)
    assert AuditEntry.objects.filter(action="absence.set", actor=alice.user).exists()
    ticket.refresh_from_db()
    assert ticket.assignee == olga.user  # handed over at once: the absence has begun
    body = client.get(page(acme.slug)).content.decode()
    assert "away until" in body and "covered by Olga Other" in body
    timeline = client.get(f"/t/{acme.slug}/tickets/{ticket.number}/").content.decode()
    assert "handed it to Olga Other while Alice Agent is away" in timeline


def test_bad_dates_are_a_form_error(client, acme, alice, olga):
    client.force_login(alice.user)
    response = client.post(page(acme.slug, "away/"), {"starts": day(3), "ends": day(1)})
    assert response.status_code == 200
    assert "cannot be before the first" in response.content.decode()
    response = client.post(page(acme.slug, "away/"), {"starts": "soon", "ends": "\x01"})
    assert response.status_code in (200, 400)
    assert not Absence.objects.exists()


def test_a_supervisor_sets_someones_absence_an_agent_cannot(client, acme, sam, alice, olga):
    client.force_login(olga.user)
    url = page(acme.slug, f"{alice.user_id}/away/")
    response = client.post(url, {"starts": day(1), "ends": day(2)})
    assert response.status_code == 403
    assert not Absence.objects.exists()

    client.force_login(sam.user)
    person = client.get(page(acme.slug, f"{alice.user_id}/")).content.decode()
    assert url in person
    response = client.post(url, {"starts": day(1), "ends": day(2), "substitute": olga.pk})
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert absence.created_by == sam.user
    person = client.get(page(acme.slug, f"{alice.user_id}/")).content.decode()
    assert "covered by Olga Other" in person

    response = client.post(page(acme.slug, f"{alice.user_id}/away/{absence.pk}/withdraw/"))
    assert response.status_code == 302
    assert not Absence.objects.exists()
    assert AuditEntry.objects.filter(action="absence.cancelled", actor=sam.user).exists()


def test_a_customer_has_no_away_page(client, acme, bob):
    client.force_login(bob.user)
    assert client.get(page(acme.slug, "away/")).status_code == 403


def test_the_return_hands_back_through_the_job(client, acme, alice, olga, bob, billing):
    from tickets.services import cover_absences

    ticket = make_ticket(acme, bob.user, billing)
    ticket.assignee = alice.user
    ticket.save()
    client.force_login(alice.user)
    client.post(
        page(acme.slug, "away/"),
        {"starts": day(0), "ends": day(0), "substitute": olga.pk, "hands_over": "on"},
    )
    assert Ticket.objects.get(pk=ticket.pk).assignee == olga.user
    cover_absences(now=timezone.now() + timedelta(days=1))
    assert Ticket.objects.get(pk=ticket.pk).assignee == alice.user
