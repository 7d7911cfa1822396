from django.apps import AppConfig


class MailroomConfig(AppConfig):
    """Mail in: support addresses' mail becomes tickets and comments (IMAP and a pipe)."""

    name = "mailroom"
