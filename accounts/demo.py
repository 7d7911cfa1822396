"""The people of the demo helpdesk (seed_demo's first step)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from .models import JoiningRule, Membership, Organization, Role, Tenant, User
from .services import (
    add_joining_rule,
    add_member,
    create_role,
    create_tenant,
    find_or_create_user,
    invite,
    join_as_user,
)

DEMO_SLUG = "demo"
# A second, small helpdesk, so that tenant isolation can be seen (its admin sees none of demo).
SECOND_SLUG = "globex"
SECOND_ADMIN = ("admin@globex.example", "Gina Globex")
SECOND_PEOPLE = [
    ("agent@globex.example", "Hank Globex", "agent"),
    ("buyer@globex.example", "Ivy Buyer", "customer"),
]
APPLICANT = ("paula@example.net", "Paula Park")
# Seeded once queues exist (people/demo.py): a custom role at work.
LIGHT_AGENT = ("liam@demo.example", "Liam Light")
INVITEE = "nina@demo.example"
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
        emails = [
            *(e for e, *_ in DEMO_PEOPLE),
            SECOND_ADMIN[0],
            *(e for e, *_ in SECOND_PEOPLE),
            APPLICANT[0],
            "liam@demo.example",
        ]
        Tenant.objects.filter(slug__in=[DEMO_SLUG, SECOND_SLUG]).delete()
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
        user = find_or_create_user(email=email, password=DEMO_PASSWORD, name=name, verified=True)
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
    joining = _seed_joining(ctx, roles)
    second = _seed_second_tenant()
    return (
        f"{len(DEMO_PEOPLE)} people in {len(ctx.organizations)} organizations; {joining}; {second}"
    )


def _seed_joining(ctx: DemoContext, roles: dict[str, Role]) -> str:
    """Joining rules, a custom role, a pending applicant and an open invitation."""
    tenant = ctx.tenant
    admin = ctx.people["admin@demo.example"]
    add_joining_rule(
        tenant=tenant,
        by=admin,
        kind=JoiningRule.Kind.DOMAIN,
        pattern="acme.example",
        role=roles["customer"],
        organization=ctx.organizations["Acme Corp"],
        requires_approval=False,
        position=1,
    )
    add_joining_rule(
        tenant=tenant,
        by=admin,
        kind=JoiningRule.Kind.DOMAIN,
        pattern="globex.example",
        role=roles["customer"],
        organization=ctx.organizations["Globex"],
        requires_approval=False,
        position=2,
    )
    add_joining_rule(
        tenant=tenant,
        by=admin,
        kind=JoiningRule.Kind.OPEN,
        pattern="",
        role=roles["customer"],
        organization=None,
        requires_approval=True,
        position=3,
    )
    ctx.extra["light_agent_role"] = create_role(
        tenant=tenant,
        by=admin,
        name="Light agent",
        description=(
            "Sees the tickets of the queues granted to them and writes internal notes; "
            "cannot reply to requesters or change a ticket's status."
        ),
        permissions=[
            "view_ticket",
            "add_internal_note",
            "view_people",
            "use_workspace",
            "work_tickets",
            "view_internal_notes",
            "view_all_queues",
            "view_staff_content",
        ],
        scope="queues",
    )
    email, name = APPLICANT
    # An applicant who has confirmed their address and waits for an admin.
    applicant = find_or_create_user(email=email, password=DEMO_PASSWORD, name=name, verified=True)
    join_as_user(tenant=tenant, user=applicant)
    invite(tenant=tenant, email=INVITEE, role=roles["agent"], by=admin, notify=False)
    return "3 joining rules, a Light agent role, 1 pending sign-up, 1 open invitation"


def _seed_second_tenant() -> str:
    if Tenant.objects.filter(slug=SECOND_SLUG).exists():
        return f"{SECOND_SLUG} already exists"
    email, name = SECOND_ADMIN
    tenant = create_tenant(
        slug=SECOND_SLUG,
        name="Globex Support",
        admin_email=email,
        admin_password=DEMO_PASSWORD,
        admin_name=name,
    )
    admin = User.objects.get(email=email)
    roles = {r.key: r for r in Role.objects.for_tenant(tenant)}
    for person_email, person_name, role in SECOND_PEOPLE:
        user = find_or_create_user(
            email=person_email, password=DEMO_PASSWORD, name=person_name, verified=True
        )
        add_member(tenant=tenant, user=user, role=roles[role], by=admin)
    return f"a second helpdesk, Globex Support (/t/{SECOND_SLUG}/)"
