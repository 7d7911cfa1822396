from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """People administration that shows or changes tickets and queues; it owns no models."""

    name = "people"
