"""Team views: an admin shares a workspace view with roles or queues; it shows beside each
person's own to those it is shared with, and to nobody else."""

import pytest

from accounts.models import AuditEntry
from tests.factories import make_queue, role
from tickets.models import SavedFilter
from tickets.services import save_filter, share_team_view

SHARE = "/t/acme/workspace/views/"


def _team_views(client) -> list[str]:
    response = client.get("/t/acme/workspace/")
    return [f.name for f in response.context["saved_filters"] if f.is_team]


def test_an_admin_shares_a_view_with_the_agents_role(client, acme, ada, alice, olga, sam):
    client.force_login(ada.user)
    response = client.post(
        SHARE,
        {
            "team": "1",
            "name": "Urgent first",
            "query": "sort=-priority",
            "roles": [role(acme, "agent").pk],
        },
        follow=True,
    )
    assert "Team view “Urgent first” shared." in response.content.decode()
    saved = SavedFilter.objects.get()
    assert saved.is_team and saved.owner == ada.user
    for agent in (alice, olga):
        client.force_login(agent.user)
        assert _team_views(client) == ["Urgent first"]
        assert "Team views" in client.get("/t/acme/workspace/").content.decode()
    client.force_login(sam.user)  # a supervisor: not the role it is shared with
    assert _team_views(client) == []
    entry = AuditEntry.objects.get(action="team_view.shared")
    assert entry.after["roles"] == ["Agent"] and entry.actor == ada.user


def test_a_view_shared_with_a_queue_shows_to_those_who_work_it(
    client, acme, ada, alice, olga, sam, billing
):
    share_team_view(by=ada, name="Billing backlog", query="view=queues", roles=[], queues=[billing])
    client.force_login(alice.user)  # works Billing
    assert _team_views(client) == ["Billing backlog"]
    client.force_login(olga.user)  # works no queue
    assert _team_views(client) == []
    client.force_login(sam.user)  # works every queue
    assert _team_views(client) == ["Billing backlog"]


def test_team_views_stand_beside_ones_own_even_of_the_same_name(client, acme, ada, alice):
    agents = role(acme, "agent")
    share_team_view(by=ada, name="Hot", query="priority=urgent", roles=[agents], queues=[])
    save_filter(tenant=acme, owner=alice.user, name="Hot", query="priority=high")
    client.force_login(alice.user)
    shown = client.get("/t/acme/workspace/").context["saved_filters"]
    assert [(f.name, f.is_team, f.query) for f in shown] == [
        ("Hot", False, "priority=high"),
        ("Hot", True, "priority=urgent"),
    ]
    # The same name again replaces the team view, and keeps it one.
    share_team_view(by=ada, name="Hot", query="priority=low", roles=[agents], queues=[])
    assert SavedFilter.objects.team_views(acme).get().query == "priority=low"


def test_an_agent_may_not_share_or_remove_a_team_view(client, acme, ada, alice):
    client.force_login(alice.user)
    response = client.post(
        SHARE, {"team": "1", "name": "Mine for all", "query": "", "roles": [role(acme, "agent").pk]}
    )
    assert response.status_code == 403
    assert not SavedFilter.objects.exists()
    saved = share_team_view(by=ada, name="Kept", query="", roles=[role(acme, "agent")], queues=[])
    assert client.post(f"/t/acme/workspace/views/{saved.pk}/delete/").status_code == 404
    assert SavedFilter.objects.filter(pk=saved.pk).exists()
    assert "Remove the team view" not in client.get("/t/acme/workspace/").content.decode()


def test_an_admin_removes_a_team_view_and_the_log_says_so(client, acme, ada, alice):
    saved = share_team_view(by=ada, name="Old", query="", roles=[role(acme, "agent")], queues=[])
    client.force_login(ada.user)
    page = client.get("/t/acme/workspace/").content.decode()
    assert "Remove the team view Old" in page
    client.post(f"/t/acme/workspace/views/{saved.pk}/delete/")
    assert not SavedFilter.objects.exists()
    assert AuditEntry.objects.get(action="team_view.removed").before["name"] == "Old"
    log = client.get("/t/acme/audit-log/").content.decode()
    assert "team view removed" in log and "team view shared" in log


@pytest.mark.parametrize(
    "sent",
    [
        {"name": "Nobody", "query": ""},  # shared with no one
        {"name": "", "query": "", "queues": ["1"]},  # no name
    ],
)
def test_a_team_view_needs_a_name_and_someone_to_share_with(client, acme, ada, billing, sent):
    client.force_login(ada.user)
    response = client.post(SHARE, {"team": "1", **sent}, follow=True)
    assert response.status_code == 200
    assert not SavedFilter.objects.exists()
    body = response.content.decode()
    assert "Share the view with at least one role or queue." in body or "required" in body


def test_another_helpdesks_roles_and_queues_are_no_choice(client, acme, globex, ada, globex_queue):
    client.force_login(ada.user)
    response = client.post(
        SHARE,
        {
            "team": "1",
            "name": "Sneaky",
            "queues": [globex_queue.pk],
            "roles": [role(globex, "agent").pk],
        },
        follow=True,
    )
    assert response.status_code == 200
    assert not SavedFilter.objects.exists()
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(Exception, match="only with roles and queues of this helpdesk"):
        share_team_view(by=ada, name="Sneaky", query="", roles=[], queues=[globex_queue])


def test_the_team_view_form_is_for_those_who_may_share(client, acme, ada, alice):
    make_queue(acme, "Technical")
    client.force_login(ada.user)
    page = client.get("/t/acme/workspace/").content.decode()
    assert "Share this view with the team" in page and "Technical" in page
    client.force_login(alice.user)
    assert "Share this view with the team" not in client.get("/t/acme/workspace/").content.decode()
