"""Single sign-on pages: "Sign in with <provider>" (start), the one callback every provider
returns to, and the identity providers page for admins. Thin: the protocol is
mozilla-django-oidc's (accounts.sso), who gets in is accounts.services.sign_in_through_provider's.
"""

from __future__ import annotations

import logging

import requests
from django.contrib import auth, messages
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from .access import decide
from .forms import IdentityProviderForm, add_errors
from .models import IdentityProvider, Tenant
from .services import (
    SsoRefused,
    add_identity_provider,
    delete_identity_provider,
)
from .sso import LIBRARY_SETTINGS, ProviderBackend, ProviderUnavailable, discovery, state_of
from .views_access import member_required, public_door

logger = logging.getLogger(__name__)
SESSION_STATES = "sso_states"  # state -> [tenant id, provider id], until the callback
SESSION_SIGNED_IN = "sso_tenants"  # tenants this session signed in to through their provider


class _StartView(OIDCAuthenticationRequestView):
    """The library's authentication request, with the provider's endpoint and client id."""

    def __init__(self, provider: IdentityProvider, authorization_endpoint: str):
        self.OIDC_OP_AUTH_ENDPOINT = authorization_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id

    def get_settings(self, attr, *args):
        return LIBRARY_SETTINGS.get(attr, args[0] if args else None)


def _failed(request, message: str, status: int = 400, slug: str | None = None):
    return render(
        request, "accounts/sso_failed.html", {"message": message, "slug": slug}, status=status
    )


@public_door
def sso_start(request, slug, provider_id):
    provider = get_object_or_404(
        IdentityProvider.objects.for_tenant(request.tenant), pk=provider_id
    )
    try:
        endpoint = discovery(provider.issuer)["authorization_endpoint"]
    except ProviderUnavailable as error:
        return _failed(request, str(error), status=502, slug=slug)
    response = _StartView(provider, endpoint).get(request)
    states = request.session.get(SESSION_STATES, {})
    states[state_of(response["Location"])] = [provider.tenant_id, provider.pk]
    request.session[SESSION_STATES] = dict(list(states.items())[-20:])  # a few tabs at most
    if not request.session.get("oidc_login_next"):
        request.session["oidc_login_next"] = reverse("tenant_home", args=[slug])
    return response


sso_start.sso_door = True  # open to staff whom the tenant requires to come this way


def sso_callback(request):
    """Where every provider sends the browser back: the state names the provider."""
    state = request.GET.get("state", "")
    found = request.session.get(SESSION_STATES, {}).pop(state, None)
    oidc_states = request.session.get("oidc_states", {})
    flow = oidc_states.pop(state, None)  # once only: a replayed answer finds nothing
    request.session.modified = True
    if found is None or flow is None:
        return _failed(request, _("This sign-in has expired or was already used: start again."))
    tenant_id, provider_id = found
    provider = (
        IdentityProvider.objects.for_tenant(tenant_id)
        .select_related("tenant")
        .filter(pk=provider_id)
    ).first()
    if provider is None:
        return _failed(request, _("This identity provider is no longer connected."))
    slug = provider.tenant.slug
    if request.GET.get("error") or "code" not in request.GET:
        return _failed(
            request, _("%(provider)s did not sign you in.") % {"provider": provider}, slug=slug
        )
    try:
        backend = ProviderBackend(provider)
        user = backend.authenticate(
            request, nonce=flow.get("nonce"), code_verifier=flow.get("code_verifier")
        )
    except ProviderUnavailable as error:
        return _failed(request, str(error), status=502, slug=slug)
    except SsoRefused as refusal:
        return _failed(request, refusal.message, status=403, slug=slug)
    except (SuspiciousOperation, requests.RequestException, ValueError, KeyError) as error:
        logger.warning("single sign-on through %s refused: %s", provider.issuer, error)
        user = None
    if user is None:
        return _failed(
            request,
            _("%(provider)s's answer could not be trusted, so nobody was signed in.")
            % {"provider": provider},
            slug=slug,
        )
    following = request.session.get("oidc_login_next") or reverse("tenant_home", args=[slug])
    signed_in = request.session.get(SESSION_SIGNED_IN, []) if request.user == user else []
    auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_SIGNED_IN] = sorted({*signed_in, provider.tenant_id})
    return redirect(following)


def providers_on_the_way_to(next_url: str) -> tuple[str, list[IdentityProvider]]:
    """The slug and identity providers of the helpdesk a ``next`` URL leads to (/t/<slug>/)."""
    parts = next_url.split("/")
    if len(parts) < 3 or parts[0] != "" or parts[1] != "t" or not parts[2]:
        return "", []
    tenant = Tenant.objects.filter(slug=parts[2][:60]).first()
    if tenant is None:
        return "", []
    return tenant.slug, list(IdentityProvider.objects.for_tenant(tenant).order_by("name", "pk"))


def signed_in_with_sso(request, tenant) -> bool:
    return tenant.pk in request.session.get(SESSION_SIGNED_IN, [])


def must_use_sso(request, tenant, membership) -> bool:
    """Staff of a tenant that requires single sign-on for them, in a session that did not come
    through its provider (a password). Read from the tenant row and the session: no query."""
    return (
        tenant.staff_sign_in_with_sso
        and membership is not None
        and membership.is_active
        and not signed_in_with_sso(request, tenant)
        and decide(membership, "use_workspace").allowed
    )


# --- The identity providers page ------------------------------------------------------------


@member_required("manage_joining_rules")
def identity_providers(request, slug):
    tenant = request.tenant
    form = IdentityProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_identity_provider(tenant=tenant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Identity provider connected."))
            return redirect("accounts:identity_providers", slug=slug)
    providers = IdentityProvider.objects.for_tenant(tenant).order_by("name", "pk")
    callback = request.build_absolute_uri(reverse("sso_callback"))
    return render(
        request,
        "accounts/identity_providers.html",
        {"providers": providers, "form": form, "callback_url": callback},
    )


@require_POST
@member_required("manage_joining_rules")
def identity_provider_delete(request, slug, provider_id):
    provider = get_object_or_404(
        IdentityProvider.objects.for_tenant(request.tenant), pk=provider_id
    )
    delete_identity_provider(provider=provider, by=request.user)
    messages.success(request, _("Identity provider removed."))
    return redirect("accounts:identity_providers", slug=slug)
