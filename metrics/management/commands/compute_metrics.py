from django.core.management.base import BaseCommand, CommandError

from accounts.models import Tenant
from metrics.services import update_metrics


class Command(BaseCommand):
    help = "Bring the metrics rollups up to date now (the same code as the Celery job)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", help="slug of one tenant (default: every tenant)")
        parser.add_argument("--full", action="store_true", help="rebuild every day")

    def handle(self, *args, tenant=None, full=False, **options):
        tenants = Tenant.objects.order_by("pk")
        if tenant:
            tenants = tenants.filter(slug=tenant)
            if not tenants.exists():
                raise CommandError(f"No tenant with the slug {tenant!r}.")
        for each in tenants:
            days = update_metrics(tenant=each, full=full)
            self.stdout.write(f"{each.slug}: {days} days recomputed")
