"""The load client: keep-alive HTTP with http.client, in separate processes, loopback only.

Nothing here imports Django, so client processes are light and measure the server, not
themselves. ``measure()`` runs ``concurrency`` client processes against one endpoint, each
bounded in time and in request count, and returns latency, throughput and query figures.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import re
import statistics
import time
import urllib.parse
from dataclasses import asdict, dataclass, field

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_REQUESTS_PER_CLIENT = 20_000  # a hard bound whatever the duration


@dataclass
class Endpoint:
    """One thing to measure. ``paths`` are cycled through (e.g. many ticket pages); ``form``
    or ``json_body`` make it a POST, where ``{n}`` in a value becomes a running number."""

    name: str
    paths: list[str]
    method: str = "GET"
    headers: dict = field(default_factory=dict)
    form: dict | None = None
    json_body: dict | None = None
    ok_statuses: tuple = (200, 201, 302, 303)


@dataclass
class Figures:
    name: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    rps: float = 0.0
    median_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None
    queries_median: int | None = None
    queries_min: int | None = None
    queries_max: int | None = None
    statuses: dict = field(default_factory=dict)
    first_error: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _check_loopback(host: str) -> None:
    if host not in LOOPBACK:
        raise ValueError(f"The benchmark only talks to loopback, not {host!r}.")


def percentile(values: list[float], pct: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def _body(endpoint: Endpoint, n: int) -> tuple[bytes | None, dict]:
    def fill(data: dict) -> dict:
        return {k: (v.replace("{n}", str(n)) if isinstance(v, str) else v) for k, v in data.items()}

    if endpoint.form is not None:
        body = urllib.parse.urlencode(fill(endpoint.form)).encode()
        return body, {"Content-Type": "application/x-www-form-urlencoded"}
    if endpoint.json_body is not None:
        return json.dumps(fill(endpoint.json_body)).encode(), {"Content-Type": "application/json"}
    return None, {}


def client_loop(args: tuple) -> dict:
    """One client: sequential keep-alive requests until ``duration`` or ``max_requests``."""
    host, port, endpoint_dict, duration, max_requests, warmup, client_no = args
    _check_loopback(host)
    endpoint = Endpoint(**endpoint_dict)
    conn = http.client.HTTPConnection(host, port, timeout=30)
    latencies: list[float] = []
    queries: list[int] = []
    statuses: dict[str, int] = {}
    errors = 0
    first_error = ""
    sent = 0
    deadline = None
    started = None
    i = 0
    total = warmup + max_requests
    while i < total:
        if i == warmup:
            started = time.perf_counter()
            deadline = started + duration
        elif deadline is not None and time.perf_counter() >= deadline:
            break
        path = endpoint.paths[(i + client_no * 7) % len(endpoint.paths)]
        body, extra = _body(endpoint, client_no * 1_000_000 + i)
        headers = {**endpoint.headers, **extra}
        t0 = time.perf_counter()
        try:
            conn.request(endpoint.method, path, body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            elapsed = time.perf_counter() - t0
            status = response.status
            counted = response.getheader("X-Queries")
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
            elapsed, status, counted, payload = (
                time.perf_counter() - t0,
                0,
                None,
                str(exc).encode(),
            )
        i += 1
        if i <= warmup:
            continue
        sent += 1
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        if status in endpoint.ok_statuses:
            latencies.append(elapsed)
            if counted is not None:
                queries.append(int(counted))
        else:
            errors += 1
            if not first_error:
                first_error = f"{status} {path}: {payload[:300].decode(errors='replace')}"
    conn.close()
    seconds = time.perf_counter() - started if started else 0.0
    return {
        "latencies": latencies,
        "queries": queries,
        "statuses": statuses,
        "errors": errors,
        "first_error": first_error,
        "seconds": seconds,
        "sent": sent,
    }


def summarise(name: str, results: list[dict]) -> Figures:
    latencies = [x for r in results for x in r["latencies"]]
    queries = [q for r in results for q in r["queries"]]
    statuses: dict[str, int] = {}
    for r in results:
        for k, v in r["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
    seconds = max((r["seconds"] for r in results), default=0.0)
    figures = Figures(
        name=name,
        requests=len(latencies),
        errors=sum(r["errors"] for r in results),
        seconds=round(seconds, 2),
        rps=round(len(latencies) / seconds, 1) if seconds else 0.0,
        statuses=statuses,
        first_error=next((r["first_error"] for r in results if r["first_error"]), ""),
    )
    if latencies:
        figures.median_ms = round(statistics.median(latencies) * 1000, 2)
        figures.p95_ms = round(percentile(latencies, 95) * 1000, 2)
        figures.max_ms = round(max(latencies) * 1000, 2)
    if queries:
        figures.queries_median = int(statistics.median(queries))
        figures.queries_min, figures.queries_max = min(queries), max(queries)
    return figures


def measure(
    base_url: str,
    endpoint: Endpoint,
    *,
    duration: float = 10.0,
    concurrency: int = 4,
    max_requests: int = MAX_REQUESTS_PER_CLIENT,
    warmup: int = 3,
) -> Figures:
    """Run ``concurrency`` client processes against one endpoint; each stops after
    ``duration`` seconds or ``max_requests`` requests, whichever comes first."""
    url = urllib.parse.urlsplit(base_url)
    _check_loopback(url.hostname)
    args = [
        (url.hostname, url.port, asdict(endpoint), duration, max_requests, warmup, n)
        for n in range(concurrency)
    ]
    context = multiprocessing.get_context("spawn")  # clean clients: no Django, no DB handles
    with context.Pool(concurrency) as pool:
        results = pool.map(client_loop, args)
    return summarise(endpoint.name, results)


# --- signing in, as a browser and as an integrator ---------------------------------------------


def _cookies(response) -> dict:
    jar = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def cookie_header(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def sign_in(base_url: str, email: str, password: str) -> dict:
    """Sign in through the real login page; returns the cookies (sessionid, csrftoken)."""
    url = urllib.parse.urlsplit(base_url)
    _check_loopback(url.hostname)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    jar = _cookies(response)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        raise RuntimeError("No CSRF token on the login page.")
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1), "username": email, "password": password}
    )
    conn.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(jar),
        },
    )
    response = conn.getresponse()
    response.read()
    jar.update(_cookies(response))
    conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"Sign-in as {email} failed ({response.status}).")
    return jar


def api_token(base_url: str, email: str, password: str) -> str:
    url = urllib.parse.urlsplit(base_url)
    _check_loopback(url.hostname)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request(
        "POST",
        "/api/v1/auth/token/",
        body=json.dumps({"email": email, "password": password, "name": "benchmark"}),
        headers={"Content-Type": "application/json"},
    )
    response = conn.getresponse()
    data = json.loads(response.read() or b"{}")
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"No API token for {email} ({response.status}: {data}).")
    return data["token"]


def probe(base_url: str, path: str, headers: dict | None = None) -> tuple[int, str]:
    """One GET: its status and the start of its body (to see whether an endpoint exists)."""
    url = urllib.parse.urlsplit(base_url)
    _check_loopback(url.hostname)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read().decode(errors="replace")
    conn.close()
    return response.status, body
