"""Fuzz the served API with schemathesis, as an admin, an agent and a customer of the demo.

`make fuzz` (and CI) runs this with the project's venv. It makes a throwaway PostgreSQL
database, migrates it and seeds the demo, serves the app with gunicorn on a free port, and
runs schemathesis over /api/v1/schema/ once per role with a fixed seed and a time budget.
Any 5xx, or a response that does not match the schema, fails the run. Everything it made
(database, files, server) is removed at the end, pass or fail.

Environment: DATABASE_URL names the server (its database is not touched; default
postgres://postgres@127.0.0.1:5432/helpdesk), FUZZ_SECONDS the budget per role (90),
FUZZ_SEED the seed (14), FUZZ_ROLES which roles ("customer,agent,admin").
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEMO_SLUG = "demo"
# The admin goes last: what it changes (roles, deactivations) must not narrow the others' runs.
PEOPLE = {
    "customer": "customer@demo.example",
    "agent": "agent@demo.example",
    "admin": "admin@demo.example",
}
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
# Revoking tokens would end the run's own credentials; nothing else is left out.
EXCLUDED_PATHS = r"^/api/v1/auth/tokens/\{"
# django.request logs every 4xx as "Not Found: /path" and the like; a 5xx comes with its traceback.
CLIENT_ERROR_LINE = re.compile(r"^(?!Internal Server Error)[A-Z][A-Za-z ]+: /")
ISSUE_TOKENS = """
import json
from accounts.models import User
from accounts.tokens import issue_token
people = json.loads({people!r})
print(json.dumps({{role: issue_token(user=User.objects.get(email=email), name="fuzz")[1]
                  for role, email in people.items()}}))
"""


def log(message: str) -> None:
    print(f"fuzz: {message}", flush=True)


def throwaway_database(server_url: str) -> tuple[str, str]:
    """(URL of a new empty database, its name) on the server of ``server_url``."""
    name = f"helpdesk_fuzz_{os.getpid()}"
    parts = urlsplit(server_url)
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return urlunsplit(parts._replace(path=f"/{name}")), name


def drop_database(server_url: str, name: str) -> None:
    admin = psycopg2.connect(urlunsplit(urlsplit(server_url)._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_environment(database_url: str, work: Path) -> dict[str, str]:
    """The app as in production (DEBUG off), without Redis: a local cache, tasks in-process,
    mail dropped, and throttles out of the fuzzer's way."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": "",
        "DEBUG": "0",
        "SECRET_KEY": "fuzz-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "EMAIL_URL": "dummymail://",
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(work / "static"),
        "CONN_MAX_AGE": "0",
        "LOG_LEVEL": "ERROR",  # 5xx with their tracebacks, not every 4xx
        "THROTTLE_ANON": "100000/min",
        "THROTTLE_USER": "100000/min",
        "THROTTLE_LOGIN": "100000/min",
        "THROTTLE_REGISTER": "100000/min",
    }


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 (our own commands, no shell)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"fuzz: manage.py {args[0]} failed")
    return done.stdout


def wait_until_served(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("fuzz: the server stopped while starting")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local URL)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"fuzz: {url} did not answer within {seconds:.0f}s")


def fuzz_as(role: str, token: str, base: str, work: Path, seconds: int, seed: int) -> bool:
    config = work / f"schemathesis-{role}.toml"
    # Every tenant path is the demo helpdesk's: a random slug would only ever meet a 404.
    config.write_text(f'[parameters]\n"path.slug" = "{DEMO_SLUG}"\n')
    command = [
        str(VENV_BIN / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        f"{base}/api/v1/schema/",
        "--url",
        base,
        "--header",
        f"Authorization: Token {token}",
        "--checks",
        CHECKS,
        "--exclude-path-regex",
        EXCLUDED_PATHS,
        "--seed",
        str(seed),
        "--max-time",
        str(seconds),
        # One worker: hypothesis describes strategies with ast.parse, which CPython 3.11
        # does not make safe across threads (a SystemError now and then).
        "--workers",
        "1",
        "--request-timeout",
        "20",
        "--generation-database",
        "none",
        "--no-color",
        "--warnings",
        "off",
    ]
    log(f"{role}: schemathesis for {seconds}s, seed {seed}")
    done = subprocess.run(command, cwd=work, check=False)  # noqa: S603 (no shell)
    log(f"{role}: {'passed' if done.returncode == 0 else 'FAILED'}")
    return done.returncode == 0


def main() -> int:
    server_url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/helpdesk"
    seconds = int(os.environ.get("FUZZ_SECONDS", "90"))
    seed = int(os.environ.get("FUZZ_SEED", "14"))
    roles = [r for r in os.environ.get("FUZZ_ROLES", ",".join(PEOPLE)).split(",") if r]
    work = Path(tempfile.mkdtemp(prefix="helpdesk-fuzz-"))
    database_url, database = throwaway_database(server_url)
    server = None
    server_log = (work / "server.log").open("w")
    try:
        env = app_environment(database_url, work)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")  # DEBUG off: pages need the manifest
        manage(env, "seed_demo")
        people = json.dumps({role: PEOPLE[role] for role in roles})
        issued = manage(env, "shell", "-v0", "-c", ISSUE_TOKENS.format(people=people))
        tokens = json.loads(issued.strip().splitlines()[-1])
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603 (our own server, no shell)
            [
                str(VENV_BIN / "gunicorn"),
                "helpdesk.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        wait_until_served(f"{base}/api/v1/schema/", server)
        log(f"serving on {base}, database {database}")
        failed = [r for r in roles if not fuzz_as(r, tokens[r], base, work, seconds, seed)]
        if failed:
            server_log.flush()
            log(f"failed as {', '.join(failed)}; the server's errors (4xx lines left out):")
            lines = (work / "server.log").read_text().splitlines(True)
            errors = [line for line in lines if not CLIENT_ERROR_LINE.match(line)]
            sys.stdout.write("".join(errors[-120:]))
            return 1
        log("no server error and no response outside the schema")
        return 0
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        server_log.close()
        drop_database(server_url, database)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
