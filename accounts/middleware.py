from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from .access import Refused, second_factor_required
from .models import IdentityProvider
from .services import resolve_tenant, touch_last_seen
from .two_factor import has_second_factor, session_verified
from .views_access import render_refusal
from .views_sso import must_use_sso


class TenantMiddleware:
    """Resolves the tenant of a /t/<slug>/ page once, for the whole request.

    Sets ``request.tenant`` and ``request.membership`` (None for non-members; a pending or
    deactivated membership is kept so that refusals can say why). API views resolve the
    same way in TenantScopedViewSet, after DRF has authenticated a token.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        request.membership = None
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("slug")
        if slug is None or not request.path_info.startswith("/t/"):
            return None
        tenant, membership = resolve_tenant(slug=slug, user=request.user)
        # Outsiders learn nothing of a helpdesk: whatever the page and the method, they get
        # the answer an unknown slug gets (anonymous visitors: sign in first; signed-in
        # outsiders: 404). Only its public doors (views_access.public_door) say more.
        door = getattr(view_func, "public_door", None)
        signed_in = request.user.is_authenticated
        is_door = door == "anyone" or (door == "signed_in" and signed_in)
        if membership is None and not is_door:
            if not signed_in:
                return redirect_to_login(request.get_full_path())
            raise Http404
        if tenant is None:
            raise Http404
        request.tenant, request.membership = tenant, membership
        timezone.activate(tenant.zone)  # pages show times in the helpdesk's own time zone
        if not getattr(view_func, "sso_door", False) and must_use_sso(request, tenant, membership):
            providers = IdentityProvider.objects.for_tenant(tenant).required_for_staff()
            return render(
                request, "accounts/sso_required.html", {"providers": providers}, status=403
            )
        if second_factor_required(membership) and not session_verified(request):
            # Before any page of the helpdesk: add an authenticator, or give its code.
            page = "login_code" if has_second_factor(request.user) else "two_factor"
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(page)}?{query}")
        if request.membership is not None and request.membership.is_active:
            touch_last_seen(membership=request.membership)
        return None

    def process_exception(self, request, exception):
        """A service or view that calls accounts.access.ensure gets its refusal rendered."""
        if isinstance(exception, Refused):
            return render_refusal(
                request,
                exception.decision,
                action=getattr(exception, "action", None),
                obj=getattr(exception, "obj", None),
            )
        return None
