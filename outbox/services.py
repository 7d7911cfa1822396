"""The transactional outbox: ``enqueue`` instead of ``transaction.on_commit(task.delay)``.

``enqueue`` writes a row in the caller's transaction and, once it commits, hands the task to
Celery at once. If the broker refuses (Redis down), the row stays and ``relay`` hands it over
later (Celery beat runs it every few seconds; ``manage.py relay_outbox`` does the same by hand).
Delivery is at least once: tasks must be safe to run twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import PendingTask

logger = logging.getLogger(__name__)

# The longest pause between two attempts at a row the broker or the task refused.
MAX_BACKOFF_SECONDS = 300


def enqueue(task, *args) -> PendingTask:
    """Record that ``task(*args)`` must run once the current transaction commits.

    ``task`` is a Celery task or its name; ``args`` must be JSON (ids, not objects).
    """
    name = task if isinstance(task, str) else task.name
    # The relay waits a little, so it does not race the hand-off right after commit.
    grace = timedelta(seconds=settings.OUTBOX_HANDOFF_GRACE_SECONDS)
    row = PendingTask.objects.create(
        task=name, args=list(args), available_at=timezone.now() + grace
    )
    transaction.on_commit(lambda: _hand_off_after_commit(row))
    return row


def _task(name: str):
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()  # a bare process: load every tasks.py
    return current_app.tasks[name]


def _send(row: PendingTask) -> None:
    # No publish retries: a refused hand-off must not hold up the request; the relay retries.
    _task(row.task).apply_async(row.args, retry=False)


def _hand_off_after_commit(row: PendingTask) -> None:
    try:
        _send(row)
    except Exception:  # broker down, or (eager) the task failed: the row stays for the relay
        logger.warning(
            "outbox: %s not handed to Celery yet; the relay will retry", row, exc_info=True
        )
        return
    PendingTask.objects.filter(pk=row.pk).delete()


def relay(*, limit: int = 100) -> int:
    """Hand due rows to Celery; the number handed over. Safe to run in parallel: each run
    takes rows no other run holds, and deletes a row only after the broker accepted it."""
    handed: list[int] = []
    with transaction.atomic():
        rows = PendingTask.objects.due().select_for_update(skip_locked=True)[:limit]
        for row in rows:
            try:
                with transaction.atomic():  # (eager) a failing task spoils only its savepoint
                    _send(row)
            except Exception:
                logger.warning("outbox: relay could not hand over %s", row, exc_info=True)
                pause = min(2 ** min(row.attempts, 16), MAX_BACKOFF_SECONDS)
                PendingTask.objects.filter(pk=row.pk).update(
                    attempts=F("attempts") + 1,
                    available_at=timezone.now() + timedelta(seconds=pause),
                )
                break  # the broker is likely down for the rest too; the next run tries again
            handed.append(row.pk)
        PendingTask.objects.filter(pk__in=handed).delete()
    return len(handed)
