"""Invitations: one by one or from a CSV file, and withdrawing them.

Thin: every write is a service call."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .forms import InviteCsvForm, InviteForm, add_errors
from .models import Invitation
from .services import NotPermitted, invite, invite_many, parse_invitation_csv, revoke_invitation
from .views_access import member_required

PAGE_SIZE = 25


@member_required("manage_people")
def invitations(request, slug):
    tenant = request.tenant
    form = InviteForm(tenant=tenant, initial={"role": "agent"})
    csv_form = InviteCsvForm()
    csv_errors = []
    if request.method == "POST" and "file" in request.FILES:
        csv_form = InviteCsvForm(request.POST, request.FILES)
        if csv_form.is_valid():
            upload = csv_form.cleaned_data["file"]
            try:
                text = upload.read(200_000).decode("utf-8-sig")
            except UnicodeDecodeError:
                text, csv_errors = "", [_("The file must be UTF-8 text.")]
            if text:
                rows, csv_errors = parse_invitation_csv(tenant=tenant, text=text)
                if not csv_errors:
                    try:
                        sent = invite_many(tenant=tenant, rows=rows, by=request.user)
                    except ValidationError as error:
                        csv_errors = [m for ms in error.message_dict.values() for m in ms]
                    except NotPermitted as refusal:
                        csv_errors = refusal.reasons
                    else:
                        messages.success(
                            request,
                            ngettext("%(n)s invitation sent.", "%(n)s invitations sent.", len(sent))
                            % {"n": len(sent)},
                        )
                        return redirect("accounts:invitations", slug=slug)
    elif request.method == "POST":
        form = InviteForm(request.POST, tenant=tenant)
        if form.is_valid():
            try:
                invite(tenant=tenant, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            except NotPermitted as refusal:
                form.add_error("role", refusal.reasons)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect("accounts:invitations", slug=slug)
    listed = Invitation.objects.for_tenant(tenant).select_related(
        "role", "invited_by", "organization"
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/invitations.html",
        {"form": form, "csv_form": csv_form, "csv_errors": csv_errors, "page": page},
    )


@require_POST
@member_required("manage_people")
def invitation_revoke(request, slug, invitation_id):
    invitation = get_object_or_404(Invitation.objects.for_tenant(request.tenant), pk=invitation_id)
    try:
        revoke_invitation(invitation=invitation, by=request.user)
        messages.success(request, _("The invitation was withdrawn."))
    except NotPermitted as refusal:
        messages.error(request, refusal.message)
    return redirect("accounts:invitations", slug=slug)
