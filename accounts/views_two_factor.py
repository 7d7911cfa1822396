"""Two-factor sign-in pages: one's own authenticator and recovery codes (outside any tenant),
the second step of a sign-in, and an admin's reset of a person's second factor (lost device).

Thin: the devices are accounts.two_factor's, the limits accounts.signin's, the reset a service.
"""

import time
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import signin
from .models import Membership
from .services import NotPermitted, reset_two_factor
from .two_factor import (
    authenticator_of,
    confirm_authenticator,
    has_second_factor,
    new_recovery_codes,
    qr_data_uri,
    recovery_codes_left,
    remove_second_factor,
    secret_text,
    session_verified,
    start_authenticator,
)
from .views_access import member_required

PENDING = "two_factor_pending"  # the session's half-done sign-in: the password was right


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=64,
        help_text=gettext_lazy(
            "The 6 digits your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


def _safe_next(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


def start_second_step(request, user, *, next_url: str):
    """The password was right and the account has a second factor: ask for its code before
    signing in (LoginView). Nothing is signed in yet; the step lapses after a few minutes."""
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "hash": user.get_session_auth_hash(),
        "until": time.time() + settings.TWO_FACTOR_STEP_SECONDS,
        "next": next_url,
    }
    return redirect("login_code")


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        return None, None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    # A password changed meanwhile ends the half-done sign-in, as it ends sessions.
    if user is None or user.get_session_auth_hash() != pending.get("hash"):
        return None, None
    return user, pending


def login_code(request):
    """The second step: a code from the authenticator app or a recovery code. Also where a
    signed-in person whose session gave no code yet gives one (a helpdesk requires it)."""
    if request.user.is_authenticated:
        user, pending = request.user, None
        if session_verified(request) or not has_second_factor(user):
            return redirect(_safe_next(request, request.GET.get("next")))
    else:
        user, pending = _pending_user(request)
        if user is None:
            request.session.pop(PENDING, None)
            messages.error(request, _("Sign in again: the code was not given in time."))
            return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = signin.verify_second_factor(request, user=user, code=form.cleaned_data["code"])
        except signin.SignInRefused as refused:
            form.add_error(
                None,
                _("Too many failed sign-ins. Wait %(minutes)s minutes and try again.")
                % {"minutes": refused.minutes},
            )
        else:
            if device is None:
                form.add_error("code", _("That code is not right. Try the one shown now."))
            else:
                return _signed_in(request, user, device, pending)
    return render(request, "registration/login_code.html", {"form": form, "person": user})


def _signed_in(request, user, device, pending):
    if pending is not None:
        del request.session[PENDING]
        auth_login(request, user, backend=pending["backend"])
        next_url = pending["next"]
    else:
        next_url = request.GET.get("next")
    otp_login(request, device)
    response = redirect(_safe_next(request, next_url))
    if user.language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
    return response


@login_required
def two_factor(request):
    """One's own second factor: add an authenticator, confirm it, recovery codes, remove it."""
    user = request.user
    action = request.POST.get("action") if request.method == "POST" else None
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    confirm_form = CodeForm(request.POST if action == "confirm" else None)
    remove_form = CodeForm(request.POST if action == "remove" else None, prefix="remove")
    codes = None
    if action == "start" and not has_second_factor(user):
        # Never over an active one: replacing it goes through removing it, which asks a code.
        start_authenticator(user=user)
        return redirect(_here(next_url))
    if action == "confirm" and confirm_form.is_valid():
        device = authenticator_of(user, confirmed=False)
        code = confirm_form.cleaned_data["code"]
        codes = confirm_authenticator(device=device, code=code) if device else None
        if codes is None:
            confirm_form.add_error("code", _("That code is not right. Try the one shown now."))
        else:
            otp_login(request, authenticator_of(user, confirmed=True))  # it just proved itself
            messages.success(request, _("Two-factor sign-in is on."))
    elif action == "regenerate" and has_second_factor(user):
        if not session_verified(request):
            return redirect(f"{reverse('login_code')}?{urlencode({'next': reverse('two_factor')})}")
        codes = new_recovery_codes(user=user)
        messages.success(request, _("New recovery codes: the old ones no longer work."))
    elif action == "remove" and remove_form.is_valid():
        try:
            device = signin.verify_second_factor(
                request, user=user, code=remove_form.cleaned_data["code"]
            )
        except signin.SignInRefused as refused:
            remove_form.add_error(
                None,
                _("Too many failed sign-ins. Wait %(minutes)s minutes and try again.")
                % {"minutes": refused.minutes},
            )
        else:
            if device is None:
                remove_form.add_error("code", _("That code is not right. Try the one shown now."))
            else:
                remove_second_factor(user=user)
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("two_factor")
    active = authenticator_of(user, confirmed=True)
    pending = None if active else authenticator_of(user, confirmed=False)
    response = render(
        request,
        "accounts/two_factor.html",
        {
            "active": active,
            "pending": pending,
            "qr": pending and qr_data_uri(pending),
            "secret": pending and secret_text(pending),
            "codes": codes,
            "codes_left": recovery_codes_left(user) if active else 0,
            "confirm_form": confirm_form,
            "remove_form": remove_form,
            "next": _safe_next(request, next_url) if next_url else "",
        },
    )
    response["Cache-Control"] = "no-store"  # a secret or recovery codes are on it
    return response


def _here(next_url: str) -> str:
    here = reverse("two_factor")
    return f"{here}?{urlencode({'next': next_url})}" if next_url else here


@require_POST
@member_required("manage_people")
def reset_person_two_factor(request, slug, user_id):
    """An admin resets the second factor of a person who lost their device (audited)."""
    member = get_object_or_404(
        Membership.objects.for_tenant(request.tenant).select_related("user", "role", "tenant"),
        user_id=user_id,
    )
    try:
        reset_two_factor(membership=member, by=request.user)
    except NotPermitted as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("%(name)s signs in with their password alone until they add an authenticator again.")
            % {"name": member.user},
        )
    return redirect("accounts:person", slug=slug, user_id=user_id)
