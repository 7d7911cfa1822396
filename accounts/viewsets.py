"""The tenant door shared by every API viewset."""

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound

from accounts.access import (
    Decision,
    Refused,
    decide,
    second_factor_refusal,
    second_factor_required,
)
from accounts.services import resolve_tenant, touch_last_seen
from accounts.two_factor import session_verified
from accounts.views_sso import must_use_sso


def no_such_helpdesk() -> NotFound:
    """The one answer to an unknown slug, and to an outsider anywhere a helpdesk keeps closed."""
    return NotFound(_("There is no such helpdesk, or you are not a member of it."))


class TenantScopedViewSet(viewsets.GenericViewSet):
    """Base of every tenant API viewset: sets self.tenant and self.membership, or refuses.

    ``required_action`` (or ``action_permissions[self.action]``) names the action the
    endpoint needs; the decision comes from accounts.access.decide like everywhere else.
    """

    required_action: str | None = None
    action_permissions: dict[str, str] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttling
        # Outsiders learn nothing of a helpdesk, not even that it exists: a tenant they are
        # not a member of answers exactly as an unknown slug does.
        self.tenant, self.membership = resolve_tenant(slug=kwargs["slug"], user=request.user)
        if not self.membership:
            raise no_such_helpdesk()
        timezone.activate(self.tenant.zone)  # timestamps in the helpdesk's own time zone
        if second_factor_required(self.membership) and not session_verified(request):
            # A token issued without a code (or a session that gave none): 403 saying how.
            raise Refused(second_factor_refusal(self.membership))
        if self.membership.is_active:
            touch_last_seen(membership=self.membership)
        # A browser session of staff who must sign in through the provider: as on the pages.
        # API tokens are not refused (named, expiring, revocable: docs/architecture.md).
        if isinstance(request.successful_authenticator, SessionAuthentication) and must_use_sso(
            request, self.tenant, self.membership
        ):
            raise Refused(
                Decision(
                    False, [_("Staff of this helpdesk sign in through its identity provider.")]
                )
            )
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
