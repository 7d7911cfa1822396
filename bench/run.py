"""The benchmark: the real server on loopback, measured from separate client processes.

    make bench                       # = .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --tickets 100000 --duration 10 --concurrency 4 \\
        --json bench/results/$(date +%Y%m%d-%H%M).json

It migrates the benchmark database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/helpdesk_bench; created if missing), generates the tenant
``--tenant`` (default ``bench``) with bench/generate.py if it has fewer than ``--tickets``
tickets, starts gunicorn (2 x cores gthread workers, DEBUG=0) and a Celery worker on Redis
(REDIS_URL, default redis://127.0.0.1:6379/5), and then measures each endpoint with
``--concurrency`` keep-alive clients for ``--duration`` seconds, the metrics jobs in-process, and
the peak memory of every worker. It prints a table and the issue's targets (relative to the bare
/healthz/ view measured in the same run) and writes JSON with the git commit.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.client import Endpoint, api_token, measure, probe, sign_in  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/helpdesk_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"
# Pages and API lists: p95 under 50 ms, a third of the floor's throughput, constant queries.
READ_ENDPOINTS = [
    "workspace",
    "workspace_filtered",
    "ticket_page",
    "portal_list",
    "api_list",
]
SUBMISSIONS = ["portal_submit", "api_create"]
TARGETS = {
    "read_p95_ms": 50.0,
    "read_rps_share_of_floor": 1 / 3,
    "submissions_per_second": 300.0,
    "dashboard_ms": 20.0,
    "full_rebuild_s": 60.0,
    "incremental_s": 2.0,
    "worker_memory_mb": 200.0,
}


def server_env(port: int, static_root: str) -> dict:
    """The environment of the measured processes: production settings on loopback."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
            "DEBUG": "0",
            "SECRET_KEY": env.get("SECRET_KEY") or "bench-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on loopback: no HTTPS redirect, cookies not marked Secure.
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "BENCH_QUERY_HEADER": "1",
            "STATIC_ROOT": static_root,
            # The benchmark is the only client: throttles would measure the limiter, not the app.
            "THROTTLE_ANON": "100000000/min",
            "THROTTLE_USER": "100000000/min",
            "THROTTLE_LOGIN": "100000/min",
            "LOGIN_FAILURE_LIMIT": "100000",
            "CONN_MAX_AGE": "600",
            "LOG_LEVEL": "WARNING",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "EMAIL_URL": "dummymail://",
        }
    )
    return env


def ensure_database(url: str) -> None:
    """Create the benchmark database if it does not exist yet (PostgreSQL only)."""
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=urllib.parse.unquote(parts.username or ""),
        password=urllib.parse.unquote(parts.password or "") or None,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def collect_static(env: dict) -> str:
    """collectstatic with the production storage; if that fails, switch ``env`` to
    bench/settings.py (no manifest) and say why."""
    cmd = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode == 0:
        return ""
    lines = done.stderr.strip().splitlines() or ["unknown error"]
    reason = next((line for line in lines if "Error:" in line), lines[-1])
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    return (
        f"collectstatic failed with the production storage ({reason}); "
        "static files served without a manifest (bench/settings.py)"
    )


def git_commit() -> dict:
    def git(*args):
        return subprocess.run(  # noqa: S603
            ["git", *args],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()

    return {
        "commit": git("rev-parse", "HEAD"),
        "branch": git("rev-parse", "--abbrev-ref", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


# --- processes ---------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    """Direct children of a process (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with suppress(OSError):
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                found.append(int(entry.name))
    return found


def peak_memory_mb(pid: int) -> float | None:
    """VmHWM: the most resident memory the process has ever used."""
    with suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


@contextmanager
def started(cmd: list[str], env: dict, log: Path):
    """A process we started, stopped (by its own id) when the block ends."""
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603
            cmd,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base_url: str, process, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"gunicorn exited early:\n{tail}")
        with suppress(OSError):
            status, _body = probe(base_url, "/healthz/")
            if status == 200:
                return
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz/ in time.")


# --- what to measure -----------------------------------------------------------------------------


def prepare(slug: str, base_url: str, password: str) -> tuple[list[Endpoint], dict]:
    """Sign in as each role and build the endpoints, skipping those this build lacks."""
    from accounts.models import Membership, Tenant
    from bench.generate import logins
    from tickets.models import Queue, Ticket

    tenant = Tenant.objects.get(slug=slug)
    people = logins(slug)
    sessions = {role: sign_in(base_url, email, password) for role, email in people.items()}

    def cookies(role):
        return "; ".join(f"{k}={v}" for k, v in sessions[role].items())

    agent = (
        Membership.objects.for_tenant(tenant)
        .select_related("role", "tenant", "user")
        .get(user__email=people["agent"])
    )
    # Ticket pages: a spread of the agent's tickets, old and new, with short and long threads,
    # that are still theirs to work: a closed ticket's page shows its properties read-only,
    # without the queue list, one query fewer (a page of another shape, not a thread's cost).
    top = Ticket.objects.for_tenant(tenant).order_by("-number").values_list("number", flat=True)
    highest = top.first() or 0
    sample = random.Random(5).sample(range(1, highest + 1), min(highest, 3000))
    numbers = sorted(
        Ticket.objects.visible_to(agent)
        .filter(number__in=sample)
        .exclude(status=Ticket.Status.CLOSED)
        .values_list("number", flat=True)[:200]
    )
    public_queue = Queue.objects.for_tenant(tenant).filter(is_public=True).order_by("pk").first()
    notes = {"sessions": sorted(sessions), "ticket_pages": len(numbers)}
    endpoints = [
        Endpoint("healthz", ["/healthz/"]),
        Endpoint("workspace", [f"/t/{slug}/workspace/"], headers={"Cookie": cookies("agent")}),
        Endpoint(
            "workspace_filtered",
            [f"/t/{slug}/workspace/?status=open&priority=high"],
            headers={"Cookie": cookies("agent")},
        ),
        Endpoint(
            "ticket_page",
            [f"/t/{slug}/tickets/{n}/" for n in numbers] or [f"/t/{slug}/tickets/1/"],
            headers={"Cookie": cookies("agent")},
        ),
        Endpoint(
            "portal_list",
            [f"/t/{slug}/portal/"],
            headers={"Cookie": cookies("customer")},
        ),
        Endpoint(
            "metrics_dashboard",
            [f"/t/{slug}/metrics/"],
            headers={"Cookie": cookies("supervisor")},
        ),
    ]
    try:
        agent_token = api_token(base_url, people["agent"], password)
        customer_token = api_token(base_url, people["customer"], password)
    except RuntimeError as exc:
        notes["api_token"] = str(exc)
        agent_token = customer_token = None
    if agent_token:
        # The cheapest signed-in request to a helpdesk: token, membership, permissions, JSON.
        # Every page and list pays at least this; it is reported beside the floor, not judged.
        endpoints.append(
            Endpoint(
                "signed_in_floor",
                [f"/api/v1/t/{slug}/me/"],
                headers={"Authorization": f"Token {agent_token}"},
            )
        )
        endpoints.append(
            Endpoint(
                "api_list",
                [f"/api/v1/t/{slug}/tickets/"],
                headers={"Authorization": f"Token {agent_token}"},
            )
        )
    # Submissions last: they add tickets to the tenant.
    endpoints.append(
        Endpoint(
            "portal_submit",
            [f"/t/{slug}/portal/new/"],
            method="POST",
            headers={"Cookie": cookies("customer")},
            form={
                "csrfmiddlewaretoken": sessions["customer"].get("csrftoken", ""),
                "subject": "Benchmark request {n}",
                "description": "Submitted by bench/run.py through the portal form.",
                "queue": str(public_queue.pk) if public_queue else "",
            },
            ok_statuses=(302, 303),
        )
    )
    if customer_token:
        endpoints.append(
            Endpoint(
                "api_create",
                [f"/api/v1/t/{slug}/tickets/"],
                method="POST",
                headers={"Authorization": f"Token {customer_token}"},
                json_body={
                    "subject": "Benchmark API request {n}",
                    "description": "Submitted by bench/run.py through the API.",
                    **({"queue": public_queue.pk} if public_queue else {}),
                },
                ok_statuses=(201,),
            )
        )
    available = []
    for endpoint in endpoints:
        if endpoint.method == "GET":
            status, body = probe(base_url, endpoint.paths[0], endpoint.headers)
        else:  # a POST-only URL answers its form (200) or 405 to a GET; 404 means not built
            status, body = probe(base_url, endpoint.paths[0], endpoint.headers)
            status = 200 if status in (200, 405) else status
        if status == 200:
            available.append(endpoint)
        else:
            notes.setdefault("skipped", {})[endpoint.name] = f"GET answered {status}"
    return available, notes


# --- metrics jobs ------------------------------------------------------------------------------


def metrics_command() -> str | None:
    from django.core.management import get_commands

    return "compute_metrics" if "compute_metrics" in get_commands() else None


def time_metrics(slug: str, *, full: bool) -> float | None:
    """Seconds for one metrics run of the tenant (in this process, no startup cost)."""
    from django.core.management import call_command

    if metrics_command() is None:
        return None
    args = ["compute_metrics", "--tenant", slug] + (["--full"] if full else [])
    t0 = time.perf_counter()
    call_command(*args, verbosity=0)
    return round(time.perf_counter() - t0, 3)


def apply_changes(slug: str, count: int, seed: int = 7) -> dict:
    """``count`` changes through the ticket services, as a busy hour would make them."""
    from accounts.models import Membership, Tenant
    from bench.generate import AGENT_REPLIES, CUSTOMER_REPLIES
    from tickets import services
    from tickets.models import Ticket

    rng = random.Random(seed)
    tenant = Tenant.objects.get(slug=slug)
    staff = list(
        Membership.objects.for_tenant(tenant).staff().select_related("user").order_by("pk")[:52]
    )
    agents = [m.user for m in staff]
    recent = list(
        Ticket.objects.for_tenant(tenant)
        .exclude(status=Ticket.Status.CLOSED)  # final: it takes no more changes
        .select_related("requester", "assignee")
        .order_by("-created_at")[: count * 2]
    )
    kinds: dict[str, int] = {}
    t0 = time.perf_counter()
    for ticket in rng.sample(recent, count):
        agent = ticket.assignee or rng.choice(agents)
        if ticket.status == "solved":
            move = rng.choice(["rate", "reopen"])
        else:
            move = rng.choice(["reply", "solve", "assign", "customer", "note"])
        if move == "reply":
            services.add_comment(ticket=ticket, author=agent, body=rng.choice(AGENT_REPLIES))
        elif move == "customer":
            services.add_comment(
                ticket=ticket,
                author=ticket.requester,
                body=rng.choice(CUSTOMER_REPLIES),
            )
        elif move == "solve":
            services.change_status(ticket=ticket, to="solved", by=agent)
        elif move == "assign":
            services.assign_ticket(ticket=ticket, assignee=rng.choice(agents), by=agent)
        elif move == "rate":
            services.rate_ticket(ticket=ticket, score=rng.randint(1, 5), by=ticket.requester)
        elif move == "reopen":
            services.reopen_ticket(ticket=ticket, by=ticket.requester)
        else:
            services.add_comment(ticket=ticket, author=agent, body="Follow-up.", is_public=False)
        kinds[move] = kinds.get(move, 0) + 1
    return {
        "changes": count,
        "seconds": round(time.perf_counter() - t0, 2),
        "kinds": kinds,
    }


# --- report ------------------------------------------------------------------------------------


def judge(result: dict) -> list[dict]:
    """Each target of the issue, the measured figure and whether it is met."""
    endpoints = result["endpoints"]
    floor = endpoints.get("healthz", {}).get("rps") or 0
    verdicts = []

    def add(target, figure, met):
        verdicts.append({"target": target, "measured": figure, "met": bool(met)})

    for name in READ_ENDPOINTS:
        e = endpoints.get(name)
        if not e:
            add(f"{name}: measured", "not available in this build", False)
            continue
        p95 = e["p95_ms"]
        add(
            f"{name}: p95 < 50 ms",
            f"{p95} ms",
            p95 is not None and p95 < TARGETS["read_p95_ms"],
        )
        share = e["rps"] / floor if floor else 0
        add(
            f"{name}: >= 1/3 of floor req/s ({floor / 3:.0f})",
            f"{e['rps']} req/s ({share:.0%} of floor)",
            share >= TARGETS["read_rps_share_of_floor"],
        )
        add(
            f"{name}: constant queries",
            f"{e['queries_min']}-{e['queries_max']} queries",
            e["queries_min"] is not None and e["queries_min"] == e["queries_max"],
        )
    for name in SUBMISSIONS:
        e = endpoints.get(name)
        add(
            f"{name}: >= 300 per second",
            f"{e['rps']} per s" if e else "not available",
            bool(e) and e["rps"] >= TARGETS["submissions_per_second"],
        )
    e = endpoints.get("metrics_dashboard")
    add(
        "metrics dashboard: p95 < 20 ms",
        f"{e['p95_ms']} ms" if e else "not available",
        bool(e) and e["p95_ms"] is not None and e["p95_ms"] < TARGETS["dashboard_ms"],
    )
    jobs = result.get("metrics_jobs", {})
    full, inc = jobs.get("full_rebuild_s"), jobs.get("incremental_s")
    add("full metrics rebuild < 60 s", f"{full} s" if full is not None else "not available",
        full is not None and full < TARGETS["full_rebuild_s"])  # fmt: skip
    add("incremental run after 500 changes < 2 s",
        f"{inc} s" if inc is not None else "not available",
        inc is not None and inc < TARGETS["incremental_s"])  # fmt: skip
    memory = result.get("memory_mb", {})
    peak = max((v for v in memory.values() if v is not None), default=None)
    add("worker memory < 200 MB", f"{peak} MB (max of {len(memory)} processes)",
        peak is not None and peak < TARGETS["worker_memory_mb"])  # fmt: skip
    return verdicts


def print_report(result: dict, out=sys.stdout) -> None:
    data = result["data"]
    out.write(
        f"\n{data['tickets']:,} tickets in tenant {result['tenant']!r} "
        f"({data['tenant_share']}); {result['config']['concurrency']} clients, "
        f"{result['config']['duration']} s each; commit {result['git']['commit'][:10]}"
        f"{' (dirty)' if result['git']['dirty'] else ''}\n\n"
    )
    columns = [("endpoint", -20), ("median ms", 10), ("p95 ms", 9), ("req/s", 9)]
    columns += [("queries", 9), ("errors", 8)]
    header = "".join(f"{t:<{-w}}" if w < 0 else f"{t:>{w}}" for t, w in columns)
    out.write(header + "\n" + "-" * len(header) + "\n")
    for name, e in result["endpoints"].items():
        queries = (
            "-"
            if e["queries_min"] is None
            else str(e["queries_min"])
            if e["queries_min"] == e["queries_max"]
            else f"{e['queries_min']}-{e['queries_max']}"
        )
        out.write(
            f"{name:<20}{_fmt(e['median_ms']):>10}{_fmt(e['p95_ms']):>9}{e['rps']:>9.1f}"
            f"{queries:>9}{e['errors']:>8}\n"
        )
    jobs = result.get("metrics_jobs", {})
    if jobs:
        out.write(
            f"\nmetrics: full rebuild {jobs.get('full_rebuild_s')} s; "
            f"{jobs.get('changes', {}).get('changes', 0)} changes applied in "
            f"{jobs.get('changes', {}).get('seconds')} s; "
            f"incremental run {jobs.get('incremental_s')} s\n"
        )
    out.write("peak memory (VmHWM, MB): ")
    out.write(", ".join(f"{k} {v}" for k, v in result["memory_mb"].items()) + "\n")
    cores = result["machine"]["cores"] or 1
    if result.get("load_at_start", [0])[0] > cores / 2:
        out.write(
            f"WARNING: the machine was busy before the run (load {result['load_at_start']} on "
            f"{cores} cores): figures are lower than this code can do.\n"
        )
    if result["notes"].get("static"):
        out.write(f"NOTE: {result['notes']['static']}\n")
    for name, reason in result["notes"].get("skipped", {}).items():
        out.write(f"skipped {name}: {reason}\n")
    out.write("\ntargets (relative to /healthz/ in this run):\n")
    for v in result["targets"]:
        out.write(f"  [{'met ' if v['met'] else 'MISS'}] {v['target']}: {v['measured']}\n")


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.1f}"


# --- main --------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenant", default="bench")
    parser.add_argument("--tickets", type=int, default=100_000, help="generate if fewer")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per endpoint")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--only", default="", help="comma-separated endpoint names")
    parser.add_argument("--changes", type=int, default=500, help="before the incremental run")
    parser.add_argument("--skip-metrics-jobs", action="store_true")
    parser.add_argument(
        "--json",
        default="",
        help="write the figures here (default bench/results/<ts>.json)",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    args.port = args.port or free_port()
    base_url = f"http://127.0.0.1:{args.port}"
    workdir = Path(tempfile.mkdtemp(prefix="helpdesk-bench-"))
    env = server_env(args.port, str(workdir / "static"))
    os.environ.update({k: env[k] for k in ("DEBUG", "SECRET_KEY", "STATIC_ROOT", "EMAIL_URL")})
    os.environ.update({"SECURE_SSL_REDIRECT": "0", "DJANGO_SETTINGS_MODULE": "helpdesk.settings"})
    ensure_database(os.environ["DATABASE_URL"])
    static_note = collect_static(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = env["DJANGO_SETTINGS_MODULE"]

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import Tenant
    from bench.generate import BENCH_PASSWORD, generate
    from tickets.models import Ticket

    log = sys.stderr.write
    log("migrating...\n")
    call_command("migrate", verbosity=0, interactive=False)
    tenant = Tenant.objects.filter(slug=args.tenant).first()
    have = Ticket.objects.for_tenant(tenant).count() if tenant else 0
    if have < args.tickets:
        log(f"generating {args.tickets:,} tickets (tenant has {have:,})...\n")
        summary = generate(
            slug=args.tenant,
            tickets=args.tickets,
            seed=args.seed,
            reset=True,
            progress=sys.stderr,
        )
        log(f"\ngenerated in {summary.seconds} s\n")
        tenant = Tenant.objects.get(slug=args.tenant)
    total = Ticket.objects.count()
    have = Ticket.objects.for_tenant(tenant).count()
    # Fresh statistics for every table (the data may come from an earlier run, and a server
    # with autovacuum off keeps none of its own): the plans measured are the ones it would make.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    python = sys.executable
    gunicorn = [
        python, "-m", "gunicorn", "helpdesk.wsgi:application",
        "--bind", f"127.0.0.1:{args.port}",
        "--workers", str(args.workers),
        "--worker-class", "gthread", "--threads", str(args.threads),
        "--keep-alive", "75", "--backlog", "2048",
        "--log-level", "warning",
    ]  # fmt: skip
    celery = [
        python, "-m", "celery", "-A", "helpdesk", "worker",
        "--concurrency", "1", "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": git_commit(),
        "tenant": args.tenant,
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
        "config": {
            "duration": args.duration,
            "concurrency": args.concurrency,
            "gunicorn_workers": args.workers,
            "gunicorn_threads": args.threads,
        },
        "data": {
            "tickets": have,
            "tickets_in_database": total,
            "tenant_share": f"{have / total:.0%} of the {total:,} tickets in the database"
            if total
            else "empty",
        },
        "endpoints": {},
        "memory_mb": {},
        "notes": {},
    }
    if static_note:
        result["notes"]["static"] = static_note
    only = {n for n in args.only.split(",") if n}
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    with (
        started(gunicorn, env, workdir / "gunicorn.log") as web,
        started(celery, env, workdir / "celery.log") as worker,
    ):
        wait_until_up(base_url, web, workdir / "gunicorn.log")
        endpoints, notes = prepare(args.tenant, base_url, BENCH_PASSWORD)
        result["notes"].update(notes)
        for endpoint in endpoints:
            if only and endpoint.name not in only and endpoint.name != "healthz":
                continue
            log(f"measuring {endpoint.name}...\n")
            load_before = os.getloadavg()[0]
            figures = measure(
                base_url, endpoint, duration=args.duration, concurrency=args.concurrency
            )
            result["endpoints"][endpoint.name] = figures.as_dict()
            # Other work on the machine skews every figure: keep the 1-minute load with them.
            result["endpoints"][endpoint.name]["load_before"] = round(load_before, 2)
            if figures.errors:
                log(f"  {figures.errors} errors; first: {figures.first_error[:200]}\n")
        if not args.skip_metrics_jobs and metrics_command():
            log("metrics: full rebuild...\n")
            jobs = {"full_rebuild_s": time_metrics(args.tenant, full=True)}
            time_metrics(args.tenant, full=False)  # settle: start from an up-to-date state
            log(f"metrics: {args.changes} changes through the ticket services...\n")
            jobs["changes"] = apply_changes(args.tenant, args.changes)
            time.sleep(2)  # let the worker drain what the changes enqueued
            log("metrics: incremental run...\n")
            jobs["incremental_s"] = time_metrics(args.tenant, full=False)
            result["metrics_jobs"] = jobs
        elif not metrics_command():
            result["notes"]["metrics_jobs"] = "no compute_metrics command in this build"
        for pid in children(web.pid):
            result["memory_mb"][f"gunicorn-{pid}"] = peak_memory_mb(pid)
        result["memory_mb"][f"celery-{worker.pid}"] = peak_memory_mb(worker.pid)
        for pid in children(worker.pid):
            result["memory_mb"][f"celery-child-{pid}"] = peak_memory_mb(pid)
    result["load_at_start"] = load_at_start
    result["targets"] = judge(result)
    print_report(result)
    path = (
        Path(args.json)
        if args.json
        else ROOT
        / "bench"
        / "results"
        / (datetime.now(UTC).strftime("%Y%m%d-%H%M%S") + f"-{have}.json")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n")
    sys.stdout.write(f"\nwrote {path}\n")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
