from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import signin, views_sso
from .access import can
from .forms import ThrottledLoginForm
from .models import Membership
from .services import accepts_sign_ups
from .two_factor import has_second_factor
from .views_access import member_required, signed_in_door
from .views_two_factor import start_second_step


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The helpdesk the visitor was on its way to offers its "Sign in with ..." buttons.
        context["sso"] = views_sso.providers_on_the_way_to(context.get("next") or "")
        return context

    def form_valid(self, form):
        user = form.get_user()
        if has_second_factor(user):
            # The password was right: the code comes next, and only then is one signed in.
            return start_second_step(self.request, user, next_url=self.get_success_url())
        response = super().form_valid(form)
        language = user.language
        if language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited per client address (said) and per mailbox (not said: its owner
    already has mails with working links, and a stranger learns nothing either way)."""

    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        refusal = signin.password_reset_refusal(self.request, form.cleaned_data["email"])
        if refusal == "client":
            form.add_error(None, _("Too many password-reset requests from here. Try again later."))
            return self.form_invalid(form)
        if refusal == "email":
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset link. Choosing a password through it proves the address (the link went
    there): the customer the mailroom made from a mail is confirmed so."""

    def form_valid(self, form):
        if form.user.email_verified_at is None:
            form.user.email_verified_at = timezone.now()  # saved with the new password
        return super().form_valid(form)


@login_required
def home(request):
    """After sign-in: straight into the only helpdesk, or a picker for people in several."""
    every = (
        Membership.objects.filter(user=request.user)
        .select_related("tenant", "role")
        .order_by("tenant__name")
    )
    memberships = [m for m in every if m.status != Membership.Status.DEACTIVATED]
    deactivated = [m for m in every if m.status == Membership.Status.DEACTIVATED]
    if len(memberships) == 1:
        return redirect("tenant_home", slug=memberships[0].tenant.slug)
    return render(
        request, "accounts/picker.html", {"memberships": memberships, "deactivated": deactivated}
    )


@signed_in_door
def tenant_home(request, slug):
    """A tenant's front door: the portal for customers, the workspace for staff; a pending
    applicant sees who they wait for."""
    membership = getattr(request, "membership", None)
    if membership is not None and membership.status == Membership.Status.PENDING:
        return redirect("accounts:waiting", slug=slug)
    if membership is None:
        if not accepts_sign_ups(request.tenant):
            raise Http404  # invitation-only: as an unknown slug
        return redirect("accounts:join", slug=slug)  # the helpdesk's public door
    return _front_door(request, slug)


@member_required()
def _front_door(request, slug):
    if can(request.membership, "use_workspace"):
        return redirect("tickets:workspace", slug=slug)
    return redirect("tickets:portal", slug=slug)


@require_POST
def set_language(request):
    """Switch the language of the pages, and remember it for a signed-in person."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = "/"
    response = redirect(next_url)
    if translation.check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            samesite="Lax",
            max_age=365 * 24 * 3600,
        )
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
    return response
