"""A pool process killed with SIGKILL mid-task: the task runs again, promptly.

acks_late keeps the message unacknowledged while it runs, and task_reject_on_worker_lost
puts it back in the queue when the process running it dies, so it is not lost (without that
option Celery acknowledges it as failed) and does not wait for the visibility timeout.
"""

import os
import signal
import time

from celery import Celery

from .conftest import wait_until, worker_env

TASK = "tests.faults.tasks.record_and_linger_task"
REDONE_WITHIN = 30  # seconds from the kill to the finished second run


def test_a_task_whose_pool_process_is_killed_is_redone(private_redis, start_worker, tmp_path):
    runs = tmp_path / "runs"
    worker = start_worker(
        worker_env(REDIS_URL=private_redis.url), "--include", "tests.faults.tasks"
    )
    sender = Celery("faults", broker=private_redis.url)
    sender.send_task(TASK, args=[str(runs), 120])

    wait_until(runs.exists, 60, "the worker starts the task", worker.output)
    first_pid = int(runs.read_text().split()[0])
    assert first_pid != worker.process.pid  # the pool process, not the worker itself
    os.kill(first_pid, signal.SIGKILL)
    killed_at = time.monotonic()

    wait_until(
        lambda: runs.read_text().split()[-1:] == ["done"],
        REDONE_WITHIN,
        "the task is redone after the kill",
        worker.output,
    )
    lines = runs.read_text().split()
    assert lines[0] == str(first_pid) and lines[1] != str(first_pid)  # another process redid it
    assert lines.count("done") == 1  # the killed run never finished
    assert time.monotonic() - killed_at < REDONE_WITHIN
