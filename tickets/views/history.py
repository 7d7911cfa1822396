"""The history of a person's or an organization's requests."""

from __future__ import annotations

from django.db.models import Avg, Count, Q
from django.shortcuts import get_object_or_404, render

from accounts.models import Membership, Organization
from accounts.views_access import member_required

from ..models import Ticket
from ..workspace import cheap_page

# --------------------------------------------------------------------------------- history


def _history_summary(tickets):
    return tickets.aggregate(
        total=Count("pk"),
        unsolved=Count("pk", filter=Q(status__in=Ticket.UNSOLVED)),
        rated=Count("rating"),
        rating_avg=Avg("rating__score"),
    )


def _history(request, title, subject, tickets, extra=None):
    tickets = tickets.order_by("-created_at", "-pk")
    page = cheap_page(
        tickets.for_history(), request.GET.get("page"), request.GET.get("page_size") or 50
    )
    context = {
        "title": title,
        "subject": subject,
        "page": page,
        "summary": _history_summary(tickets),
        **(extra or {}),
    }
    return render(request, "tickets/history.html", context)


@member_required("view_people")
def person_history(request, slug, user_id):
    member = get_object_or_404(
        Membership.objects.for_tenant(request.tenant).select_related(
            "user", "organization", "role"
        ),
        user_id=user_id,
    )
    tickets = Ticket.objects.visible_to(request.membership).filter(requester_id=user_id)
    return _history(request, member.user.get_full_name(), member, tickets, {"person": member})


@member_required("view_people")
def organization_history(request, slug, org_id):
    org = get_object_or_404(Organization.objects.for_tenant(request.tenant), pk=org_id)
    tickets = Ticket.objects.visible_to(request.membership).filter(organization=org)
    return _history(request, org.name, org, tickets, {"organization": org})
