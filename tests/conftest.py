"""The cast, in two helpdesks.

acme: ada (admin), sam (supervisor), alice (agent, works Billing), olga (agent, works
nothing), bob and carol (customers of the organization Acme Co), pete (pending sign-up).
globex: mallory (admin of globex), with her own queue and ticket.
"""

import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test.signals import template_rendered
from rest_framework.test import APIClient

from accounts.models import Membership, Organization
from helpdesk import templating

from .factories import PASSWORD, make_member, make_queue, make_tenant, make_ticket
from .mailserver import smtp_server  # noqa: F401 (a fixture for every test)


def _telling(context_for):
    """Django's test client learns a page's context from ``template_rendered``, which only
    Django's engine sends; the Jinja2 templates of our pages send it too under test."""

    def context_for_and_tell(self, context, request):
        context = context_for(self, context, request)
        template_rendered.send(sender=self, template=self, context=context)
        return context

    return context_for_and_tell


templating.Template.context_for = _telling(templating.Template.context_for)


@pytest.fixture(autouse=True)
def own_rate_limits(monkeypatch):
    """Each test starts with unused sign-in limits and API throttles: every test client
    comes from 127.0.0.1, and the counters would otherwise run on from test to test."""
    monkeypatch.setattr("core.throttles.NAMESPACE", f"limits-{uuid.uuid4().hex[:12]}")


def forget_cached() -> None:
    """Delete this run's cache keys, and only them (never FLUSHDB: others share the Redis)."""
    cache = settings.CACHES["default"]
    if not cache["BACKEND"].endswith("RedisCache"):
        from django.core.cache import cache as local

        local.clear()  # this process's own memory
        return
    import redis

    client = redis.Redis.from_url(cache["LOCATION"])
    try:
        keys = list(client.scan_iter(match=f"{cache['KEY_PREFIX']}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
    finally:
        client.close()


@pytest.fixture(scope="session", autouse=True)
def cache_keys_of_this_run():
    """Some keys never expire (core.versions): the run removes what it wrote."""
    yield
    forget_cached()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, dropped at the end even when a worker or live-server
    thread still holds a connection ("being accessed by other users" left it behind)."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def acme(db):
    return make_tenant("acme")


@pytest.fixture
def globex(db):
    return make_tenant("globex")


@pytest.fixture
def acme_co(acme):
    return Organization.objects.create(tenant=acme, name="Acme Co", domain="acme.test")


@pytest.fixture
def ada(acme):
    return make_member(acme, "ada@acme.test", "admin", name="Ada Admin")


@pytest.fixture
def sam(acme):
    return make_member(acme, "sam@acme.test", "supervisor", name="Sam Supervisor")


@pytest.fixture
def alice(acme):
    return make_member(acme, "alice@acme.test", "agent", name="Alice Agent")


@pytest.fixture
def olga(acme):
    return make_member(acme, "olga@acme.test", "agent", name="Olga Other")


@pytest.fixture
def bob(acme, acme_co):
    return make_member(acme, "bob@acme.test", "customer", name="Bob Buyer", organization=acme_co)


@pytest.fixture
def carol(acme, acme_co):
    return make_member(acme, "carol@acme.test", "customer", name="Carol Chen", organization=acme_co)


@pytest.fixture
def pete(acme):
    return make_member(
        acme,
        "pete@pending.test",
        "customer",
        name="Pete Pending",
        status=Membership.Status.PENDING,
    )


@pytest.fixture
def mallory(globex):
    return make_member(globex, "mallory@globex.test", "admin", name="Mallory")


@pytest.fixture
def billing(acme, alice):
    return make_queue(acme, "Billing", alice.user)


@pytest.fixture
def acme_ticket(acme, bob, billing):
    return make_ticket(acme, bob.user, billing, subject="Charged twice")


@pytest.fixture
def globex_queue(globex, mallory):
    return make_queue(globex, "Globex queue", mallory.user)


@pytest.fixture
def globex_ticket(globex, mallory, globex_queue):
    return make_ticket(globex, mallory.user, globex_queue, subject="Globex secret")


@pytest.fixture
def api():
    return APIClient()


def login_api(api: APIClient, membership):
    api.force_authenticate(membership.user)
    return api


@pytest.fixture
def real_worker(settings):
    """A Celery worker thread on the Redis broker; tasks sent meanwhile go through the queue.

    Needs a test marked ``django_db(transaction=True)``: the worker reads on its own
    connection, so the rows it is about must be committed.
    """
    from celery.contrib.testing.worker import start_worker

    from helpdesk.celery import app

    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.task_always_eager = eager


def wait_for(condition, seconds: float = 30):
    """Poll until ``condition()`` is true (a worker's effect), or fail after ``seconds``."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"still false after {seconds}s: {condition.__doc__ or condition}")
