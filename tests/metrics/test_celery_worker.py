"""The incremental job through a real Celery worker on the Redis broker."""

import pytest

from metrics.models import MetricsState
from metrics.queries import headline
from metrics.tasks import update_metrics_task
from tests.conftest import wait_for

from .conftest import MARCH_2, MARCH_4


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_job_runs_on_a_real_worker_and_fills_the_rollups(real_worker, acme, history):
    update_metrics_task.delay(acme.pk, True)

    def computed():
        state = MetricsState.objects.for_tenant(acme).first()
        return state is not None and state.computed_at is not None

    wait_for(computed)
    assert headline(acme, MARCH_2, MARCH_4)["tickets_created"] == 3
