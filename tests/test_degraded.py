"""With Redis down the helpdesk degrades, it does not stop: the cache answers misses, limits
fail open, sessions live on in the database, and readiness says which part is missing. A lost
database is a clean 503, not a server error."""

import socket

import pytest
from django.db import OperationalError

from core import cache as helpdesk_cache

from .tickets.conftest import api_ticket_url, ticket_url


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def cache_down(settings):
    """The production cache and session setup, pointed at a Redis that is not running."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.KeptClientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",
            "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield
    helpdesk_cache._Down.until = 0.0  # the next test's cache is up: ask it again at once


def test_signing_in_and_working_a_ticket_need_no_cache(
    cache_down, client, alice, acme_ticket, password
):
    response = client.post("/accounts/login/", {"username": alice.user.email, "password": password})
    assert response.status_code == 302  # the session is in the database

    assert client.get(ticket_url(acme_ticket)).status_code == 200
    assert client.get("/t/acme/workspace/").status_code == 200
    response = client.post(
        ticket_url(acme_ticket),
        {"action": "reply", "body": "We refunded you.", "visibility": "public"},
    )
    assert response.status_code == 302


def test_the_api_answers_with_throttles_failing_open(cache_down, api, alice, acme_ticket, password):
    response = api.post(
        "/api/v1/auth/token/", {"email": alice.user.email, "password": password}, format="json"
    )
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")

    assert api.get("/api/v1/t/acme/tickets/").status_code == 200
    assert api.get(api_ticket_url(acme_ticket)).status_code == 200


def test_a_wrong_password_is_still_refused(cache_down, client, alice):
    response = client.post("/accounts/login/", {"username": alice.user.email, "password": "nope"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_readiness_names_the_missing_cache_while_liveness_stays_up(cache_down, client, db):
    response = client.get("/readyz/")

    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "unavailable",
        "broker": "ok",  # eager here: tasks run in-process
    }
    assert client.get("/healthz/").status_code == 200


def test_readiness_is_200_when_everything_answers(client, db):
    response = client.get("/readyz/")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["outbox_waiting"] == 0


@pytest.mark.parametrize("path", ["/t/acme/workspace/", "/api/v1/t/acme/tickets/"])
def test_a_lost_database_is_a_clean_503(client, alice, monkeypatch, path):
    client.force_login(alice.user)
    client.raise_request_exception = False

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("accounts.middleware.resolve_tenant", lost)
    monkeypatch.setattr("accounts.viewsets.resolve_tenant", lost)
    response = client.get(path)

    assert response.status_code == 503
    assert response["Retry-After"]
    if path.startswith("/api/"):
        assert response.json()["detail"]
    else:
        assert b"Back in a moment" in response.content
