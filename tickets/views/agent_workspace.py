"""The workspace: the agents' list, its bulk actions and saved views."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
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
from ..forms import BulkForm, SaveFilterForm, TeamViewForm, WorkspaceFilterForm
from ..models import SavedFilter, Ticket
from ..search import with_snippets
from ..services import (
    InvalidTransition,
    TicketClosed,
    delete_filter,
    remove_team_view,
    save_filter,
    share_team_view,
    update_ticket,
)
from ..workspace import (
    COUNT_CAP,
    cheap_page,
    sort_headers,
    sort_of,
    workspace_counts,
    workspace_tickets,
)

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
    saved_filters = list(SavedFilter.objects.shown_to(member))
    may_share = can(member, "manage_team_views")
    context = {
        "form": form,
        "page": page,
        "view": data.get("view") or "queues",
        "query": query.urlencode(),
        "sort": sort_headers(query, sort_of(data)),
        "saved_filters": saved_filters,
        "counts": workspace_counts(member, form, saved_filters),
        "count_cap": COUNT_CAP,
        # The panel stays folded unless a filter applies or one needs correcting.
        "filtering": bool(form.errors)
        or any(data.get(name) for name in form.fields if name not in ("view", "sort")),
        "save_form": SaveFilterForm(initial={"query": query.urlencode()}),
        "team_form": TeamViewForm(initial={"query": query.urlencode()}, tenant=request.tenant)
        if may_share
        else None,
        # Its own ids: the filter form beside it has a status and an assignee too.
        "bulk_form": BulkForm(tenant=request.tenant, staff=staff, auto_id="bulk_%s"),
        "staff": staff,  # what the bulk form's markup depends on (its {% kept %} key)
        "may_assign": can(member, "assign_ticket"),
        "may_status": can(member, "change_ticket_status"),
        "may_view_people": can(member, "view_people"),
        "may_share": may_share,
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
    """Keep the list's filters as a view: one's own, or (the "team" button) a team view."""
    if "team" in request.POST:
        return _share_team_view(request, slug)
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


def _share_team_view(request, slug):
    form = TeamViewForm(request.POST, tenant=request.tenant)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("tickets:workspace", slug=slug)
    data = form.cleaned_data
    try:
        saved = share_team_view(
            by=request.membership,
            name=data["name"],
            query=data["query"],
            roles=list(data["roles"]),
            queues=list(data["queues"]),
        )
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("tickets:workspace", slug=slug)
    messages.success(request, _("Team view “%(name)s” shared.") % {"name": saved.name})
    return redirect(reverse("tickets:workspace", args=[slug]) + "?" + saved.query)


@require_POST
@member_required("view_ticket")
def delete_workspace_filter(request, slug, pk):
    """Remove one's own view, or (an admin) a team view."""
    member = request.membership
    saved = SavedFilter.objects.owned_by(member).filter(pk=pk).first()
    if saved is not None:
        delete_filter(saved=saved)
    else:
        if not can(member, "manage_team_views"):
            raise Http404
        saved = get_object_or_404(SavedFilter.objects.team_views(request.tenant), pk=pk)
        remove_team_view(by=member, saved=saved)
    messages.success(request, _("View “%(name)s” removed.") % {"name": saved.name})
    return redirect("tickets:workspace", slug=slug)
