"""Parts that fail for real: a private Redis, Celery workers and a PostgreSQL cluster, each
started here on a free port and stopped here. The shared Redis and PostgreSQL are never
stopped, flushed or restarted."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if "/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, seconds: float, what: str, log=None):
    """Poll ``condition`` for up to ``seconds``; on failure say ``what``, and ``log()`` if given."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds}s: {what}\n{log() if log else ''}")


def answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


class PrivateRedis:
    """A redis-server of this test alone: no persistence, stopped and started at will."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_until(lambda: answers(self.port), 10, "private redis-server starts")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def private_redis():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.stop()


def worker_env(**extra) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    env.update(extra)
    return env


class Worker:
    """``celery worker`` in its own process (prefork, one pool process), as in production."""

    def __init__(self, env: dict, *extra: str):
        # Open for the worker's whole life, closed by stop().
        self.log = tempfile.NamedTemporaryFile(prefix="faults-worker-", suffix=".log")  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(BIN / "celery"), "-A", "helpdesk", "worker", "--pool", "prefork"]
            + ["--concurrency", "1", "--without-gossip", "--without-mingle", "--loglevel", "INFO"]
            + list(extra),
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its pool processes go with it
        )

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        self.log.close()


@pytest.fixture
def start_worker():
    workers = []

    def start(env: dict, *extra: str) -> Worker:
        worker = Worker(env, *extra)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
