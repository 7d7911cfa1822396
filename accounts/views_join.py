"""Pages for joining a tenant and finding one's way in it: sign-up, waiting, invitations and
the welcome page ("why can't I?", which looks tickets up, is people.views_explain)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .access import Decision, permissions_of
from .actions import ACTIONS
from .forms import AcceptInvitationForm, SignUpForm, registration_throttled
from .models import Membership, SignUp
from .services import (
    NotPermitted,
    accept_invitation,
    accepts_sign_ups,
    approvers_of,
    find_invitation,
    invitation_refusal,
)
from .verification import (
    InvalidLink,
    Verified,
    find_sign_up,
    join_signed_in,
    send_again,
    sign_up,
    verify,
)
from .views_access import member_required, public_door, render_refusal

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _landing(membership: Membership):
    if membership.status == Membership.Status.PENDING:
        return redirect("accounts:waiting", slug=membership.tenant.slug)
    return redirect("accounts:welcome", slug=membership.tenant.slug)


def _form_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


SIGN_UP_KEY = "sign_up"  # the session remembers the last sign-up, for "send it again"


def _open_tenant(request):
    """The tenant if it takes sign-ups; an invitation-only one is a 404, as an unknown slug."""
    if not accepts_sign_ups(request.tenant):
        raise Http404
    return request.tenant


def _check_inbox(request, signup: SignUp):
    request.session[SIGN_UP_KEY] = signup.pk
    return redirect("accounts:join_sent", slug=request.tenant.slug)


def _outcome(request, result: Verified):
    """Where following a link (or a click of a proved person) leads: the helpdesk, the
    waiting page, or the refusal in words."""
    if result.membership is None:
        return render(request, "accounts/verified.html", {"result": result})
    if request.user != result.user:
        login(request, result.user, backend=BACKEND)
    if result.status == "active":
        messages.success(request, _("Welcome to %(tenant)s!") % {"tenant": request.tenant.name})
    return _landing(result.membership)


@public_door
def join(request, slug):
    """Sign up to this tenant. A link goes to the address; once it is followed, the joining
    rules decide. A signed-in person joins with their account (proving it first if need be)."""
    if request.membership is not None:
        return redirect("tenant_home", slug=slug)
    tenant = _open_tenant(request)
    if request.user.is_authenticated:
        # A signed-in non-member: a one-click way to join.
        if request.method == "POST":
            try:
                result = join_signed_in(tenant=tenant, user=request.user)
            except NotPermitted as refusal:
                return render_refusal(request, Decision(False, [refusal.message]))
            if isinstance(result, SignUp):
                return _check_inbox(request, result)
            return _outcome(request, result)
        return render(request, "accounts/join_signed_in.html", {"tenant": tenant})
    form = SignUpForm(request.POST or None)
    refusal, status = None, 200
    if request.method == "POST":
        if registration_throttled(request):
            refusal, status = _("Too many sign-ups from your address. Try again later."), 429
        elif form.is_valid():
            # Only the form's fields reach the service: a posted "role" is never honoured.
            try:
                signup = sign_up(tenant=tenant, **form.cleaned_data)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                return _check_inbox(request, signup)
    login_url = reverse("login") + "?next=" + reverse("accounts:join", args=[slug])
    return render(
        request,
        "accounts/join.html",
        {"form": form, "refusal": refusal, "login_url": login_url},
        status=status,
    )


@public_door
def join_sent(request, slug):
    """ "Check your inbox", with a button to send the mail again (limited per address). It
    reads the same whether or not the address has an account."""
    _open_tenant(request)
    signup = (
        SignUp.objects.for_tenant(request.tenant)
        .filter(pk=request.session.get(SIGN_UP_KEY))
        .first()
    )
    if signup is None:
        return redirect("accounts:join", slug=slug)
    if request.method == "POST":
        send_again(signup=signup)
        messages.info(
            request,
            _("If this address can receive our mail, a new message is on its way."),
        )
        return redirect("accounts:join_sent", slug=slug)
    return render(request, "accounts/join_sent.html", {"signup": signup})


@public_door
def verify_address(request, slug, token):
    """The link in the sign-up mail: a button confirms (a mail scanner that opens the link
    changes nothing), then the joining rules decide and the page says how."""
    try:
        signup = find_sign_up(tenant=request.tenant, token=token)
        if request.method == "POST":
            return _outcome(request, verify(tenant=request.tenant, token=token))
    except InvalidLink as error:
        if not accepts_sign_ups(request.tenant):
            raise Http404 from None
        return render(request, "accounts/verified.html", {"problem": error.message}, status=400)
    return render(request, "accounts/verify.html", {"signup": signup})


def waiting(request, slug):
    """A pending applicant learns that they wait, and for whom."""
    membership = request.membership
    if not request.user.is_authenticated:
        return redirect(reverse("login") + "?next=" + request.path)
    if membership is None or membership.status != Membership.Status.PENDING:
        return redirect("tenant_home", slug=slug)
    return render(
        request,
        "accounts/waiting.html",
        {"approvers": approvers_of(request.tenant)},
    )


@member_required()
def welcome(request, slug):
    """What this role may do, and where to start."""
    membership = request.membership
    allowed = set(permissions_of(membership))
    starts = []
    if "submit_ticket" in allowed and "use_workspace" not in allowed:
        starts.append((reverse("tickets:portal", args=[slug]), _("Open your requests")))
    if "use_workspace" in allowed:
        starts.append((reverse("tickets:workspace", args=[slug]), _("Go to the workspace")))
    if "view_people" in allowed:
        starts.append((reverse("accounts:people", args=[slug]), _("Meet the people")))
    if "manage_joining_rules" in allowed:
        starts.append((reverse("accounts:joining_rules", args=[slug]), _("Decide who may join")))
    starts.append((reverse("accounts:access", args=[slug]), _("Ask why you can't do something")))
    return render(
        request,
        "accounts/welcome.html",
        {
            "allowed": [ACTIONS[a] for a in ACTIONS if a in allowed],
            "refused": [ACTIONS[a] for a in ACTIONS if a not in allowed],
            "starts": starts,
        },
    )


@public_door
def invitation_accept(request, slug, token):
    """Open an invitation link: a new person sets name and password; an existing one signs in."""
    invitation = find_invitation(tenant=request.tenant, token=token)
    if invitation is None:
        raise Http404
    refusal = invitation_refusal(invitation)
    if refusal:
        return render(request, "accounts/invitation_refused.html", {"refusal": refusal}, status=410)
    from .models import User

    user = request.user if request.user.is_authenticated else None
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    wrong_person = user is not None and user.email.lower() != invitation.email.lower()
    form = AcceptInvitationForm(request.POST or None) if not has_account else None
    if request.method == "POST" and not wrong_person:
        try:
            if user is not None:
                membership = accept_invitation(invitation=invitation, user=user)
            elif form is not None and form.is_valid():
                membership = accept_invitation(invitation=invitation, **form.cleaned_data)
                user = membership.user
                login(request, user, backend=BACKEND)
            else:
                membership = None
        except ValidationError as error:
            _form_errors(form, error)
            membership = None
        except NotPermitted as error:
            return render(
                request, "accounts/invitation_refused.html", {"refusal": error.message}, status=410
            )
        if membership is not None:
            messages.success(request, _("Welcome to %(tenant)s!") % {"tenant": request.tenant.name})
            return _landing(membership)
    return render(
        request,
        "accounts/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "has_account": has_account,
            "wrong_person": wrong_person,
            "login_url": reverse("login") + "?next=" + request.path,
        },
    )
