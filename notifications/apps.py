from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Who is told what about tickets: e-mail in the reader's language, and in the app."""

    name = "notifications"
