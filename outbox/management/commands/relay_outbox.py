from django.core.management.base import BaseCommand

from outbox.services import relay


class Command(BaseCommand):
    help = "Hand the side effects still waiting in the outbox to Celery (what beat does)."

    def handle(self, *args, **options):
        total = 0
        while handed := relay():  # until nothing due is left, or the broker refuses
            total += handed
        self.stdout.write(f"{total} handed to Celery")
