"""Small builders that keep related rows in one tenant."""

from __future__ import annotations

import itertools

from accounts.models import Membership, Organization, Role, Tenant, User
from accounts.services import add_member, create_tenant, find_or_create_user
from tickets.models import Queue, Ticket
from tickets.services import grant_queue, open_ticket

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def make_tenant(slug: str | None = None, **fields) -> Tenant:
    slug = slug or f"tenant-{next(_seq)}"
    tenant = create_tenant(slug=slug, name=slug.title())
    if fields:
        Tenant.objects.filter(pk=tenant.pk).update(**fields)
        tenant.refresh_from_db()
    return tenant


def role(tenant: Tenant, key: str) -> Role:
    return Role.objects.for_tenant(tenant).get(key=key)


def make_member(
    tenant: Tenant,
    email: str,
    role_key: str = "customer",
    *,
    name: str = "",
    organization: Organization | None = None,
    status: str = Membership.Status.ACTIVE,
) -> Membership:
    user = find_or_create_user(
        email=email, password=PASSWORD, name=name or email.split("@")[0].title(), verified=True
    )
    return add_member(
        tenant=tenant,
        user=user,
        role=role(tenant, role_key),
        by=None,
        organization=organization,
        status=status,
    )


def make_queue(tenant: Tenant, name: str, *workers: User) -> Queue:
    queue = Queue.objects.create(tenant=tenant, name=name)
    for user in workers:
        grant_queue(queue=queue, user=user, by=None)
    return queue


def make_ticket(tenant: Tenant, requester: User, queue: Queue | None = None, **fields) -> Ticket:
    fields.setdefault("subject", "Printer on fire")
    fields.setdefault("description", "It is on fire.")
    return open_ticket(tenant=tenant, requester=requester, queue=queue, **fields)


def user(email: str) -> User:
    return User.objects.get(email=email)
