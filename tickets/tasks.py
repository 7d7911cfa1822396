from celery import shared_task

from .services import close_solved_tickets, cover_absences, expire_grants
from .services.service_levels import recompute_open_tickets


@shared_task
def expire_grants_task() -> int:
    return expire_grants()


@shared_task
def close_solved_tickets_task() -> int:
    return close_solved_tickets()


@shared_task
def cover_absences_task() -> None:
    cover_absences()


@shared_task
def recompute_service_levels_task(tenant_id: int) -> int:
    """A policy or calendar changed: move the due times of the tenant's open tickets."""
    return recompute_open_tickets(tenant=tenant_id)
