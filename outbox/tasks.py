"""Celery entry point of the outbox: the relay, run by beat every few seconds."""

from celery import shared_task

from .services import relay


@shared_task
def relay_outbox_task() -> int:
    return relay()
