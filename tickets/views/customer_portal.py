"""The portal: the customer's requests and the form to send a new one."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import can
from accounts.views_access import member_required

from .. import rows
from ..forms import SubmitForm
from ..models import Ticket
from ..portal_forms import PortalFilterForm
from ..services import attach_file, open_ticket
from ..workspace import cheap_page

# ---------------------------------------------------------------------------------- portal


@member_required("submit_ticket")
def portal(request, slug):
    """The customer's requests (and their organization's where the helpdesk shares them)."""
    member = request.membership
    tickets = Ticket.objects.visible_to(member)
    if can(member, "use_workspace"):
        tickets = tickets.filter(requester_id=member.user_id)  # staff see their own here
    # The subject or number and the status; the pages keep them (pagination's query).
    form = PortalFilterForm(
        request.GET if ("q" in request.GET or "status" in request.GET) else None
    )
    page = cheap_page(
        form.filter(tickets).order_by("-created_at", "-pk").values(*rows.PORTAL_COLUMNS),
        request.GET.get("page"),
        request.GET.get("page_size"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tickets/portal.html",
        {"page": page, "filter_form": form, "query": query.urlencode()},
    )


@member_required("submit_ticket")
def submit(request, slug):
    form = SubmitForm(request.POST or None, request.FILES or None, tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            ticket = open_ticket(
                tenant=request.tenant,
                requester=request.user,
                subject=data["subject"],
                description=data["description"],
                queue=data["queue"],
                membership=request.membership,
            )
            for upload in data["attachments"]:
                attach_file(ticket=ticket, upload=upload, by=request.user)
        messages.success(
            request, _("Thank you. Your request #%(number)s is in.") % {"number": ticket.number}
        )
        return redirect("tickets:ticket", slug=slug, number=ticket.number)
    return render(request, "tickets/submit.html", {"form": form})
