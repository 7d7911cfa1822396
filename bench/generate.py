"""Fill one tenant with a realistic, deterministic helpdesk history, fast.

    .venv/bin/python bench/generate.py --tenant bench --tickets 1000000 --seed 1 [--reset]

Tickets are spread over the two years before the current hour (more recent months are busier,
weekdays busier than weekends); each plays a plausible life: created, maybe re-prioritised,
assigned to an agent who works its queue, opened, 1-6 replies and notes, pending, solved,
sometimes rated, sometimes reopened, later closed. Every ticket's ``created_at``,
``first_response_at``, ``solved_at``, ``reopened_count``, ``status`` and ``updated_at`` agree
with its ``TicketEvent`` history, which is what the metrics are computed from.

People, organizations and queues are few (tens of thousands of rows at most) and go through the
ORM (``bulk_create``) and the ticket services (queue grants). Tickets, comments, events and
ratings go through PostgreSQL ``COPY`` from in-memory buffers, in batches, with table and column
names read from the models, so a model change does not break the generator: a column it does not
know gets the field's default (or NULL).

Every generated person's password is ``BENCH_PASSWORD`` (one hash, computed once).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_PASSWORD = "bench-password-1"  # every generated person signs in with it
N_QUEUES = 20
N_AGENTS = 50
BATCH_TICKETS = 20_000  # tickets per COPY round (with their comments, events and ratings)
# From this many tickets on, drop the big tables' secondary indexes for the load and build them
# again after it (much faster than updating them row by row), all in one transaction.
BULK_INDEX_REBUILD = 100_000
SPAN = timedelta(days=730)

QUEUE_NAMES = [
    "Billing",
    "Technical",
    "Accounts",
    "Integrations",
    "Mobile app",
    "Security",
    "Onboarding",
    "Data export",
    "API",
    "Shipping",
    "Returns",
    "Enterprise",
    "Partners",
    "Compliance",
    "Hardware",
    "Networking",
    "Reporting",
    "Feature requests",
    "Abuse",
    "General",
]
SUBJECTS = [
    "Charged twice for the {month} invoice",
    "Cannot sign in since the update",
    "Export to CSV times out",
    "API returns 502 for {thing}",
    "Webhook deliveries are delayed",
    "Please add two colleagues to our account",
    "Refund for unused seats",
    "Dashboard shows a blank page",
    "Two-factor codes are not accepted",
    "Invoice shows the wrong VAT number",
    "Attachments over 5 MB fail to upload",
    "SSO login loops back to the start page",
    "How do I change the owner of our workspace?",
    "Report for {month} is missing rows",
    "{thing} is slow for our team",
    "Question about the annual plan",
]
THINGS = [
    "the search",
    "the mobile app",
    "the export",
    "the reports",
    "sync",
    "the API",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"]
DESCRIPTIONS = [
    "Hello,\n\nSince this morning {thing} does not work for us. We tried again after clearing "
    "the cache and from another browser, with the same result. Could you have a look?\n\nThanks",
    "Hi team,\n\nWe noticed this on {month} 12th and several people in our office are affected. "
    "It is blocking our month-end work, so a quick answer would help a lot.\n\nBest regards",
    "Good afternoon,\n\nIs this expected? The documentation says otherwise and we could not "
    "find a setting for it. Screenshots can follow if needed.\n\nKind regards",
]
AGENT_REPLIES = [
    "Thanks for reaching out - I'm looking into this now and will get back to you shortly.",
    "Could you send us a screenshot of what you see, and the time it happened?",
    "We found the cause and deployed a fix. Could you try again and let us know?",
    "I've corrected this on our side; you should see the change within the hour.",
    "This is a known issue; our engineers are on it. I'll update you as soon as it is fixed.",
]
CUSTOMER_REPLIES = [
    "Here is the screenshot you asked for.",
    "It works now, thank you!",
    "Still happening for me, unfortunately.",
    "Thanks, that answers my question.",
]
NOTES = [
    "Known issue, linked to Tuesday's incident.",
    "Checked the logs: retry storm from their side.",
    "Escalated to engineering.",
    "VIP account - keep the manager informed.",
]
RATING_COMMENTS = [
    "",
    "",
    "Fast and friendly, thank you!",
    "Took a while.",
    "Still not happy.",
]
PRIORITIES = (["low"] * 20) + (["normal"] * 55) + (["high"] * 18) + (["urgent"] * 7)


@dataclass
class Summary:
    tenant: str
    tickets: int = 0
    comments: int = 0
    events: int = 0
    ratings: int = 0
    customers: int = 0
    organizations: int = 0
    agents: int = 0
    queues: int = 0
    articles: int = 0
    seconds: float = 0.0
    logins: dict = field(default_factory=dict)


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django

    django.setup()


def bench_email(slug: str, local: str) -> str:
    return f"{local}@{slug}.bench.test"


def logins(slug: str) -> dict:
    """The people the benchmark signs in as (all with BENCH_PASSWORD)."""
    return {
        "admin": bench_email(slug, "admin"),
        "supervisor": bench_email(slug, "supervisor"),
        "agent": bench_email(slug, "agent01"),
        "customer": bench_email(slug, "customer00001"),
    }


def people_counts(tickets: int) -> tuple[int, int]:
    """Customers and organizations for a history of this size (thousands at scale)."""
    customers = max(40, min(10_000, tickets // 20))
    return customers, max(4, customers // 10)


# --- COPY ------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        value = json.dumps(value)
    value = str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


class CopyTable:
    """Rows for one model, buffered and sent with COPY. ``names`` are the model's field names
    the caller provides, in order; every other concrete column gets the field's default."""

    def __init__(self, model, names: list[str]):
        meta = model._meta
        self.model = model
        self.table = meta.db_table
        given = [meta.get_field(n) for n in names]
        given_set = {f.name for f in given}
        self.extra = []  # (field, constant text or None, callable or None)
        for f in meta.concrete_fields:
            if f.name in given_set or (f.primary_key and f.name not in given_set):
                continue
            if getattr(f, "generated", False):
                continue
            if f.has_default():
                if callable(f.default):
                    self.extra.append((f, None, f.default))
                else:
                    self.extra.append((f, _text(f.default), None))
            elif f.null:
                self.extra.append((f, "\\N", None))
            elif f.blank and f.empty_strings_allowed:
                self.extra.append((f, "", None))  # as Django's get_default() fills it
            else:
                raise RuntimeError(
                    f"bench/generate.py does not know how to fill {self.table}.{f.column} "
                    "(NOT NULL, no default): add it to the generator."
                )
        self.columns = [f.column for f in given] + [f.column for f, _c, _fn in self.extra]
        self.constant_tail = all(fn is None for _f, _c, fn in self.extra)
        tail = [c for _f, c, _fn in self.extra]
        self.tail_text = ("\t" + "\t".join(tail)) if tail and self.constant_tail else ""
        self.buffer = io.StringIO()
        self.count = 0
        self.total = 0

    def add(self, *values) -> None:
        line = "\t".join(map(_text, values))
        if self.constant_tail:
            line += self.tail_text
        else:
            line += "\t" + "\t".join(c if fn is None else _text(fn()) for _f, c, fn in self.extra)
        self.buffer.write(line)
        self.buffer.write("\n")
        self.count += 1

    def flush(self, cursor) -> None:
        if not self.count:
            return
        self.buffer.seek(0)
        columns = ", ".join(f'"{c}"' for c in self.columns)
        cursor.copy_expert(f'COPY "{self.table}" ({columns}) FROM STDIN', self.buffer)
        self.total += self.count
        self.buffer = io.StringIO()
        self.count = 0


def _conn():
    from django.db import connection

    return connection


def _raw_cursor():
    """psycopg2's own cursor (copy_expert), inside Django's connection and transaction."""
    connection = _conn()
    connection.ensure_connection()
    return connection.connection.cursor()


# --- people and queues -----------------------------------------------------------------------


def remove_tenant(slug: str, out=None) -> bool:
    """Delete a generated tenant and its people quickly (raw DELETEs for the big tables)."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from accounts.models import Tenant, User
    from accounts.tenancy import TenantOwned
    from tickets.models import Queue

    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        return False
    if out:
        out.write(f"removing tenant {slug!r}...\n")
    owned = [m for m in apps.get_models() if issubclass(m, TenantOwned) and not m._meta.proxy]
    owned_set = set(owned)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        _skip_fk_triggers(cursor, local=True)  # every row of the tenant goes: nothing dangles
        # Guardian's object permissions point at queues by id, not by a foreign key.
        queue_ct = ContentType.objects.get_for_model(Queue)
        queue_ids = [
            str(pk) for pk in Queue.objects.for_tenant(tenant).values_list("pk", flat=True)
        ]
        from guardian.models import GroupObjectPermission, UserObjectPermission

        for perm_model in (UserObjectPermission, GroupObjectPermission):
            perm_model.objects.filter(content_type=queue_ct, object_pk__in=queue_ids).delete()
        # Rows outside the tenant-owned models that point at them (M2M tables, ...).
        for model in apps.get_models(include_auto_created=True):
            if model in owned_set:
                continue
            for f in model._meta.concrete_fields:
                target = getattr(f, "related_model", None)
                if f.is_relation and target in owned_set:
                    cursor.execute(
                        f'DELETE FROM "{model._meta.db_table}" WHERE "{f.column}" IN '  # noqa: S608
                        f'(SELECT id FROM "{target._meta.db_table}" WHERE tenant_id = %s)',
                        [tenant.pk],
                    )
        for model in owned:
            cursor.execute(
                f'DELETE FROM "{model._meta.db_table}" WHERE tenant_id = %s',  # noqa: S608
                [tenant.pk],
            )
    Tenant.objects.filter(pk=tenant.pk).delete()
    User.objects.filter(email__endswith=f"@{slug}.bench.test").delete()
    return True


def _people(slug: str, tenant, rng: random.Random, n_customers: int, n_orgs: int):
    from django.contrib.auth.hashers import make_password

    from accounts.models import Membership, Organization, Role, User
    from accounts.services import ensure_builtin_roles
    from tickets.models import Queue
    from tickets.services import grant_queue

    ensure_builtin_roles(tenant=tenant)
    roles = {r.key: r for r in Role.objects.for_tenant(tenant)}
    password = make_password(BENCH_PASSWORD)  # one hash for everyone
    joined = datetime.now(UTC) - SPAN - timedelta(days=30)

    orgs = Organization.objects.bulk_create(
        Organization(
            tenant=tenant,
            name=f"Customer company {i:05d}",
            domain=f"company{i:05d}.example",
            created_at=joined,
        )
        for i in range(1, n_orgs + 1)
    )
    staff = [
        ("admin", "Ada Admin", "admin"),
        ("supervisor", "Sam Supervisor", "supervisor"),
    ]
    staff += [(f"agent{i:02d}", f"Agent {i:02d}", "agent") for i in range(1, N_AGENTS + 1)]
    customers = [
        (f"customer{i:05d}", f"Customer {i:05d}", "customer") for i in range(1, n_customers + 1)
    ]
    users = User.objects.bulk_create(
        User(
            email=bench_email(slug, local),
            name=name,
            password=password,
            date_joined=joined,
        )
        for local, name, _role in staff + customers
    )
    by_local = {u.email.split("@")[0]: u for u in users}
    members = []
    customer_org = {}
    for local, _name, role in staff + customers:
        org = None
        if role == "customer" and rng.random() < 0.8:
            org = orgs[rng.randrange(len(orgs))]
        user = by_local[local]
        customer_org[user.pk] = org.pk if org else None
        members.append(
            Membership(
                tenant=tenant,
                user=user,
                role=roles[role],
                organization=org,
                joined_at=joined,
            )
        )
    Membership.objects.bulk_create(members)

    queues = Queue.objects.bulk_create(
        Queue(
            tenant=tenant,
            name=name,
            description=f"Requests about {name.lower()}.",
            created_at=joined,
        )
        for name in QUEUE_NAMES[:N_QUEUES]
    )
    admin = by_local["admin"]
    agents = [by_local[f"agent{i:02d}"] for i in range(1, N_AGENTS + 1)]
    workers: dict[int, list] = {q.pk: [] for q in queues}
    for i, agent in enumerate(agents):
        # Each agent works 2-4 queues; together they cover every queue.
        picks = {queues[i % len(queues)]} | set(rng.sample(queues, rng.randint(1, 3)))
        for queue in sorted(picks, key=lambda q: q.pk):
            grant_queue(queue=queue, user=agent, by=admin)
            workers[queue.pk].append(agent)
    customer_users = [by_local[local] for local, _n, _r in customers]
    return queues, workers, customer_users, customer_org, orgs, by_local


def _articles(tenant, by_local, rng) -> int:
    """200 articles through the knowledge app's service, if it has one (optional: skipped
    cleanly when the app has no Article model or no service whose arguments we can fill)."""
    import inspect

    from django.apps import apps

    try:
        apps.get_model("knowledge", "Article")
        from knowledge import services
    except (LookupError, ImportError):
        return 0
    author = by_local["supervisor"]
    for name in ("create_article", "write_article", "publish_article", "save_article"):
        create = getattr(services, name, None)
        if create is not None:
            break
    else:
        return 0
    params = inspect.signature(create).parameters
    made = 0
    for i in range(200):
        subject = rng.choice(SUBJECTS).format(month=rng.choice(MONTHS), thing=rng.choice(THINGS))
        offered = {
            "tenant": tenant,
            "by": author,
            "author": author,
            "owner": author,
            "title": f"How to solve: {subject} ({i + 1})",
            "body": "## What happened\n\n"
            + rng.choice(DESCRIPTIONS).format(month="May", thing=rng.choice(THINGS))
            + "\n\n## What to do\n\n"
            + "\n".join(f"{n}. {rng.choice(AGENT_REPLIES)}" for n in range(1, 4)),
        }
        needed = [
            p
            for p in params.values()
            if p.default is inspect.Parameter.empty
            and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        if any(p.name not in offered for p in needed):
            return made
        create(**{k: v for k, v in offered.items() if k in params})
        made += 1
    return made


# --- the ticket histories ------------------------------------------------------------------------


def _channel(number: int) -> str:
    """How ticket ``number`` came in: half by e-mail, a third by the portal, the rest by API
    or staff. From the number, not the random stream, so that the rest of a history stays
    what the same seed made before tickets had a channel."""
    bucket = (number * 2654435761) % 100
    for share, channel in ((50, "email"), (85, "portal"), (95, "api")):
        if bucket < share:
            return channel
    return "staff"


# Service levels: office hours Sunday to Thursday in Jerusalem with two holidays a year, a
# tight policy for urgent and high tickets, a looser one for normal ones, none for low ones.
SLA_HOURS = [{"weekday": day, "start": "09:00", "end": "17:00"} for day in (6, 0, 1, 2, 3)]
SLA_ZONE = "Asia/Jerusalem"
SLA_POLICIES = [
    # name, priorities, first response, resolution (business minutes)
    ("Priority", ["urgent", "high"], 60, 8 * 60),
    ("Standard", ["normal"], 4 * 60, 3 * 8 * 60),
]
SLA_COLUMNS = [
    "sla_policy", "first_response_due_at", "resolution_due_at", "first_response_met",
    "resolution_met", "first_response_business_seconds", "resolution_business_seconds",
]  # fmt: skip


def _service_levels(tenant, end: datetime):
    """The tenant's calendar and policies, and a function giving a ticket's service-level
    columns (SLA_COLUMNS) as ``tickets.services.service_levels`` would have set them (the
    generated policies do not pause, so no pending spans are read). From the priority, not
    the random stream: the rest of a history stays what the same seed made before."""
    from datetime import date

    from core.business_time import add_business_minutes, business_seconds_between, weekly_spans
    from tickets.models import Calendar, Holiday, SlaPolicy

    calendar = Calendar.objects.create(
        tenant=tenant, name="Office hours", time_zone=SLA_ZONE, hours=SLA_HOURS
    )
    years = range(end.year - 3, end.year + 2)
    Holiday.objects.bulk_create(
        [Holiday(calendar=calendar, date=date(y, m, d)) for y in years for m, d in ((4, 13),)]
        + [Holiday(calendar=calendar, date=date(y, 10, 2)) for y in years]
    )
    hours, holidays = weekly_spans(SLA_HOURS), frozenset(calendar.holiday_dates())
    by_priority = {}
    for position, (name, priorities, first, resolution) in enumerate(SLA_POLICIES):
        policy = SlaPolicy.objects.create(
            tenant=tenant,
            name=name,
            position=position,
            calendar=calendar,
            conditions={"priority": priorities},
            first_response_minutes=first,
            resolution_minutes=resolution,
            pause_when_pending=False,
        )
        by_priority.update(dict.fromkeys(priorities, (policy.pk, first, resolution)))

    def columns(t: dict) -> list:
        terms = by_priority.get(t["priority"])
        if terms is None:
            return [None] * len(SLA_COLUMNS)
        policy_id, first, resolution = terms
        created, answered, solved = t["created_at"], t.get("first_response_at"), t.get("solved_at")
        first_due = add_business_minutes(created, first, hours, holidays, SLA_ZONE)
        resolution_due = add_business_minutes(created, resolution, hours, holidays, SLA_ZONE)
        done = answered or solved  # a solve answers the first response too
        return [
            policy_id,
            first_due,
            resolution_due,
            None if done is None else done <= first_due,
            None if solved is None else solved <= resolution_due,
            None
            if answered is None
            else business_seconds_between(created, answered, hours, holidays, SLA_ZONE),
            None
            if solved is None
            else business_seconds_between(created, solved, hours, holidays, SLA_ZONE),
        ]

    return columns


def _ticket_times(rng: random.Random, n: int, end: datetime) -> list[datetime]:
    """n creation times over two years: growing volume, quieter weekends, office hours."""
    start = end - SPAN
    span_s = SPAN.total_seconds()
    times = []
    while len(times) < n:
        t = start + timedelta(seconds=span_s * math.sqrt(rng.random()))
        if t.weekday() >= 5 and rng.random() < 0.6:
            continue
        if not 7 <= t.hour <= 19 and rng.random() < 0.5:
            continue
        times.append(t.replace(microsecond=0))
    times.sort()
    return times


class _Life:
    """One ticket's history as rows; ``at`` only moves forward and never passes ``end``."""

    __slots__ = ("at", "end", "events", "comments")

    def __init__(self, at, end):
        self.at, self.end = at, end
        self.events: list = []
        self.comments: list = []

    def later(self, rng, low_min, high_min):
        self.at = min(self.at + timedelta(minutes=rng.uniform(low_min, high_min)), self.end)
        return self.at

    def event(self, actor, kind, old="", new="", comment=None):
        self.events.append((actor, kind, old, new, self.at, comment))

    def comment(self, author, body, public=True):
        self.comments.append((author, body, public, self.at))
        # The reply or note event points at its comment (by position, an id later).
        self.event(author, "reply" if public else "note", comment=len(self.comments) - 1)


def _live(rng: random.Random, t: dict, agents: list, end: datetime) -> tuple[_Life, dict]:
    """Play the life of ticket ``t`` (a dict of its columns); returns its rows and rating."""
    life = _Life(t["created_at"], end)
    requester = t["requester_id"]
    life.event(requester, "created")
    state = {
        "status": "new",
        "assignee": None,
        "first_response": None,
        "solved": None,
        "reopened": 0,
    }
    age_days = (end - t["created_at"]).total_seconds() / 86400
    if rng.random() < 0.12:
        new = rng.choice([p for p in ("low", "high", "urgent") if p != t["priority"]])
        life.later(rng, 1, 30)
        life.event(None, "priority", t["priority"], new)
        t["priority"] = new
    rating = None
    # Fresh tickets are often still waiting; old ones have almost all been worked.
    if rng.random() < (0.5 if age_days < 1 else 0.005):
        return life, rating
    agent_pk, agent_email = rng.choice(agents)
    life.later(rng, 5, 600)
    life.event(agent_pk, "assignee", "", agent_email)
    state["assignee"] = agent_pk
    life.event(agent_pk, "status", "new", "open")
    state["status"] = "open"
    n_comments = rng.randint(1, 6)
    for i in range(n_comments):
        if i == 0 or rng.random() < 0.45:
            if rng.random() < 0.2:
                life.later(rng, 5, 90)
                life.comment(agent_pk, rng.choice(NOTES), public=False)
                continue
            life.later(rng, 10, 900)
            _agent_reply(rng, life, state, agent_pk)
        else:
            life.later(rng, 30, 1500)
            life.comment(requester, rng.choice(CUSTOMER_REPLIES))
    # Recent tickets are often still being worked; a few old ones got stuck (the backlog).
    if life.at >= end or (age_days < 3 and rng.random() < 0.6) or rng.random() < 0.01:
        if rng.random() < 0.5 and life.at < end:
            life.later(rng, 1, 10)
            life.event(agent_pk, "status", "open", "pending")
            state["status"] = "pending"
        t.update(_finish(state, life))
        return life, rating
    if rng.random() < 0.25:
        life.later(rng, 1, 10)
        life.event(agent_pk, "status", "open", "pending")
        state["status"] = "pending"
        life.later(rng, 60, 2880)
        life.comment(requester, rng.choice(CUSTOMER_REPLIES))
        life.event(requester, "status", "pending", "open")
        state["status"] = "open"
    life.later(rng, 30, 2000)
    life.event(agent_pk, "status", state["status"], "solved")
    state["status"] = "solved"
    state["solved"] = life.at
    if rng.random() < 0.35:
        score = rng.choices([5, 4, 3, 2, 1], weights=[50, 25, 10, 8, 7])[0]
        life.later(rng, 10, 1440)
        life.event(requester, "rated", "", str(score))
        rating = (score, rng.choice(RATING_COMMENTS), agent_pk, life.at)
    if rng.random() < 0.08 and life.at < end:
        life.later(rng, 60, 2000)
        life.event(requester, "status", "solved", "open")
        state["status"] = "open"
        state["reopened"] += 1
        life.later(rng, 10, 300)
        _agent_reply(rng, life, state, agent_pk)
        if life.at < end and rng.random() < 0.9:
            life.later(rng, 30, 600)
            life.event(agent_pk, "status", "open", "solved")
            state["status"] = "solved"
    if state["status"] == "solved" and (end - life.at).days > 5 and rng.random() < 0.6:
        life.later(rng, 4 * 1440, 5 * 1440)
        life.event(None, "status", "solved", "closed")
        state["status"] = "closed"
    t.update(_finish(state, life))
    return life, rating


def _agent_reply(rng, life, state, agent_pk) -> None:
    life.comment(agent_pk, rng.choice(AGENT_REPLIES))
    if state["first_response"] is None:  # the first public staff reply
        state["first_response"] = life.at


def _finish(state, life) -> dict:
    return {
        "status": state["status"],
        "assignee_id": state["assignee"],
        "first_response_at": state["first_response"],
        "solved_at": state["solved"],
        "reopened_count": state["reopened"],
        "updated_at": life.at,
    }


def generate(
    *,
    slug: str = "bench",
    tickets: int = 10_000,
    seed: int = 1,
    reset: bool = False,
    progress=None,
    end: datetime | None = None,
) -> Summary:
    """Create tenant ``slug`` with ``tickets`` tickets of history. Refuses to add to an existing
    tenant unless ``reset`` (which removes it first)."""
    from django.db import connection, transaction

    from accounts.models import Tenant
    from accounts.services import create_tenant
    from tickets.models import Comment, Rating, Ticket, TicketEvent

    started = time.monotonic()
    rng = random.Random(seed)
    if Tenant.objects.filter(slug=slug).exists():
        if not reset:
            raise SystemExit(f"Tenant {slug!r} exists; use --reset to rebuild it.")
        remove_tenant(slug, out=progress)
    end = end or datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    n_customers, n_orgs = people_counts(tickets)
    summary = Summary(tenant=slug, customers=n_customers, organizations=n_orgs, agents=N_AGENTS)

    with transaction.atomic():
        tenant = create_tenant(slug=slug, name=f"{slug.title()} (benchmark)")
        queues, workers, customers, customer_org, orgs, by_local = _people(
            slug, tenant, rng, n_customers, n_orgs
        )
        summary.queues = len(queues)
        summary.articles = _articles(tenant, by_local, rng)
        # Newer models carry service levels; older ones (measured before and after) not.
        has_sla = any(f.name == "sla_policy" for f in Ticket._meta.concrete_fields)
        sla_of = _service_levels(tenant, end) if has_sla else None
    queue_weights = [1.0 / (i + 1) ** 0.7 for i in range(len(queues))]
    # A few customers write a lot, most write a little (Zipf-like).
    customer_weights = [1.0 / (i + 1) ** 0.8 for i in range(len(customers))]
    cum_customers = list(_cumulative(customer_weights))
    cum_queues = list(_cumulative(queue_weights))
    times = _ticket_times(rng, tickets, end)
    with connection.cursor() as c:
        c.execute("SET synchronous_commit TO OFF")  # bulk load: durability per batch is enough
        _skip_fk_triggers(c)

    with connection.cursor() as c:
        table = Ticket._meta.db_table
        c.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608
        next_id = c.fetchone()[0] + 1
        comment_table = Comment._meta.db_table
        c.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{comment_table}"')  # noqa: S608
        next_comment_id = c.fetchone()[0] + 1
        c.execute(
            f'SELECT COALESCE(MAX(number), 0) FROM "{table}" WHERE tenant_id = %s',  # noqa: S608
            [tenant.pk],
        )
        number = c.fetchone()[0]

    # Newer models record how a request came in; older ones (measured before and after) not.
    has_channel = any(f.name == "channel" for f in Ticket._meta.concrete_fields)
    ticket_rows = CopyTable(
        Ticket,
        [
            "id", "tenant", "number", "subject", "description", "status", "priority", "queue",
            "requester", "organization", "assignee", "created_at", "updated_at",
            "first_response_at", "solved_at", "reopened_count",
        ] + (["channel"] if has_channel else []) + (SLA_COLUMNS if sla_of else []),
    )  # fmt: skip
    comment_rows = CopyTable(
        Comment, ["id", "tenant", "ticket", "author", "body", "is_public", "created_at"]
    )
    event_fields = ["tenant", "ticket", "actor", "kind", "old_value", "new_value", "created_at"]
    # Newer models link a reply or note event to its comment (the timeline shows it inline).
    links_comment = any(f.name == "comment" for f in TicketEvent._meta.concrete_fields)
    event_rows = CopyTable(TicketEvent, event_fields + (["comment"] if links_comment else []))
    rating_rows = CopyTable(
        Rating,
        ["tenant", "ticket", "score", "comment", "agent", "created_at", "updated_at"],
    )
    tables = [ticket_rows, comment_rows, event_rows, rating_rows]
    agents_by_queue = {q.pk: [(a.pk, a.email) for a in workers[q.pk]] for q in queues}
    tenant_id = tenant.pk
    bar = _Progress(tickets, progress)
    big_tables = [Ticket, Comment, TicketEvent, Rating]
    with _indexes_rebuilt_after(big_tables, enabled=tickets >= BULK_INDEX_REBUILD, out=progress):
        for i, created_at in enumerate(times):
            number += 1
            requester = customers[_pick(rng, cum_customers)]
            queue = queues[_pick(rng, cum_queues)]
            t = {
                "created_at": created_at,
                "requester_id": requester.pk,
                "priority": rng.choice(PRIORITIES),
            }
            life, rating = _live(rng, t, agents_by_queue[queue.pk], end)
            subject = rng.choice(SUBJECTS).format(
                month=rng.choice(MONTHS), thing=rng.choice(THINGS)
            )
            description = rng.choice(DESCRIPTIONS).format(
                month=rng.choice(MONTHS), thing=rng.choice(THINGS)
            )
            ticket_id = next_id + i
            ticket_rows.add(
                ticket_id, tenant_id, number, subject, description, t.get("status", "new"),
                t["priority"], queue.pk, requester.pk, customer_org[requester.pk],
                t.get("assignee_id"), created_at, t.get("updated_at", life.at),
                t.get("first_response_at"), t.get("solved_at"), t.get("reopened_count", 0),
                *([_channel(number)] if has_channel else []),
                *(sla_of(t) if sla_of else []),
            )  # fmt: skip
            first_comment = next_comment_id
            for author, body, public, at in life.comments:
                comment_rows.add(next_comment_id, tenant_id, ticket_id, author, body, public, at)
                next_comment_id += 1
            for actor, kind, old, new, at, comment in life.events:
                if links_comment:
                    comment_id = None if comment is None else first_comment + comment
                    event_rows.add(tenant_id, ticket_id, actor, kind, old, new, at, comment_id)
                else:
                    event_rows.add(tenant_id, ticket_id, actor, kind, old, new, at)
            if rating:
                score, comment, agent, at = rating
                rating_rows.add(tenant_id, ticket_id, score, comment, agent, at, at)
            if ticket_rows.count >= BATCH_TICKETS:
                _flush(tables)
                bar.update(i + 1)
        _flush(tables)
        bar.update(len(times))
    with connection.cursor() as c:
        for model in (Ticket, Comment, TicketEvent, Rating):
            table = model._meta.db_table
            c.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
                f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
            )
        if progress:
            progress.write("\nanalyzing...\n")
        # Every table, not only the four big ones: where autovacuum is off, the people tables
        # would keep no statistics and the planner would take 5 000 memberships for one.
        c.execute("ANALYZE")
        c.execute("RESET session_replication_role")
    summary.tickets = ticket_rows.total
    summary.comments = comment_rows.total
    summary.events = event_rows.total
    summary.ratings = rating_rows.total
    summary.seconds = round(time.monotonic() - started, 1)
    summary.logins = logins(slug)
    return summary


CONSISTENCY_CHECKS = {
    # name: SQL counting the tickets of tenant %(t)s that break the rule
    "one created event, at created_at": """
        SELECT count(*) FROM {ticket} t WHERE t.tenant_id = %(t)s AND 1 <> (
          SELECT count(*) FROM {event} e
          WHERE e.ticket_id = t.id AND e.kind = 'created' AND e.created_at = t.created_at)""",
    "no event before created_at or after updated_at": """
        SELECT count(DISTINCT t.id) FROM {ticket} t JOIN {event} e ON e.ticket_id = t.id
        WHERE t.tenant_id = %(t)s
        AND (e.created_at < t.created_at OR e.created_at > t.updated_at)""",
    "updated_at is the last event": """
        SELECT count(*) FROM {ticket} t WHERE t.tenant_id = %(t)s AND t.updated_at <> (
          SELECT max(e.created_at) FROM {event} e WHERE e.ticket_id = t.id)""",
    "status is the last status change": """
        SELECT count(*) FROM {ticket} t WHERE t.tenant_id = %(t)s AND t.status <> COALESCE((
          SELECT e.new_value FROM {event} e WHERE e.ticket_id = t.id AND e.kind = 'status'
          ORDER BY e.created_at DESC, e.id DESC LIMIT 1), 'new')""",
    "solved_at is the first solve": """
        SELECT count(*) FROM {ticket} t WHERE t.tenant_id = %(t)s
        AND t.solved_at IS DISTINCT FROM (SELECT min(e.created_at) FROM {event} e
          WHERE e.ticket_id = t.id AND e.kind = 'status' AND e.new_value = 'solved')""",
    "first_response_at is the first public staff reply": """
        SELECT count(*) FROM {ticket} t WHERE t.tenant_id = %(t)s
        AND t.first_response_at IS DISTINCT FROM (SELECT min(c.created_at) FROM {comment} c
          WHERE c.ticket_id = t.id AND c.is_public AND c.author_id <> t.requester_id)""",
    "reopened_count counts the reopenings": """
        SELECT count(*) FROM {ticket} t WHERE t.tenant_id = %(t)s AND t.reopened_count <> (
          SELECT count(*) FROM {event} e WHERE e.ticket_id = t.id AND e.kind = 'status'
          AND e.old_value IN ('solved', 'closed') AND e.new_value IN ('new', 'open', 'pending'))""",
    "one reply or note event per comment": """
        SELECT count(*) FROM {ticket} t WHERE t.tenant_id = %(t)s AND (
          SELECT count(*) FROM {comment} c WHERE c.ticket_id = t.id) <> (
          SELECT count(*) FROM {event} e
          WHERE e.ticket_id = t.id AND e.kind IN ('reply', 'note'))""",
    "a rating only on a solved ticket, with a rated event": """
        SELECT count(*) FROM {rating} r JOIN {ticket} t ON t.id = r.ticket_id
        WHERE r.tenant_id = %(t)s AND (t.solved_at IS NULL OR NOT EXISTS (
          SELECT 1 FROM {event} e WHERE e.ticket_id = t.id AND e.kind = 'rated'))""",
}


COMMENT_LINK_CHECK = """
    SELECT count(*) FROM {event} e WHERE e.tenant_id = %(t)s AND e.kind IN ('reply', 'note')
    AND NOT EXISTS (SELECT 1 FROM {comment} c WHERE c.id = e.comment_id
      AND c.ticket_id = e.ticket_id AND c.created_at = e.created_at)"""


def check_consistency(slug: str) -> dict[str, int]:
    """For each rule, how many tickets of the tenant break it (all zeros when consistent)."""
    from django.db import connection

    from accounts.models import Tenant
    from tickets.models import Comment, Rating, Ticket, TicketEvent

    tenant = Tenant.objects.get(slug=slug)
    names = {
        "ticket": Ticket._meta.db_table,
        "event": TicketEvent._meta.db_table,
        "comment": Comment._meta.db_table,
        "rating": Rating._meta.db_table,
    }
    checks = dict(CONSISTENCY_CHECKS)
    if any(f.name == "comment" for f in TicketEvent._meta.concrete_fields):
        checks["each reply or note event points at its comment"] = COMMENT_LINK_CHECK
    broken = {}
    with connection.cursor() as cursor:
        for rule, sql in checks.items():
            cursor.execute(sql.format(**{k: f'"{v}"' for k, v in names.items()}), {"t": tenant.pk})
            broken[rule] = cursor.fetchone()[0]
    return broken


@contextmanager
def _indexes_rebuilt_after(models, *, enabled: bool, out=None):
    """Without the tables' secondary indexes during the block, rebuilt after it; one
    transaction, so a failure leaves every index as it was."""
    from django.db import connection, transaction

    if not enabled:
        yield
        return
    tables = [m._meta.db_table for m in models]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [tables],
        )
        dropped = cursor.fetchall()
        for name, _definition in dropped:
            cursor.execute(f'DROP INDEX "{name}"')
        yield
        if out:
            out.write(f"\nbuilding {len(dropped)} indexes again...\n")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in dropped:
            cursor.execute(definition)


def _skip_fk_triggers(cursor, *, local: bool = False) -> None:
    """The rows are consistent by construction, so skip the per-row foreign-key triggers for
    this session when the role may (a superuser): it makes the load several times faster."""
    from django.db import DatabaseError, transaction

    try:
        with transaction.atomic():
            scope = "LOCAL " if local else ""
            cursor.execute(f"SET {scope}session_replication_role = replica")
    except DatabaseError:
        pass


def _cumulative(weights):
    total = 0.0
    for w in weights:
        total += w
        yield total


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    from bisect import bisect_left

    return min(bisect_left(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


def _flush(tables) -> None:
    from django.db import transaction

    with transaction.atomic():
        cursor = _raw_cursor()
        try:
            for table in tables:
                table.flush(cursor)
        finally:
            cursor.close()


class _Progress:
    def __init__(self, total: int, out):
        self.total, self.out, self.started = total, out, time.monotonic()

    def update(self, done: int) -> None:
        if not self.out:
            return
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed else 0
        eta = (self.total - done) / rate if rate else 0
        width = 30
        filled = int(width * done / max(self.total, 1))
        self.out.write(
            f"\rtickets [{'#' * filled}{'.' * (width - filled)}] {done:,}/{self.total:,} "
            f"{rate:,.0f}/s, {elapsed:.0f}s elapsed, ~{eta:.0f}s left "
        )
        self.out.flush()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenant", default="bench", help="tenant slug (default: bench)")
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reset", action="store_true", help="remove the tenant first")
    parser.add_argument("--check", action="store_true", help="check the history's consistency")
    args = parser.parse_args(argv)
    setup_django()
    from django.conf import settings

    if not settings.IS_POSTGRES:
        raise SystemExit("bench/generate.py needs PostgreSQL (COPY): set DATABASE_URL.")
    summary = generate(
        slug=args.tenant,
        tickets=args.tickets,
        seed=args.seed,
        reset=args.reset,
        progress=sys.stderr,
    )
    print(json.dumps(summary.__dict__, indent=2))
    if args.check:
        broken = check_consistency(args.tenant)
        print(json.dumps(broken, indent=2))
        return 1 if any(broken.values()) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
