from celery import shared_task

from .services import expire_grants
from .services.service_levels import recompute_open_tickets


@shared_task
def expire_grants_task() -> int:
    return expire_grants()


@shared_task
def recompute_service_levels_task(tenant_id: int) -> int:
    """A policy or calendar changed: move the due times of the tenant's open tickets."""
    return recompute_open_tickets(tenant=tenant_id)
