"""Members suggest ideas and vote once; the admin sets the status and answers."""

import pytest

from knowledge.models import Idea, IdeaVote
from knowledge.services import suggest_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def dark_mode(bob):
    return suggest_idea(membership=bob, title="Dark mode", body="Please.")


def test_members_vote_once_and_can_take_it_back(client, bob, alice, dark_mode):
    client.force_login(alice.user)
    client.post(f"/t/acme/ideas/{dark_mode.pk}/vote/")
    client.force_login(bob.user)
    client.post(f"/t/acme/ideas/{dark_mode.pk}/vote/")
    assert IdeaVote.objects.filter(idea=dark_mode).count() == 2

    client.post(f"/t/acme/ideas/{dark_mode.pk}/vote/")  # bob changes his mind

    assert list(IdeaVote.objects.values_list("membership__user__email", flat=True)) == [
        "alice@acme.test"
    ]
    assert "1 vote" in client.get("/t/acme/ideas/").content.decode()


def test_admin_answers_and_everyone_sees_the_status(client, ada, bob, dark_mode):
    client.force_login(ada.user)
    client.post(
        f"/t/acme/ideas/{dark_mode.pk}/answer/",
        {"status": "planned", "answer": "In spring."},
    )
    client.force_login(bob.user)
    page = client.get("/t/acme/ideas/?status=planned").content.decode()
    assert "Dark mode" in page and "In spring." in page and "Planned" in page


def test_only_admins_answer(client, api, sam, dark_mode):
    client.force_login(sam.user)
    response = client.post(f"/t/acme/ideas/{dark_mode.pk}/answer/", {"status": "declined"})
    assert response.status_code == 403
    api.force_authenticate(sam.user)
    response = api.post(f"/api/v1/t/acme/ideas/{dark_mode.pk}/answer/", {"status": "declined"})
    assert response.status_code == 403
    dark_mode.refresh_from_db()
    assert dark_mode.status == Idea.Status.NEW


def test_ideas_through_the_api(api, carol, dark_mode):
    api.force_authenticate(carol.user)
    created = api.post("/api/v1/t/acme/ideas/", {"title": "CSV export"})
    assert created.status_code == 201
    voted = api.post(f"/api/v1/t/acme/ideas/{dark_mode.pk}/vote/").json()
    assert (voted["votes"], voted["voted"]) == (1, True)
    unvoted = api.post(f"/api/v1/t/acme/ideas/{dark_mode.pk}/vote/").json()
    assert (unvoted["votes"], unvoted["voted"]) == (0, False)
    assert api.post("/api/v1/t/acme/ideas/", {"title": ""}).json() == {
        "title": ["This field may not be blank."]
    }
