from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "knowledge"

    def ready(self):
        from accounts.audit_words import register_value_words
        from tickets.services import register_capacity_rule

        from .capacity import onboarding_capacity
        from .models import Announcement, Article, Idea

        # The audit log says these codes in words (accounts.audit_words).
        register_value_words("audience", dict(Article.Audience.choices), subject="article")
        register_value_words(
            "audience", dict(Announcement.Audience.choices), subject="announcement"
        )
        register_value_words("status", dict(Idea.Status.choices), subject="idea")
        # While a person's onboarding is unfinished, fewer tickets come to them by themselves.
        register_capacity_rule(onboarding_capacity)
