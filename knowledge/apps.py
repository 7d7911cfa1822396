from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "knowledge"

    def ready(self):
        from tickets.services import register_capacity_rule

        from .capacity import onboarding_capacity

        register_capacity_rule(onboarding_capacity)
