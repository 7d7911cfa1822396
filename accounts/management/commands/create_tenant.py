from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Tenant, User
from accounts.services import create_tenant


class Command(BaseCommand):
    help = "Create a helpdesk (tenant) with its built-in roles and its first admin."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-password", required=True)
        parser.add_argument("--admin-name", default="")

    def handle(self, *args, slug, name, admin_email, admin_password, admin_name, **options):
        if Tenant.objects.filter(slug=slug).exists():
            raise CommandError(f"A tenant with the slug {slug!r} already exists.")
        if not User.objects.filter(email__iexact=admin_email).exists():
            try:
                validate_password(admin_password)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        tenant = create_tenant(
            slug=slug,
            name=name,
            admin_email=admin_email,
            admin_password=admin_password,
            admin_name=admin_name,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {tenant.name} at /t/{tenant.slug}/ with admin {admin_email}. "
                "It is invitation-only until an admin adds a joining rule."
            )
        )
