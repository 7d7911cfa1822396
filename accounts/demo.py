"""The people of the demo helpdesk (seed_demo's first step)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from .models import Membership, Organization, Role, Tenant, User
from .services import add_member, create_tenant, find_or_create_user

DEMO_SLUG = "demo"
DEMO_PASSWORD = "helpdesk-demo"  # noqa: S105 (the demo prints it for everyone)
# email, name, role, organization
DEMO_PEOPLE = [
    ("admin@demo.example", "Ada Admin", "admin", None),
    ("supervisor@demo.example", "Sam Supervisor", "supervisor", None),
    ("agent@demo.example", "Alice Agent", "agent", None),
    ("omar@demo.example", "Omar Haddad", "agent", None),
    ("lena@demo.example", "Lena Novak", "agent", None),
    ("customer@demo.example", "Bob Buyer", "customer", "Acme Corp"),
    ("carol@acme.example", "Carol Chen", "customer", "Acme Corp"),
    ("dan@globex.example", "Dan Dorsey", "customer", "Globex"),
    ("erin@globex.example", "Erin Evans", "customer", "Globex"),
    ("frank@example.org", "Frank Fisher", "customer", None),
]


@dataclass
class DemoContext:
    """What one seed step hands the next: the tenant, its people and a seeded random."""

    rng: random.Random
    out: object = None
    tenant: Tenant | None = None
    people: dict[str, User] = field(default_factory=dict)  # by e-mail
    memberships: dict[str, Membership] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # anything a later step needs from an earlier one

    def by_role(self, role: str) -> list[User]:
        return [self.people[e] for e, _n, r, _o in DEMO_PEOPLE if r == role and e in self.people]

    @staticmethod
    def remove_demo():
        emails = [e for e, *_ in DEMO_PEOPLE]
        Tenant.objects.filter(slug=DEMO_SLUG).delete()
        # Demo people who belong nowhere else go too.
        User.objects.filter(email__in=emails, memberships__isnull=True).delete()


def seed(ctx: DemoContext) -> str:
    tenant = create_tenant(slug=DEMO_SLUG, name="Demo Helpdesk")
    tenant.customers_see_organization_tickets = True
    tenant.save(update_fields=["customers_see_organization_tickets"])
    ctx.tenant = tenant
    roles = {r.key: r for r in Role.objects.for_tenant(tenant)}
    for org_name, domain in [
        ("Acme Corp", "acme.example"),
        ("Globex", "globex.example"),
    ]:
        ctx.organizations[org_name] = Organization.objects.create(
            tenant=tenant, name=org_name, domain=domain
        )
    now = timezone.now()
    for index, (email, name, role, org) in enumerate(DEMO_PEOPLE):
        user = find_or_create_user(email=email, password=DEMO_PASSWORD, name=name)
        membership = add_member(
            tenant=tenant,
            user=user,
            role=roles[role],
            by=None,
            organization=ctx.organizations.get(org),
        )
        # Tenure varies so that people analytics have something to compare.
        joined = now - timedelta(days=400 - index * 35)
        Membership.objects.filter(pk=membership.pk).update(
            joined_at=joined,
            last_seen_at=now - timedelta(hours=ctx.rng.randint(1, 200)),
        )
        ctx.people[email] = user
        ctx.memberships[email] = membership
    return f"{len(DEMO_PEOPLE)} people in {len(ctx.organizations)} organizations"
