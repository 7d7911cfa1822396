"""One's own API tokens: the list with last use, a new one (its key shown once), revocation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import ApiTokenForm
from .models import ApiToken
from .tokens import issue_token, revoke_token, token_status
from .two_factor import has_second_factor, session_verified


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_key = None
    # An account with a second factor gets tokens only in a session that gave its code.
    verified = session_verified(request)
    needs_code = has_second_factor(request.user) and not verified
    if request.method == "POST" and needs_code:
        form.add_error(None, _("Give your two-factor code first: tokens are issued only then."))
    elif request.method == "POST" and form.is_valid():
        token, new_key = issue_token(
            user=request.user,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["expires_in_days"],
            second_factor=verified,
        )
        form = ApiTokenForm()
    tokens = list(ApiToken.objects.of(request.user).select_related("user")[:200])
    for token in tokens:
        token.status = token_status(token)
    # The new key is in this answer only: never stored, never cached by the browser.
    response = render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "new_key": new_key, "needs_code": needs_code},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke(request, token_id):
    token = get_object_or_404(ApiToken.objects.of(request.user), pk=token_id)
    revoke_token(token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api_tokens")
