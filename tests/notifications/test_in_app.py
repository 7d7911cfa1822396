"""In the app: a member's list, the unread count in the header, read on open, read all, the
API, and nobody else's notifications (another person's is a 404, an outsider finds nothing)."""

import pytest

from notifications.models import Notification, NotificationPreference
from tests.conftest import login_api
from tests.factories import make_ticket
from tickets.notifications import muted
from tickets.services import add_comment


@pytest.fixture
def acme_ticket(acme, bob, billing):
    with muted():
        return make_ticket(acme, bob.user, billing, subject="Charged twice")


@pytest.fixture
def customer_replied(acme_ticket, alice, bob, django_capture_on_commit_callbacks):
    """Bob answered twice; Alice (the queue's agent) has two unread notifications."""
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=acme_ticket, author=bob.user, body="Still charged twice.")
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(ticket=acme_ticket, author=bob.user, body="Hello?")
    return Notification.objects.filter(recipient=alice.user).order_by("created_at", "pk")


def test_the_list_shows_a_member_s_own_newest_first_with_the_unread_count(
    client, alice, customer_replied
):
    client.force_login(alice.user)
    page = client.get("/t/acme/notifications/").content.decode()
    assert page.count("Charged twice") >= 2
    first, second = customer_replied
    assert page.index(f"/t/acme/notifications/{second.pk}/") < page.index(
        f"/t/acme/notifications/{first.pk}/"
    )
    assert 'aria-label="2 unread">2</span>' in page  # the header's count


def test_opening_one_reads_it_and_goes_to_its_ticket(client, alice, acme_ticket, customer_replied):
    client.force_login(alice.user)
    first = customer_replied[0]
    response = client.get(f"/t/acme/notifications/{first.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/t/acme/tickets/{acme_ticket.number}/"
    first.refresh_from_db()
    assert first.read_at is not None
    page = client.get("/t/acme/notifications/").content.decode()
    assert 'aria-label="1 unread">1</span>' in page  # the count forgot its old value


def test_mark_all_read_is_a_post(client, alice, customer_replied):
    client.force_login(alice.user)
    assert client.get("/t/acme/notifications/read-all/").status_code == 405
    response = client.post("/t/acme/notifications/read-all/")
    assert response.status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "unread" not in client.get("/t/acme/notifications/").content.decode()


def test_someone_else_s_notification_is_a_404_and_stays_unread(
    client, olga, mallory, customer_replied
):
    first = customer_replied[0]
    client.force_login(olga.user)  # a colleague in the same helpdesk
    assert client.get(f"/t/acme/notifications/{first.pk}/").status_code == 404
    assert "Charged twice" not in client.get("/t/acme/notifications/").content.decode()
    client.force_login(mallory.user)  # an outsider
    assert client.get("/t/acme/notifications/").status_code == 404
    assert client.get(f"/t/acme/notifications/{first.pk}/").status_code == 404
    assert client.get("/t/globex/notifications/").status_code == 200  # her own: empty
    first.refresh_from_db()
    assert first.read_at is None


def test_the_api_lists_reads_one_and_reads_all(api, alice, olga, mallory, customer_replied):
    first, second = customer_replied
    response = login_api(api, alice).get("/api/v1/t/acme/notifications/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [second.pk, first.pk]
    assert response.json()["results"][0]["ticket_subject"] == "Charged twice"

    response = api.post(f"/api/v1/t/acme/notifications/{first.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    unread = api.get("/api/v1/t/acme/notifications/?unread=1").json()["results"]
    assert [row["id"] for row in unread] == [second.pk]
    assert api.post("/api/v1/t/acme/notifications/read-all/").json() == {"marked": 1}

    login_api(api, olga)
    assert api.post(f"/api/v1/t/acme/notifications/{second.pk}/read/").status_code == 404
    login_api(api, mallory)
    assert api.get("/api/v1/t/acme/notifications/").status_code == 404


def test_a_person_sets_how_they_are_told(client, alice, bob):
    client.force_login(alice.user)
    page = client.get("/t/acme/notifications/settings/")
    assert page.status_code == 200
    assert page.context["form"].initial["customer_reply"] == "both"
    choices = {kind: "email" for kind in page.context["form"].fields}
    choices["mentioned"] = "in_app"
    assert client.post("/t/acme/notifications/settings/", choices).status_code == 302
    kept = dict(NotificationPreference.objects.values_list("kind", "channel"))
    assert kept["mentioned"] == "in_app" and kept["customer_reply"] == "email"
    assert set(NotificationPreference.objects.values_list("user_id", flat=True)) == {alice.user.pk}
    response = client.post("/t/acme/notifications/settings/", {"mentioned": "carrier pigeon"})
    assert response.status_code == 400
    assert NotificationPreference.objects.get(kind="mentioned").channel == "in_app"
