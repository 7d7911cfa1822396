"""PostgreSQL: the rollups computed and written by the database.

The same figures as ``compute_days()``, from the same facts (``facts.py``, compiled to SQL),
without a round trip through Python: one pass over the facts of the days, grouped six ways
at once (GROUPING SETS) into a temporary table, then only the rows that differ from the
stored ones are written. A million tickets make some 550 000 rollup rows (1 000
organizations x 730 days); building them as objects took minutes, and rewriting unchanged
rows most of the rest. tests/metrics/test_rollup_sql.py holds both ways equal on a generated
history.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import QuerySet

from accounts.models import Tenant

from ..models import DailyRollup
from .facts import COUNTERS, SLA_INTO, days_of, fact_sets, solved_durations

# Every stored column of a rollup row but its key.
_FIGURES = [*COUNTERS, "resolution_seconds", "backlog"]

_SLICE_KEYS = """
    CASE WHEN GROUPING(q) = 0 THEN 'queue' WHEN GROUPING(a) = 0 THEN 'agent'
         WHEN GROUPING(o) = 0 THEN 'organization' WHEN GROUPING(c) = 0 THEN 'channel'
         WHEN GROUPING(p) = 0 THEN 'policy' ELSE 'tenant' END AS dimension,
    COALESCE(q, a, o, c, p, 0) AS ref, d AS day
"""
_BY_SLICE = "GROUP BY GROUPING SETS ((d), (d, q), (d, a), (d, o), (d, c), (d, p))"
_SLA_SUMS = ", ".join(f"SUM({column}) AS {field}" for column, field in SLA_INTO.items())

# Counters hash-aggregate; the sorted durations need a sort per group, so they are grouped
# apart over the solved tickets only (one epoch per ticket, not one per slice).
_NEW_ROWS = f"""
WITH facts AS ({{facts}}),
counters AS (
    SELECT {_SLICE_KEYS},
        SUM(created) AS created, SUM(responded) AS responded,
        COALESCE(EXTRACT(EPOCH FROM SUM(fr)), 0) AS first_response_seconds_sum,
        SUM(solved) AS solved, COALESCE(EXTRACT(EPOCH FROM SUM(res)), 0) AS resolution_seconds_sum,
        SUM(solved_on_day) AS solved_on_day, SUM(reopened) AS reopened,
        SUM(open_delta) AS open_delta, SUM(ratings) AS ratings, SUM(positive) AS ratings_positive,
        {_SLA_SUMS}
    FROM facts {_BY_SLICE}
),
durations AS (
    SELECT {_SLICE_KEYS}, to_jsonb(array_agg(e ORDER BY e)) AS resolution_seconds
    FROM (SELECT d, q, a, o, c, p, EXTRACT(EPOCH FROM res) AS e FROM ({{solved}}) s) solved
    {_BY_SLICE}
)
SELECT c.*, COALESCE(s.resolution_seconds, '[]') AS resolution_seconds, {{backlog}} AS backlog
FROM counters c LEFT JOIN durations s USING (dimension, ref, day) {{join}}
"""  # noqa: S608 (the facts are our compiled QuerySets; values are parameters)

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s|%%")


def _compiled(querysets: list[QuerySet]) -> tuple[str, list]:
    """The rows of all the QuerySets (UNION ALL) as SQL, with its parameters."""
    first, *rest = querysets
    return (
        first.union(*rest, all=True).query.sql_with_params()
        if rest
        else (first.query.sql_with_params())
    )


def _positional(sql: str, named: dict, positional: list) -> tuple[str, list]:
    """``sql`` with our ``%(name)s`` and the compiled QuerySets' ``%s`` as one positional list,
    in the order they appear: the driver takes one style per statement."""
    supplied = iter(positional)
    params: list = []

    def one(match: re.Match) -> str:
        if match.group(0) == "%%":
            return "%%"
        params.append(named[match.group(1)] if match.group(1) else next(supplied))
        return "%s"

    return _PLACEHOLDER.sub(one, sql), params


def _stored_on_days(table: str, ranges) -> str:
    """SQL: a stored rollup row of one of the days (one hashed ``= ANY`` for scattered days)."""
    bounds = f"{table}.day >= %(first_day)s AND {table}.day <= %(last_day)s"
    return bounds if len(ranges) == 1 else f"{bounds} AND {table}.day = ANY(%(days)s)"


def _replace_days_in_sql(tenant: Tenant, ranges, *, full: bool) -> None:
    """Bring the stored rollups of ``ranges`` (every day when ``full``) to what they should be."""
    params = {
        "tenant": tenant.pk,
        "first_day": ranges[0][0],
        "last_day": ranges[-1][1],
        "days": list(days_of(ranges)),
    }
    table = DailyRollup._meta.db_table
    if full:
        # Every day is computed: the backlog is the running total, made with the rows.
        backlog, join = (
            "SUM(c.open_delta) OVER (PARTITION BY c.dimension, c.ref ORDER BY c.day)",
            "",
        )
    else:
        # A slice keeps its stored backlog unless its open_delta changed (recounted below).
        backlog = "COALESCE(old.backlog, 0)"
        join = (
            f"LEFT JOIN {table} old ON old.tenant_id = %(tenant)s AND old.dimension = c.dimension"
            " AND old.ref = c.ref AND old.day = c.day"
        )
    facts, facts_params = _compiled(fact_sets(tenant, ranges))
    solved, solved_params = _compiled([solved_durations(tenant, ranges)])
    new_rows, new_rows_params = _positional(
        _NEW_ROWS.format(facts=facts, solved=solved, backlog=backlog, join=join),
        params,
        [*facts_params, *solved_params],
    )
    stored = f"{table}.tenant_id = %(tenant)s"
    if not full:
        stored += " AND " + _stored_on_days(table, ranges)
    figures = ", ".join(_FIGURES)
    with connection.cursor() as cursor:
        # Sorts and hashes of a whole history fit in memory; compiling the plan costs more
        # than it saves here.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(f"CREATE TEMPORARY TABLE metrics_new AS {new_rows}", new_rows_params)
        if not full:
            _note_changed_slices(cursor, stored, params)
        # Rows of these days that no longer have a fact (a ticket moved to another queue)...
        cursor.execute(
            f"""DELETE FROM {table} WHERE {stored} AND NOT EXISTS (
                SELECT 1 FROM metrics_new n WHERE n.dimension = {table}.dimension
                AND n.ref = {table}.ref AND n.day = {table}.day)""",  # noqa: S608
            params,
        )
        # ...and the rows that are new or differ: a rebuild of an unchanged history writes
        # nothing, so it neither bloats the table nor the write-ahead log.
        cursor.execute(
            f"""MERGE INTO {table} r USING metrics_new n
            ON r.tenant_id = %(tenant)s AND r.dimension = n.dimension AND r.ref = n.ref
               AND r.day = n.day
            WHEN MATCHED AND ({", ".join(f"r.{f}" for f in _FIGURES)})
                IS DISTINCT FROM ({", ".join(f"n.{f}" for f in _FIGURES)}) THEN
                UPDATE SET {", ".join(f"{f} = n.{f}" for f in _FIGURES)}
            WHEN NOT MATCHED THEN
                INSERT (tenant_id, dimension, ref, day, {figures})
                VALUES (%(tenant)s, n.dimension, n.ref, n.day,
                        {", ".join(f"n.{f}" for f in _FIGURES)})""",  # noqa: S608
            params,
        )
        if not full:
            _recount_changed_slices(cursor, params)
        cursor.execute("DROP TABLE metrics_new")


def _note_changed_slices(cursor, stored: str, params: dict) -> None:
    """The slices whose open_delta changes on one of the days, and the first such day."""
    table = DailyRollup._meta.db_table
    cursor.execute(
        f"""CREATE TEMPORARY TABLE metrics_changed AS
        SELECT COALESCE(n.dimension, o.dimension) AS dimension, COALESCE(n.ref, o.ref) AS ref,
               MIN(COALESCE(n.day, o.day)) AS since
        FROM metrics_new n FULL JOIN (SELECT * FROM {table} WHERE {stored}) o
             ON o.dimension = n.dimension AND o.ref = n.ref AND o.day = n.day
        WHERE n.day IS NULL OR o.day IS NULL OR n.open_delta <> o.open_delta
        GROUP BY 1, 2""",  # noqa: S608
        params,
    )


def _recount_changed_slices(cursor, params: dict) -> None:
    """Rewrite the backlog of each changed slice from the first day its open_delta changed."""
    table = DailyRollup._meta.db_table
    cursor.execute(
        f"""
        WITH totals AS (
            SELECT r.id, COALESCE((
                SELECT p.backlog FROM {table} p
                WHERE p.tenant_id = r.tenant_id AND p.dimension = r.dimension
                  AND p.ref = r.ref AND p.day < c.since
                ORDER BY p.day DESC LIMIT 1
            ), 0) + SUM(r.open_delta) OVER (
                PARTITION BY r.dimension, r.ref ORDER BY r.day ROWS UNBOUNDED PRECEDING
            ) AS total
            FROM {table} r JOIN metrics_changed c ON c.dimension = r.dimension AND c.ref = r.ref
            WHERE r.tenant_id = %(tenant)s AND r.day >= c.since
        )
        UPDATE {table} SET backlog = totals.total FROM totals
        WHERE {table}.id = totals.id AND {table}.backlog <> totals.total
        """,  # noqa: S608
        params,
    )
    cursor.execute("DROP TABLE metrics_changed")
