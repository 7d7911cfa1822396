"""Good rated comments reach the agent who earned them; supervisors thank; weekly wins."""

from datetime import timedelta

import pytest
from django.utils import timezone

from knowledge.models import ThankYouNote
from knowledge.services import send_monthly_digest, send_weekly_wins, thank_agent
from knowledge.tasks import send_monthly_digests_task, send_weekly_wins_task
from tickets.services import assign_ticket, change_status, rate_ticket

from ..factories import make_ticket

pytestmark = pytest.mark.django_db


def rated(acme, bob, agent, score, comment, subject="Charged twice", at=None):
    ticket = make_ticket(acme, bob.user, subject=subject)
    assign_ticket(ticket=ticket, assignee=agent.user, by=agent.user)
    change_status(ticket=ticket, to="solved", by=agent.user)
    ticket.refresh_from_db()
    return rate_ticket(ticket=ticket, score=score, comment=comment, by=bob.user, at=at)


def test_agent_sees_own_good_comments_only(client, acme, alice, olga, bob):
    rated(acme, bob, alice, 5, "Alice was brilliant")
    rated(acme, bob, alice, 2, "Slow answer")
    rated(acme, bob, alice, 5, "")
    rated(acme, bob, olga, 5, "Olga saved my day")
    client.force_login(alice.user)
    page = client.get("/t/acme/kudos/").content.decode()
    assert "Alice was brilliant" in page
    assert "Slow answer" not in page
    assert "Olga saved my day" not in page


def test_supervisor_thanks_an_agent_who_sees_the_note(client, sam, alice, bob):
    client.force_login(sam.user)
    response = client.post("/t/acme/kudos/thank/", {"agent": alice.pk, "message": "Well done!"})
    assert response.status_code == 302
    client.force_login(alice.user)
    assert "Well done!" in client.get("/t/acme/kudos/").content.decode()
    client.force_login(bob.user)
    assert client.get("/t/acme/kudos/").status_code == 403


def test_agents_cannot_thank_and_customers_cannot_be_thanked(client, alice, olga, sam, bob):
    client.force_login(alice.user)
    assert (
        client.post("/t/acme/kudos/thank/", {"agent": olga.pk, "message": "x"}).status_code == 403
    )
    client.force_login(sam.user)
    client.post("/t/acme/kudos/thank/", {"agent": bob.pk, "message": "x"})
    assert not ThankYouNote.objects.exists()


def test_kudos_api(api, acme, alice, sam, bob):
    rated(acme, bob, alice, 4, "Good job")
    thank_agent(by=sam, agent=alice, message="Thanks!")
    api.force_authenticate(alice.user)
    assert [k["comment"] for k in api.get("/api/v1/t/acme/kudos/").json()["results"]] == [
        "Good job"
    ]
    assert [n["message"] for n in api.get("/api/v1/t/acme/kudos/notes/").json()["results"]] == [
        "Thanks!"
    ]
    api.force_authenticate(sam.user)
    response = api.post("/api/v1/t/acme/kudos/notes/", {"agent": bob.pk, "message": "x"})
    assert response.status_code == 400
    assert "agent" in response.json()


def test_weekly_wins_go_to_the_team_once(acme, alice, sam, bob, mailoutbox):
    last_week = timezone.now() - timedelta(days=7)
    rated(acme, bob, alice, 5, "Lightning fast", at=last_week)
    note = thank_agent(by=sam, agent=alice, message="Great week")
    ThankYouNote.objects.filter(pk=note.pk).update(created_at=last_week)

    send_weekly_wins_task.delay()
    send_weekly_wins_task.delay()

    assert len(mailoutbox) == 1
    assert "Lightning fast" in mailoutbox[0].body and "Great week" in mailoutbox[0].body
    assert "bob@acme.test" not in mailoutbox[0].to
    assert send_weekly_wins(tenant=acme) is False


def test_monthly_digest_once_per_month(acme, ada, alice, bob, public_article, mailoutbox):
    today = timezone.localdate()
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    assert send_monthly_digest(tenant=acme, today=next_month) is True
    assert send_monthly_digest(tenant=acme, today=next_month) is False
    body = mailoutbox[0].body
    assert "Refund basics" in body  # the month's new article
    assert "Alice Agent" in body  # a new person
    assert "bob@acme.test" not in mailoutbox[0].to  # staff only
    send_monthly_digests_task.delay()  # this month's run covers last month: a different period
