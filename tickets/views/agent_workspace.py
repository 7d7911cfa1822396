"""The workspace: the agents' list, its bulk actions and saved views."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import Refused, can
from accounts.models import Membership, User
from accounts.staff import active_staff
from accounts.views_access import member_required

from .. import rows
from ..forms import BulkForm, SaveFilterForm, WorkspaceFilterForm
from ..models import SavedFilter, Ticket
from ..search import with_snippets
from ..services import (
    InvalidTransition,
    TicketClosed,
    delete_filter,
    save_filter,
    update_ticket,
)
from ..workspace import cheap_page, workspace_tickets

# ------------------------------------------------------------------------------- workspace


@member_required("view_ticket")
def workspace(request, slug):
    member = request.membership
    if not can(member, "use_workspace"):
        return redirect("tickets:portal", slug=slug)
    staff = active_staff(request.tenant)  # read once for both forms' assignee lists
    form = WorkspaceFilterForm(request.GET or None, member=member, staff=staff)
    data = {}
    if form.is_bound:
        # The valid filters apply; a bad one is named on the page instead of dropping them all
        # (after is_valid, cleaned_data holds just the valid fields).
        form.is_valid()
        data = form.cleaned_data
    page = cheap_page(
        workspace_tickets(member, data).with_list_names().values(*rows.WORKSPACE_COLUMNS),
        request.GET.get("page"),
        request.GET.get("page_size"),
    )
    rows.with_tag_names(page.rows)
    if data.get("q"):
        with_snippets(page.rows, data["q"], member=member)  # where the words matched
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "view": data.get("view") or "queues",
        "query": query.urlencode(),
        "saved_filters": SavedFilter.objects.owned_by(member),
        "save_form": SaveFilterForm(initial={"query": query.urlencode()}),
        # Its own ids: the filter form beside it has a status and an assignee too.
        "bulk_form": BulkForm(tenant=request.tenant, staff=staff, auto_id="bulk_%s"),
        "staff": staff,  # what the bulk form's markup depends on (its {% kept %} key)
        "may_assign": can(member, "assign_ticket"),
        "may_status": can(member, "change_ticket_status"),
        "may_view_people": can(member, "view_people"),
    }
    return render(request, "tickets/workspace.html", context)


def _back(request, slug):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("tickets:workspace", slug=slug)


@require_POST
@member_required("view_ticket")
def bulk(request, slug):
    """One action on the selected rows; each ticket goes through its service and its check."""
    member = request.membership
    form = BulkForm(request.POST, tenant=request.tenant)
    if not can(member, "use_workspace"):
        messages.error(request, _("Choose tickets and an action."))
        return _back(request, slug)
    if not form.is_valid():
        # Say what is missing: no rows ticked, or the action's own field left empty.
        for field, errors in form.errors.items():
            if field == "tickets":
                messages.error(request, _("Tick the tickets to change first."))
            else:
                messages.error(request, " ".join(errors))
        return _back(request, slug)
    data = form.cleaned_data
    assignee = None
    if data["bulk_action"] == "assign" and data["assignee"] not in ("none", "me"):
        assignee = get_object_or_404(
            User.objects.filter(
                pk__in=Membership.objects.for_tenant(request.tenant)
                .active()
                .staff()
                .values("user_id")
            ),
            pk=data["assignee"],
        )
    elif data["assignee"] == "me":
        assignee = request.user
    done, refused = 0, []
    tickets = Ticket.objects.visible_to(member).filter(pk__in=data["tickets"]).with_tags()
    for ticket in tickets.select_related("queue"):
        if data["bulk_action"] == "assign":
            changes = {"assignee": assignee}
        elif data["bulk_action"] == "status":
            changes = {"status": data["status"]}
        else:
            changes = {"tags": [t.name for t in ticket.tags.all()] + data["tags"].split(",")}
        try:
            update_ticket(ticket=ticket, member=member, by=request.user, changes=changes)
            done += 1
        except (Refused, InvalidTransition, TicketClosed):
            refused.append(f"#{ticket.number}")
    if done:
        messages.success(
            request,
            ngettext("%(n)s ticket changed.", "%(n)s tickets changed.", done) % {"n": done},
        )
    if refused:
        messages.warning(
            request,
            _("Not changed (not allowed or not a valid move): %(list)s")
            % {"list": ", ".join(refused)},
        )
    return _back(request, slug)


@require_POST
@member_required("view_ticket")
def save_workspace_filter(request, slug):
    form = SaveFilterForm(request.POST)
    if can(request.membership, "use_workspace") and form.is_valid():
        saved = save_filter(
            tenant=request.tenant,
            owner=request.user,
            name=form.cleaned_data["name"],
            query=form.cleaned_data["query"],
        )
        messages.success(request, _("View “%(name)s” saved.") % {"name": saved.name})
        return redirect(reverse("tickets:workspace", args=[slug]) + "?" + saved.query)
    messages.error(request, _("Give the view a name."))
    return redirect("tickets:workspace", slug=slug)


@require_POST
@member_required("view_ticket")
def delete_workspace_filter(request, slug, pk):
    saved = get_object_or_404(SavedFilter.objects.owned_by(request.membership), pk=pk)
    delete_filter(saved=saved)
    messages.success(request, _("View “%(name)s” removed.") % {"name": saved.name})
    return redirect("tickets:workspace", slug=slug)
