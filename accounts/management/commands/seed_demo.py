import importlib
import random
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, DEMO_SLUG, DemoContext
from accounts.models import Tenant

# Each app adds its part of the demo in <app>/demo.py: seed(ctx). Order follows the imports.
DEMO_STEPS = [
    "accounts.demo",
    "tickets.demo",
    "people.demo",  # grants and access requests need the queues and tickets
    "knowledge.demo",
    "metrics.demo",
    "mailroom.demo",  # a support address and tickets that came by mail
]


class Command(BaseCommand):
    help = "Create a demo helpdesk that shows every feature, and print how to sign in as each role."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete and rebuild the demo.")
        parser.add_argument(
            "--seed", type=int, default=42, help="Random seed (same seed, same demo)."
        )

    def handle(self, *args, reset, seed, **options):
        existing = Tenant.objects.filter(slug=DEMO_SLUG).first()
        if existing and not reset:
            self.stdout.write("The demo helpdesk already exists (use --reset to rebuild it).")
            self._print_logins()
            return
        if existing:
            self.stdout.write("Removing the old demo…")
            DemoContext.remove_demo()
        ctx = DemoContext(rng=random.Random(seed), out=self.stdout)  # noqa: S311 (demo data)
        for module_name in DEMO_STEPS:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                continue
            started = time.monotonic()
            self.stdout.write(f"» {module_name.split('.')[0]}: ", ending="")
            self.stdout.flush()
            with transaction.atomic():
                summary = module.seed(ctx)
            self.stdout.write(f"{summary} ({time.monotonic() - started:.1f}s)")
        self.stdout.write(self.style.SUCCESS("Demo ready."))
        self._print_logins()

    def _print_logins(self):
        from accounts.demo import DEMO_PEOPLE

        self.stdout.write(
            "\nOpen http://127.0.0.1:8000/ and sign in as any of these "
            f"(password for all: {DEMO_PASSWORD}):"
        )
        for email, name, role, _org in DEMO_PEOPLE:
            self.stdout.write(f"  {role:<11} {email:<28} {name}")
        from accounts.demo import APPLICANT, LIGHT_AGENT, SECOND_ADMIN

        for role, (email, name), note in [
            ("light", LIGHT_AGENT, "a custom role: internal notes, no public replies"),
            ("applicant", APPLICANT, "signed up, waiting for an admin's approval"),
            ("admin", SECOND_ADMIN, "another helpdesk: Globex"),
        ]:
            self.stdout.write(f"  {role:<11} {email:<28} {name} ({note})")
