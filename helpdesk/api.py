"""The tenant door shared by every API viewset."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied

from accounts.access import Decision, Refused, decide
from accounts.models import Tenant
from accounts.services import resolve_membership, touch_last_seen


class TenantScopedViewSet(viewsets.GenericViewSet):
    """Base of every tenant API viewset: sets self.tenant and self.membership, or refuses.

    ``required_action`` (or ``action_permissions[self.action]``) names the action the
    endpoint needs; the decision comes from accounts.access.decide like everywhere else.
    """

    required_action: str | None = None
    action_permissions: dict[str, str] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttling
        # Tenants are public (they have portals): an unknown slug is simply not found.
        self.tenant = get_object_or_404(Tenant, slug=kwargs["slug"])
        timezone.activate(self.tenant.zone)  # timestamps in the helpdesk's own time zone
        self.membership = resolve_membership(tenant=self.tenant, user=request.user)
        if self.membership is None:
            raise PermissionDenied(_("You are not a member of this helpdesk."))
        if self.membership.is_active:
            touch_last_seen(membership=self.membership)
        needed = self.action_permissions.get(self.action, self.required_action)
        decision = decide(self.membership, needed) if needed else self._active_member()
        if not decision.allowed:
            raise Refused(decision)

    def _active_member(self) -> Decision:
        if self.membership.is_active:
            return Decision(True)
        return decide(self.membership, "view_ticket")  # says "pending" or "deactivated"

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["tenant"] = getattr(self, "tenant", None)
        context["membership"] = getattr(self, "membership", None)
        return context
