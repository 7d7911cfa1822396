from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Who is told what about tickets: e-mail in the reader's language, and in the app."""

    name = "notifications"

    def ready(self):
        from accounts.services import register_sign_up_waiting_listener

        from .approvals import sign_up_waits

        register_sign_up_waiting_listener(sign_up_waits)
