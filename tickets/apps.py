from django.apps import AppConfig


class TicketsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tickets"

    def ready(self):
        from accounts.access import register_object_rule
        from accounts.audit_words import register_value_words
        from accounts.granting import register_queue_rule

        from .access import macro_rule, queue_work, ticket_rule
        from .models import Macro, NotificationTemplate, Ticket

        register_object_rule(Ticket, ticket_rule)
        register_object_rule(Macro, macro_rule)
        register_queue_rule(queue_work)
        register_value_words(
            "kind", dict(NotificationTemplate.Kind.choices), subject="notification_template"
        )
