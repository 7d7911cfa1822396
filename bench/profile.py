"""Where does one page spend its time? pyinstrument, the SQL it runs, and EXPLAIN ANALYZE.

    .venv/bin/python bench/profile.py /t/bench/workspace/ --as agent [--explain] [--repeat 20]

Renders the page in-process with Django's test client, signed in as one of the generated
people (admin, supervisor, agent, customer of bench/generate.py), after one warm-up request.
Prints the slowest queries with their time, the pyinstrument call tree over ``--repeat``
requests, and with ``--explain`` the EXPLAIN (ANALYZE, BUFFERS) plan of each distinct SELECT.
Needs ``pip install -r bench/requirements.txt`` (pyinstrument).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--as", dest="role", default="agent")
    parser.add_argument("--tenant", default="bench")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--method", default="GET")
    args = parser.parse_args(argv)

    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helpdesk_bench")
    os.environ.setdefault("SECRET_KEY", "bench-profile")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from accounts.models import User
    from bench.generate import logins

    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    client = Client()
    client.force_login(User.objects.get(email=logins(args.tenant)[args.role]))
    response = client.generic(args.method, args.path)
    print(f"{args.method} {args.path} as {args.role}: {response.status_code}")

    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        client.generic(args.method, args.path)
        elapsed = time.perf_counter() - t0
    captured = list(queries.captured_queries)  # the next request resets Django's query log
    print(f"one request: {elapsed * 1000:.1f} ms, {len(captured)} queries")
    for q in sorted(captured, key=lambda q: -float(q["time"]))[:10]:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:220]}")

    # CPU time of this process per request: what the page costs in Python, whatever else runs.
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(args.repeat):
        client.generic(args.method, args.path)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(
        f"{args.repeat} requests: {cpu / args.repeat * 1000:.1f} ms CPU (Python) and "
        f"{wall / args.repeat * 1000:.1f} ms wall each"
    )
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(args.repeat):
        client.generic(args.method, args.path)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))

    if args.explain:
        seen = set()
        with connection.cursor() as cursor:
            for q in captured:
                sql = q["sql"]
                if not sql.lstrip().upper().startswith("SELECT") or sql in seen:
                    continue
                seen.add(sql)
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                print("\n" + sql[:400])
                print("\n".join(row[0] for row in cursor.fetchall()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
