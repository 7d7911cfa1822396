from functools import cache

from .access import permissions_of
from .models import AccessRequest, Membership

# Which top-level navigation entry a page belongs to, by (app, url name).
PEOPLE_PAGES = {
    "people",
    "person",
    "person_change",
    "person_grant",
    "approvals",
    "invitations",
    "roles",
    "role_create",
    "role_edit",
    "joining_rules",
    "joining_rule_edit",
    "audit_log",
}
SETTINGS_PAGES = {
    ("accounts", "settings"),
    ("tickets", "queues"),
    ("tickets", "queue_edit"),
    ("tickets", "notifications"),
    ("knowledge", "onboarding"),
    ("knowledge", "settings"),
}


def nav_section(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.app_name == "accounts" and match.url_name in PEOPLE_PAGES:
        return "people"
    if (match.app_name, match.url_name) in SETTINGS_PAGES:
        return "settings"
    return ""


def tenancy(request):
    """The current tenant, membership and what the member may do, for the layout's navigation."""
    membership = getattr(request, "membership", None)
    perms = set(permissions_of(membership)) if membership else set()

    @cache
    def waiting_for_approval() -> int:
        tenant = membership.tenant
        return (
            Membership.objects.for_tenant(tenant).filter(status=Membership.Status.PENDING).count()
            + AccessRequest.objects.for_tenant(tenant).pending().count()
        )

    return {
        "tenant": getattr(request, "tenant", None),
        "membership": membership,
        "perms_in_tenant": perms,
        # Called only by the navigation of people who manage people, and counted once however
        # many places show it.
        "waiting_for_approval": waiting_for_approval if "manage_people" in perms else int,
        "nav_section": nav_section(request),
    }
