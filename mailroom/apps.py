from django.apps import AppConfig


class MailroomConfig(AppConfig):
    """Mail in: support addresses' mail becomes tickets and comments (IMAP and a pipe)."""

    name = "mailroom"

    def ready(self):
        # The mails to senders are Celery tasks the outbox names; load them in every process.
        from . import notices  # noqa: F401
