"""Knowledge fixtures: acme's articles for each audience, and one of globex's."""

import pytest

from accounts.models import Role
from knowledge.models import Category
from knowledge.services import save_article


def write(tenant, title, audience="public", *, by=None, roles=(), body=None, **extra):
    return save_article(
        tenant=tenant,
        by=by,
        owner=by,
        title=title,
        body=body or f"All about {title.lower()}: invoices, passwords and refunds.",
        audience=audience,
        roles=list(roles),
        **extra,
    )


@pytest.fixture
def billing_category(acme):
    return Category.objects.create(tenant=acme, name="Billing", slug="billing")


@pytest.fixture
def public_article(acme, sam, billing_category):
    return write(acme, "Refund basics", "public", by=sam.user, category=billing_category)


@pytest.fixture
def customer_article(acme, sam):
    return write(acme, "Refund your invoice", "customers", by=sam.user)


@pytest.fixture
def staff_article(acme, sam):
    return write(
        acme,
        "Refund secret playbook",
        "staff",
        by=sam.user,
        body="Internal refund limits.",
    )


@pytest.fixture
def agent_role_article(acme, sam):
    agent = Role.objects.for_tenant(acme).get(key="agent")
    return write(acme, "Refund desk for agents", "roles", by=sam.user, roles=[agent])


@pytest.fixture
def globex_article(globex, mallory):
    return write(globex, "Globex secret refund", "public", by=mallory.user)
