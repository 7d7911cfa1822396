from .access import permissions_of


def tenancy(request):
    """The current tenant, membership and what the member may do, for the layout's navigation."""
    membership = getattr(request, "membership", None)
    return {
        "tenant": getattr(request, "tenant", None),
        "membership": membership,
        "perms_in_tenant": set(permissions_of(membership)) if membership else set(),
    }
