"""PostgreSQL restarted under load: every answer is a success or a clean 503 (never a 500
with a traceback), and the helpdesk recovers by itself once the database is back.

The database is a private cluster (initdb into a temporary folder, a free port); the app runs
in gunicorn, as in production, with DEBUG off so that the 500 handler is the real one.
"""

import glob
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from .conftest import ROOT, answers, free_port, wait_until, worker_env

BIN = Path(sys.executable).parent


def as_postgres(*command: str) -> list[str]:
    """PostgreSQL refuses to run as root: root runs it as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


class PrivatePostgres:
    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            pytest.skip("PostgreSQL server binaries are not installed")
        self.bin = Path(found[-1]).parent
        self.folder = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/helpdesk_faults"
        subprocess.run(
            as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres")
            + ["-A", "trust", "-E", "UTF8", "--no-sync"],
            check=True,
            capture_output=True,
        )

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options)
            + ["-l", str(self.folder / "log"), "-w", *args],
            check=True,
            capture_output=True,
        )

    def start(self):
        self.pg_ctl("start")

    def stop(self):
        self.pg_ctl("stop", "-m", "fast")

    def remove(self):
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def private_postgres():
    cluster = PrivatePostgres()
    try:
        cluster.start()
        subprocess.run(
            as_postgres(str(cluster.bin / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port))
            + ["-U", "postgres", "helpdesk_faults"],
            check=True,
            capture_output=True,
        )
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def server(private_postgres):
    """gunicorn on the private database: migrated, DEBUG off, limits out of the way."""
    env = worker_env(
        DATABASE_URL=private_postgres.url,
        REDIS_URL="",
        DEBUG="0",
        THROTTLE_ANON="1000000/min",
        THROTTLE_USER="1000000/min",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="faults-gunicorn-", suffix=".log")  # noqa: SIM115
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "helpdesk.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"]
        + ["--threads", "4", "--timeout", "30"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: answers(port), 30, "gunicorn starts")
        yield port, log.name
    finally:
        process.terminate()
        process.wait(15)
        log.close()


def ask(port: int, path: str, headers: dict) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


# Each needs the database: an API token is looked up, a session cookie is read.
REQUESTS = [
    ("/api/v1/t/acme/tickets/", {"Authorization": "Token not-a-real-token"}, 401),
    ("/", {"Cookie": "sessionid=not-a-real-session"}, 302),
]


def test_requests_during_a_restart_fail_cleanly_and_recover(private_postgres, server):
    port, log = server
    answered: list[tuple[float, str, int, str, bytes]] = []
    stop = threading.Event()

    def load(path, headers):
        while not stop.is_set():
            status, kind, body = ask(port, path, headers)
            answered.append((time.monotonic(), path, status, kind, body))

    threads = [threading.Thread(target=load, args=r[:2]) for r in REQUESTS for _ in range(2)]
    for thread in threads:
        thread.start()

    def answered_since(moment, wanted) -> bool:
        return any(at > moment and wanted(status) for at, _p, status, *_ in list(answered))

    def wait_for(moment, wanted, seconds=20.0) -> None:
        # Bounded: on a loaded machine a request may take longer than the outage lasts, so
        # the outage and the recovery last until a request has seen them (or time is up).
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not answered_since(moment, wanted):
            time.sleep(0.1)

    try:
        time.sleep(1)
        private_postgres.stop()
        wait_for(time.monotonic(), lambda status: status == 503)
        private_postgres.start()
        back = time.monotonic()
        time.sleep(1)
        wait_for(back + 1, lambda status: status != 503)
        time.sleep(1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)

    expected = {path: status for path, _headers, status in REQUESTS}
    unclean = [
        (path, status, body[:300])
        for _at, path, status, _kind, body in answered
        if status not in (expected[path], 503)
    ]
    assert not unclean, Path(log).read_text()[-3000:]
    down = [(path, kind, body) for _at, path, status, kind, body in answered if status == 503]
    assert down, "the restart was not noticed"
    for path, kind, body in down:  # the API answers JSON, pages a page: both say try again
        assert kind.startswith("application/json" if path.startswith("/api/") else "text/html")
        assert b"Traceback" not in body
    recovered = [status for at, path, status, *_ in answered if at > back + 1]
    assert recovered and 503 not in recovered[-4:]  # answering normally again
