"""Celery entry points of the mailroom: reading support addresses' IMAP boxes."""

from celery import shared_task

from tickets.models import Mailbox

from .imap import fetch_mailbox


@shared_task
def fetch_imap_mailboxes_task() -> int:
    """Beat's every minute: one fetch task per active IMAP mailbox, so that a slow or
    unreachable box holds up no other. A task not started within the minute is dropped:
    the next one does its work."""
    ids = list(Mailbox.objects.reading_imap().values_list("pk", flat=True))
    for mailbox_id in ids:
        fetch_imap_mailbox_task.apply_async((mailbox_id,), expires=60)
    return len(ids)


@shared_task
def fetch_imap_mailbox_task(mailbox_id: int) -> int:
    """Deliver one mailbox's new messages; a second run while one holds it does nothing."""
    mailbox = Mailbox.objects.reading_imap().filter(pk=mailbox_id).first()
    if mailbox is None:  # deleted, switched off or no longer IMAP since it was queued
        return 0
    return fetch_mailbox(mailbox=mailbox).delivered
