"""Celery entry points of metrics: ids in, a service call out."""

from celery import shared_task

from accounts.models import Tenant

from . import services


@shared_task
def update_metrics_task(tenant_id: int | None = None, full: bool = False) -> int:
    """Incremental by default (beat, every few minutes); ``full`` rebuilds from scratch."""
    if tenant_id is None:
        return services.update_all_tenants(full=full)
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is None:  # deleted since it was queued
        return 0
    return services.update_metrics(tenant=tenant, full=full)


@shared_task
def send_reports_task(frequency: str) -> int:
    return services.send_reports(frequency=frequency)
