"""The incremental job through a real Celery worker on the Redis broker."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from helpdesk.celery import app
from metrics.models import MetricsState
from metrics.queries import headline
from metrics.tasks import update_metrics_task

from .conftest import MARCH_2, MARCH_4


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_job_runs_on_a_real_worker_and_fills_the_rollups(acme, history):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            update_metrics_task.delay(acme.pk, True)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                state = MetricsState.objects.for_tenant(acme).first()
                if state and state.computed_at:
                    break
                time.sleep(0.2)
    finally:
        app.conf.task_always_eager = eager

    state = MetricsState.objects.for_tenant(acme).get()
    assert state.computed_at is not None
    assert headline(acme, MARCH_2, MARCH_4)["tickets_created"] == 3
