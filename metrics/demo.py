"""The demo's metrics: rollups computed at once, and a weekly report for the admin."""

from __future__ import annotations

from .models import ReportSubscription
from .services import subscribe_to_report, update_metrics


def seed(ctx) -> str:
    tenant = ctx.tenant
    days = update_metrics(tenant=tenant, full=True)
    subscribe_to_report(
        tenant=tenant,
        user=ctx.people["admin@demo.example"],
        frequency=ReportSubscription.Frequency.WEEKLY,
    )
    return f"metrics computed for {days} days; the admin receives the weekly report"
