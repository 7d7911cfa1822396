"""Managing queues and who works them, through grant_queue/revoke_queue."""

from tickets.models import Queue, QueueGrant


def test_supervisor_creates_a_queue_with_agents_and_edits_it(client, sam, alice, olga, billing):
    client.force_login(sam.user)
    assert "Billing" in client.get("/t/acme/queues/").content.decode()
    client.post(
        "/t/acme/queues/",
        {"name": "Technical", "description": "Bugs", "is_public": "on", "agents": [olga.user.pk]},
    )
    technical = Queue.objects.get(name="Technical")
    assert list(QueueGrant.objects.filter(queue=technical).values_list("user", flat=True)) == [
        olga.user.pk
    ]
    client.post(
        f"/t/acme/queues/{billing.pk}/",
        {"name": "Billing & refunds", "description": "", "agents": [olga.user.pk]},
    )
    billing.refresh_from_db()
    assert billing.name == "Billing & refunds" and billing.is_public is False
    assert not QueueGrant.objects.filter(queue=billing, user=alice.user).exists()


def test_agents_and_customers_cannot_manage_queues(client, alice, bob, billing):
    for member in (alice, bob):
        client.force_login(member.user)
        assert client.get("/t/acme/queues/").status_code == 403
        client.post(f"/t/acme/queues/{billing.pk}/", {"name": "Hacked"})
    billing.refresh_from_db()
    assert billing.name == "Billing"


def test_duplicate_queue_name_is_a_form_error(client, sam, billing):
    client.force_login(sam.user)
    response = client.post("/t/acme/queues/", {"name": "billing"})
    assert "already a queue" in response.content.decode()
    assert Queue.objects.count() == 1
