from smtplib import SMTPException

from celery import shared_task

from .notifications import send_event_notification
from .services import expire_grants


@shared_task
def expire_grants_task() -> int:
    return expire_grants()


@shared_task(autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def notify_event_task(event_id: int) -> bool:
    """E-mail about one ticket event; safe to run twice (the event is stamped when sent)."""
    return send_event_notification(event_id=event_id)
