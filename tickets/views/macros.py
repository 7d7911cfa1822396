"""Macro pages: the list (who uses each), adding, editing and deleting; a macro's text filled
for one ticket (the reply form's picker); and opening a ticket on behalf of a customer."""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import Refused, can, ensure
from accounts.models import Role
from accounts.staff import active_staff
from accounts.views_access import member_required

from ..macro_forms import MacroForm, OnBehalfForm
from ..models import Macro
from ..services import (
    MacroRefused,
    RequesterRefused,
    add_macro,
    change_macro,
    delete_macro,
    fill_macro,
    macro_action,
    open_ticket_for,
    requester_for,
)
from .base import _find_ticket


def _form(request, macro: Macro | None = None):
    member = request.membership
    may_share = can(member, "manage_macros")
    roles = Role.objects.for_tenant(request.tenant).exclude(scope="own") if may_share else []
    initial = None
    if macro is not None:
        sets = macro.sets or {}
        initial = {
            "name": macro.name,
            "body": macro.body,
            "is_public": "public" if macro.is_public else "internal",
            "status": sets.get("status", ""),
            "priority": sets.get("priority", ""),
            "tags": ", ".join(sets.get("tags", [])),
            "assignee": str(sets.get("assignee") or ""),
            "shared_with": macro.shared_with,
        }
    return MacroForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        tenant=request.tenant,
        roles=list(roles),
        may_share=may_share,
        staff=active_staff(request.tenant),
    )


def _keep(request, form: MacroForm, macro: Macro | None = None) -> Macro | None:
    """Add or change the macro from a valid form; None (and the form's errors) if refused."""
    data = form.cleaned_data
    fields = {
        "name": data["name"],
        "body": data["body"],
        "is_public": data["is_public"],
        "sets": form.sets(),
        "shared_with": data["shared_with"],
    }
    try:
        if macro is None:
            return add_macro(member=request.membership, **fields)
        return change_macro(macro=macro, member=request.membership, **fields)
    except MacroRefused as refusal:
        for field, message in refusal.errors.items():
            form.add_error(field if field in form.fields else None, message)
    return None


@member_required("use_workspace")
def macros(request, slug):
    """The member's macros and, for those who keep them, every shared one; a new one below."""
    member = request.membership
    form = _form(request)
    if request.method == "POST" and form.is_valid() and _keep(request, form):
        messages.success(request, _("Macro saved."))
        return redirect("tickets:macros", slug=slug)
    listed = Macro.objects.managed_by(member).select_related("role")
    rows = [
        {"macro": m, "may_change": can(member, macro_action(m), m), "sets": m.sets or {}}
        for m in listed
    ]
    status = 400 if request.method == "POST" else 200
    return render(request, "tickets/macros.html", {"rows": rows, "form": form}, status=status)


def _managed(request, pk) -> Macro:
    macro = get_object_or_404(
        Macro.objects.managed_by(request.membership).select_related("role"), pk=pk
    )
    ensure(request.membership, macro_action(macro), macro)
    return macro


@member_required("use_workspace")
def macro_edit(request, slug, pk):
    macro = _managed(request, pk)
    form = _form(request, macro)
    if request.method == "POST" and form.is_valid() and _keep(request, form, macro):
        messages.success(request, _("Macro saved."))
        return redirect("tickets:macros", slug=slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "tickets/macro_edit.html", {"macro": macro, "form": form}, status=status)


@member_required("use_workspace")
def macro_delete(request, slug, pk):
    macro = _managed(request, pk)
    if request.method == "POST":
        delete_macro(macro=macro, member=request.membership)
        messages.success(request, _("Macro deleted."))
        return redirect("tickets:macros", slug=slug)
    return render(request, "tickets/macro_delete.html", {"macro": macro})


@member_required("use_workspace")
def macro_preview(request, slug, number, pk):
    """The macro's text filled for this ticket, and what it changes (the picker inserts it)."""
    ticket = _find_ticket(request, number)
    macro = get_object_or_404(Macro.objects.visible_to(request.membership), pk=pk)
    sets = macro.sets or {}
    return JsonResponse(
        {
            "id": macro.pk,
            "name": macro.name,
            "body": fill_macro(macro, ticket=ticket, agent=request.user),
            "public": macro.is_public,
            "sets": {
                "status": sets.get("status") or None,
                "priority": sets.get("priority") or None,
                "tags": sets.get("tags") or [],
                "assignee": sets.get("assignee") or None,
            },
        }
    )


@member_required("work_tickets")
def open_on_behalf(request, slug):
    """Open a ticket for a member who called or walked in: channel "staff", their receipt."""
    member = request.membership
    form = OnBehalfForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            requester = requester_for(tenant=request.tenant, email=data["requester"])
            ticket = open_ticket_for(
                member=member,
                requester=requester,
                subject=data["subject"],
                description=data["description"],
                queue=data["queue"],
                priority=data["priority"],
            )
        except RequesterRefused as refusal:
            form.add_error("requester", refusal.message)
        except Refused as refusal:  # e.g. a queue taken from them since the form was drawn
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("Ticket #%(number)s opened for %(name)s.")
                % {"number": ticket.number, "name": requester.user.get_full_name()},
            )
            return redirect("tickets:ticket", slug=slug, number=ticket.number)
    status = 400 if request.method == "POST" else 200
    return render(request, "tickets/open_on_behalf.html", {"form": form}, status=status)
