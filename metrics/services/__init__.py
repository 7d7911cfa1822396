"""Computing the daily rollups from ticket history, and sending the report e-mails.

One module per concern: ``days`` (local days), ``facts`` (what each figure counts, defined
once), ``rollups`` (the ORM's sums, what SQLite runs), ``rollup_sql`` (PostgreSQL's one
statement over the same facts), ``jobs`` (incremental runs and rebuilds) and ``reports``.
Every name is re-exported here, so ``from metrics.services import X`` works wherever X lives.
"""

from __future__ import annotations

from .days import contiguous_ranges, day_start, local_today, tenant_zone
from .facts import COUNTERS, DONE, OPEN, fact_sets, solved_durations
from .jobs import SAFETY_LAG, _all_days, touched_days, update_all_tenants, update_metrics
from .reports import report_period, send_reports, subscribe_to_report, unsubscribe_from_report
from .rollups import compute_days

__all__ = [
    "COUNTERS",
    "DONE",
    "OPEN",
    "SAFETY_LAG",
    "_all_days",
    "compute_days",
    "contiguous_ranges",
    "day_start",
    "fact_sets",
    "local_today",
    "report_period",
    "send_reports",
    "solved_durations",
    "subscribe_to_report",
    "tenant_zone",
    "touched_days",
    "unsubscribe_from_report",
    "update_all_tenants",
    "update_metrics",
]
