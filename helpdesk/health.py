"""Liveness and readiness for load balancers.

``/healthz/`` is liveness, and the benchmark's floor: no session, no database, no cache. A
process that answers it is running, whatever its dependencies do.
``/readyz/`` is readiness: it asks the database, the cache and the broker each, and answers
503 when one of them cannot be reached, so a balancer can act on it. Its body says which.
"""

import logging

from celery import current_app
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from outbox.models import PendingTask

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    # Deliberately touches nothing: it measures what a bare Django view costs on this machine.
    return HttpResponse("ok", content_type="text/plain")


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    ping = getattr(cache, "ping", None)
    if ping is not None:  # Redis: our cache answers misses while down, so ask Redis itself
        ping()
        return
    cache.set("readyz", "ok", 10)
    if cache.get("readyz") != "ok":
        raise RuntimeError("the cache keeps nothing")


def _broker() -> None:
    if current_app.conf.task_always_eager:
        return  # tasks run in this process: there is no broker to reach
    with current_app.connection_for_write() as broker:
        broker.connect()


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}


@never_cache
def readyz(request):
    checks = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            logger.warning("readyz: %s unavailable: %s", name, error)
            checks[name] = "unavailable"
        else:
            checks[name] = "ok"
    ready = all(state == "ok" for state in checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    if checks["database"] == "ok":
        # Side effects waiting for the broker: informative, never a reason to be unready.
        body["outbox_waiting"] = PendingTask.objects.count()
    return JsonResponse(body, status=200 if ready else 503)
