"""Approving people: sign-ups waiting for an admin, and members' requests for access (which
a queue grant may answer).

Thin: every write is a service call."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import ensure
from accounts.models import AccessRequest, AuditEntry, Membership, Role
from accounts.services import (
    NotPermitted,
    approve_registration,
    change_membership,
    decide_access_request,
    reject_registration,
)
from accounts.views_access import member_required
from tickets.models import Ticket
from tickets.services import grant_queue


@member_required("manage_people")
def approvals(request, slug):
    tenant = request.tenant
    pending = (
        Membership.objects.for_tenant(tenant)
        .filter(status=Membership.Status.PENDING)
        .select_related("user", "role", "organization")
        .order_by("joined_at", "pk")
    )
    requests_ = (
        AccessRequest.objects.for_tenant(tenant)
        .pending()
        .select_related("membership__user", "membership__role")
        .order_by("created_at")
    )
    return render(
        request,
        "accounts/approvals.html",
        {
            "pending": pending,
            "access_requests": requests_,
            "roles": Role.objects.for_tenant(tenant),
            "decided": AccessRequest.objects.for_tenant(tenant)
            .exclude(status=AccessRequest.Status.PENDING)
            .select_related("membership__user", "decided_by")[:10],
            # Sign-ups leave no row of their own once decided: the audit log keeps them.
            "decided_signups": AuditEntry.objects.for_tenant(tenant)
            .filter(action__in=["registration.approved", "registration.rejected"])
            .select_related("actor")[:10],
        },
    )


@require_POST
@member_required("manage_people")
def approval_decide(request, slug, membership_id):
    membership = get_object_or_404(
        Membership.objects.for_tenant(request.tenant).select_related("user", "role"),
        pk=membership_id,
    )
    try:
        if request.POST.get("decision") == "approve":
            approve_registration(membership=membership, by=request.user)
            messages.success(
                request, _("%(name)s is in. They got an e-mail.") % {"name": membership.user}
            )
        else:
            reject_registration(membership=membership, by=request.user)
            messages.success(
                request,
                _("%(name)s was turned down. They got an e-mail.") % {"name": membership.user},
            )
    except NotPermitted as refusal:
        messages.error(request, refusal.message)
    return redirect("accounts:approvals", slug=slug)


@require_POST
@member_required("manage_people")
def access_request_decide(request, slug, request_id):
    """Grant (by a role change or a queue grant) or decline a member's request."""
    access_request = get_object_or_404(
        AccessRequest.objects.for_tenant(request.tenant).select_related(
            "membership__user", "membership__role"
        ),
        pk=request_id,
    )
    member = access_request.membership
    how = request.POST.get("grant", "")
    try:
        if how == "queue":
            ticket = (
                Ticket.objects.for_tenant(request.tenant)
                .select_related("queue")
                .filter(number=access_request.ticket_number)
                .first()
            )
            if ticket is None or ticket.queue is None:
                raise NotPermitted(_("That ticket is in no queue: choose a role instead."))
            ensure(request.membership, "manage_queues")
            grant_queue(queue=ticket.queue, user=member.user, by=request.user)
            outcome = _("now works the %(queue)s queue") % {"queue": ticket.queue.name}
            decide_access_request(
                access_request=access_request, by=request.user, granted=True, outcome=outcome
            )
        elif how == "role":
            role = get_object_or_404(
                Role.objects.for_tenant(request.tenant), pk=request.POST.get("role")
            )
            ensure(request.membership, "change_role")
            change_membership(membership=member, by=request.user, role=role)
            outcome = _("role changed to %(role)s") % {"role": role}
            decide_access_request(
                access_request=access_request, by=request.user, granted=True, outcome=outcome
            )
        else:
            decide_access_request(access_request=access_request, by=request.user, granted=False)
            outcome = _("declined")
    except NotPermitted as refusal:
        messages.error(request, refusal.message)
        return redirect("accounts:approvals", slug=slug)
    except ValidationError as refusal:  # grant_queue: customers work no queue
        messages.error(request, " ".join(refusal.messages))
        return redirect("accounts:approvals", slug=slug)
    messages.success(
        request, _("%(name)s: %(outcome)s.") % {"name": member.user, "outcome": outcome}
    )
    return redirect("accounts:approvals", slug=slug)
