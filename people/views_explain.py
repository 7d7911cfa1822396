"""Why can't I? Any member asks whether they may do an action (on a ticket) and why, and
asks the admins for access in one click.

The pages are accounts' (``accounts:access``); they live here because they look tickets up."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import Decision, action_label, decide
from accounts.actions import ACTIONS
from accounts.forms import ExplainForm
from accounts.granting import explain_grant
from accounts.services import request_access
from accounts.views_access import member_required, render_refusal
from core.params import whole_number
from tickets.models import Ticket


def ticket_by_number(tenant, number):
    """The tenant's ticket with this number (its queue loaded for the ticket rule), or None."""
    if not number:
        return None
    return Ticket.objects.for_tenant(tenant).select_related("queue").filter(number=number).first()


@member_required()
def access(request, slug):
    """Why can't I? Any member picks an action (and a ticket) and reads the decision."""
    form = ExplainForm(request.GET or None, tenant=request.tenant)
    decision = ticket = None
    if form.is_bound and form.is_valid():
        number = form.cleaned_data["ticket"]
        ticket = ticket_by_number(request.tenant, number)
        if number and ticket is None:
            form.add_error("ticket", _("There is no ticket with this number here."))
        elif form.cleaned_data["role"] is not None:
            given = form.cleaned_data["role"]
            decision = explain_grant(request.membership, form.cleaned_data["action"], role=given)
        else:
            decision = decide(request.membership, form.cleaned_data["action"], ticket)
    return render(
        request,
        "accounts/access.html",
        {
            "form": form,
            "decision": decision,
            "ticket": ticket,
            "refused_action": form.cleaned_data.get("action") if decision is not None else None,
            "refused_ticket_number": ticket.number if ticket else None,
            "action_name": action_label(form.cleaned_data["action"])
            if decision is not None
            else "",
        },
    )


@require_POST
@member_required()
def ask_for_access(request, slug):
    """One click on a refusal: the request waits in the admins' approvals page."""
    action_name = request.POST.get("action", "")
    number = request.POST.get("ticket", "")
    if action_name not in ACTIONS:
        return render_refusal(
            request, Decision(False, [_("Say which action you would like to be allowed.")]), 400
        )
    number = whole_number(number, low=1)
    ticket = ticket_by_number(request.tenant, number) if number else None
    decision = decide(request.membership, action_name, ticket)
    if decision.allowed:
        messages.info(request, _("You are already allowed to do this."))
        return redirect("accounts:access", slug=slug)
    if not decision.can_request:
        return render_refusal(request, decision)
    request_access(
        membership=request.membership,
        action=action_name,
        ticket_number=ticket.number if ticket else None,
        reason=" ".join(str(r) for r in decision.reasons),
        note=request.POST.get("note", ""),
    )
    messages.success(
        request,
        _("Your request was sent to the admins of %(tenant)s. You'll see the result here.")
        % {"tenant": request.tenant.name},
    )
    return redirect("accounts:access", slug=slug)
