"""A queue's assignment is set on the queue page and through the queues API."""

from accounts.models import AuditEntry
from tests.factories import make_ticket
from tickets.models import Queue

API = "/api/v1/t/acme/queues/"


def test_the_queue_page_sets_round_robin_and_it_is_audited(client, acme, sam, alice, billing, bob):
    client.force_login(sam.user)
    url = f"/t/{acme.slug}/queues/{billing.pk}/"
    assert 'name="assignment"' in client.get(url).content.decode()

    response = client.post(
        url,
        {"name": "Billing", "assignment": "round_robin", "agents": [alice.user_id]},
    )

    assert response.status_code == 302
    billing.refresh_from_db()
    assert billing.assignment == Queue.Assignment.ROUND_ROBIN
    entry = AuditEntry.objects.filter(action="queue.changed").latest("pk")
    assert (entry.before["assignment"], entry.after["assignment"]) == ("manual", "round_robin")
    assert make_ticket(acme, bob.user, billing).assignee == alice.user
    listing = client.get(f"/t/{acme.slug}/queues/").content.decode()
    assert "Round robin" in listing


def test_an_unknown_assignment_is_a_form_error(client, acme, sam, billing):
    client.force_login(sam.user)
    response = client.post(f"/t/{acme.slug}/queues/{billing.pk}/", {"name": "B", "assignment": "x"})
    assert response.status_code == 200
    billing.refresh_from_db()
    assert (billing.name, billing.assignment) == ("Billing", "manual")


def test_the_api_reads_and_writes_the_assignment(api, acme, sam, alice, billing, bob):
    api.force_authenticate(sam.user)
    listed = api.get(API).json()["results"]
    assert listed[0]["assignment"] == "manual"

    created = api.post(
        API,
        {"name": "Sales", "assignment": "least_loaded", "agents": [alice.user_id]},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["assignment"] == "least_loaded"
    changed = api.patch(f"{API}{billing.pk}/", {"assignment": "round_robin"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["assignment"] == "round_robin"
    refused = api.patch(f"{API}{billing.pk}/", {"assignment": "lottery"}, format="json")
    assert refused.status_code == 400
    assert "assignment" in refused.json()
    sales = Queue.objects.get(name="Sales")
    assert make_ticket(acme, bob.user, sales).assignee == alice.user


def test_an_agent_cannot_change_the_assignment(api, acme, alice, billing):
    api.force_authenticate(alice.user)
    response = api.patch(f"{API}{billing.pk}/", {"assignment": "round_robin"}, format="json")
    assert response.status_code == 403
    billing.refresh_from_db()
    assert billing.assignment == "manual"
