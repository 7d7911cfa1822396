"""A supervisor sets how many open tickets automatic assignment gives a person."""

from accounts.models import AuditEntry


def url(acme, member):
    return f"/t/{acme.slug}/people/{member.user_id}/capacity/"


def test_a_supervisor_sets_a_capacity_and_it_is_audited(client, acme, sam, alice):
    client.force_login(sam.user)
    assert (
        'name="capacity"' in client.get(f"/t/{acme.slug}/people/{alice.user_id}/").content.decode()
    )

    assert client.post(url(acme, alice), {"capacity": "3"}).status_code == 302
    alice.refresh_from_db()
    assert alice.capacity == 3
    entry = AuditEntry.objects.get(action="membership.capacity_changed")
    assert (entry.before, entry.after) == ({"capacity": None}, {"capacity": 3})
    page = client.get(f"/t/{acme.slug}/people/{alice.user_id}/").content.decode()
    assert "at most 3 open tickets" in page

    client.post(url(acme, alice), {"capacity": ""})
    alice.refresh_from_db()
    assert alice.capacity is None


def test_bad_capacities_are_refused_in_words(client, acme, sam, alice):
    client.force_login(sam.user)
    for bad in ("-1", "lots", "²", "99999999999999999999"):
        response = client.post(url(acme, alice), {"capacity": bad}, follow=True)
        assert response.status_code == 200
        assert "Enter a number of tickets" in response.content.decode()
    alice.refresh_from_db()
    assert alice.capacity is None


def test_an_agent_cannot_set_capacities(client, acme, alice, olga):
    client.force_login(alice.user)
    assert client.post(url(acme, olga), {"capacity": "1"}).status_code == 403
    olga.refresh_from_db()
    assert olga.capacity is None
