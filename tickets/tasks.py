from celery import shared_task

from .services import expire_grants


@shared_task
def expire_grants_task() -> int:
    return expire_grants()
