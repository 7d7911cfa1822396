from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        from . import (
            checks,  # noqa: F401 (registers the deployment checks)
            staff,  # noqa: F401 (its signals keep the cached staff lists current)
        )
        from .services import give_admins_every_action

        post_migrate.connect(give_admins_every_action, sender=self)
