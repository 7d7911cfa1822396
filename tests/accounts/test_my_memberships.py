"""GET /api/v1/me/: the caller's helpdesks, so an API client can learn their slugs."""

from accounts.models import Membership
from tests.conftest import login_api
from tests.factories import make_member


def test_a_person_in_two_helpdesks_sees_both_with_role_and_status(api, alice, globex):
    make_member(globex, "alice@acme.test", "customer", status=Membership.Status.PENDING)
    login_api(api, alice)

    response = api.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json() == [
        {"tenant": "acme", "name": "Acme", "role": "agent", "status": "active"},
        {"tenant": "globex", "name": "Globex", "role": "customer", "status": "pending"},
    ]


def test_nobody_elses_memberships_are_listed(api, bob, carol, mallory):
    login_api(api, bob)
    assert [m["tenant"] for m in api.get("/api/v1/me/").json()] == ["acme"]


def test_a_person_in_no_helpdesk_gets_an_empty_list(api, django_user_model):
    user = django_user_model.objects.create_user(email="nobody@example.test", password="x")
    api.force_authenticate(user)
    assert api.get("/api/v1/me/").json() == []


def test_without_credentials_the_answer_is_401_and_names_no_helpdesk(api, alice):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert "acme" not in response.content.decode()
