from .access import permissions_of
from .models import AccessRequest, Membership


def tenancy(request):
    """The current tenant, membership and what the member may do, for the layout's navigation."""
    membership = getattr(request, "membership", None)
    perms = set(permissions_of(membership)) if membership else set()

    def waiting_for_approval() -> int:
        # Called only by the navigation of people who manage people (a callable is lazy).
        tenant = membership.tenant
        return (
            Membership.objects.for_tenant(tenant).filter(status=Membership.Status.PENDING).count()
            + AccessRequest.objects.for_tenant(tenant).pending().count()
        )

    return {
        "tenant": getattr(request, "tenant", None),
        "membership": membership,
        "perms_in_tenant": perms,
        "waiting_for_approval": waiting_for_approval if "manage_people" in perms else 0,
    }
