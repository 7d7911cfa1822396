"""Redis stopped while people work: answers are not 500, nothing is lost, pages that need no
cache still serve, and once Redis is back the relay and a real worker send what was owed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from core import cache as helpdesk_cache
from helpdesk.celery import app
from outbox.models import PendingTask
from outbox.services import relay
from tests.conftest import login_api
from tests.tickets.conftest import api_ticket_url, ticket_url
from tickets.models import TicketEvent

from .conftest import wait_until, worker_env

pytestmark = pytest.mark.django_db(transaction=True)


def use_broker(url: str, *, eager: bool) -> None:
    """Point this process's Celery at ``url``: its pools are looked up afresh (kombu keeps one
    per broker, so none is closed here: the suite's broker gets its own back afterwards)."""
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = url
    app.conf.task_always_eager = eager


@pytest.fixture
def on_private_redis(settings, private_redis):
    """Cache, sessions and broker of this process on the private Redis, as in production."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.KeptClientRedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    broker, eager = app.conf.broker_url, app.conf.task_always_eager
    use_broker(private_redis.url, eager=False)
    yield private_redis
    use_broker(broker, eager=eager)
    helpdesk_cache._Down.until = 0.0


def database_url() -> str:
    """The test database, for the worker process (an in-memory SQLite one cannot be shared)."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs the PostgreSQL test database")
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def test_replies_and_solves_during_an_outage_are_mailed_once_redis_returns(
    on_private_redis, client, api, ada, bob, acme_ticket, start_worker
):
    client.force_login(ada.user)
    on_private_redis.stop()

    # Pages that need no cache still serve.
    assert client.get("/t/acme/workspace/").status_code == 200
    assert client.get(ticket_url(acme_ticket)).status_code == 200
    # The reply and the solve commit, and say so (they answered 500 after committing).
    reply = {"action": "reply", "body": "We refunded you.", "visibility": "public"}
    assert client.post(ticket_url(acme_ticket), reply).status_code == 302
    solved = login_api(api, ada).patch(api_ticket_url(acme_ticket), {"status": "solved"})
    assert solved.status_code == 200
    # The reply (which also opened the new ticket, a move nobody is told of) and the solve.
    moves = TicketEvent.objects.filter(ticket=acme_ticket, kind="status")
    assert list(moves.order_by("pk").values_list("new_value", flat=True)) == ["open", "solved"]
    owed = TicketEvent.objects.filter(ticket=acme_ticket, kind="reply") | moves.filter(
        new_value="solved"
    )
    assert owed.count() == 2 and not owed.filter(notified_at__isnull=False).exists()
    assert PendingTask.objects.count() == 2  # what is owed is on record

    on_private_redis.start()  # an empty Redis: whatever it held is gone
    PendingTask.objects.update(available_at=timezone.now() - timedelta(seconds=1))
    assert relay() == 2
    assert not PendingTask.objects.exists()
    worker = start_worker(worker_env(REDIS_URL=on_private_redis.url, DATABASE_URL=database_url()))

    wait_until(
        lambda: not owed.filter(notified_at__isnull=True).exists(),
        45,
        "the worker sends the e-mails owed",
        worker.output,
    )
