from smtplib import SMTPException

from celery import shared_task

from .services import notify_event, report_waiting_tickets


@shared_task(autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def notify_event_task(event_id: int) -> int:
    """Tell everyone a ticket event concerns; safe to run twice (each person is told once)."""
    return notify_event(event_id=event_id)


@shared_task(autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def report_waiting_tickets_task() -> int:
    """Tell supervisors of tickets with no staff response after NOTIFY_WAITING_HOURS."""
    return report_waiting_tickets()


@shared_task(autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def tell_approvers_task(membership_id: int) -> int:
    """Tell the admins that a sign-up waits for them; safe to run twice."""
    from .approvals import tell_approvers

    return tell_approvers(membership_id=membership_id)


@shared_task(autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def warn_of_service_levels_task() -> dict[str, int]:
    """Warn before a service-level target is due, tell supervisors when missed; once each."""
    from .sla import warn_of_service_levels

    return warn_of_service_levels()
