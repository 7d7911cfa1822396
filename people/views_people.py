"""Pages for the people of a tenant: the directory and one person (role, standing, queues).

Thin: every write is a service call. Approvals and roles have their own modules here
(views_approvals, views_roles); invitations, joining rules and the audit log, which never
look at tickets, stay in accounts."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import decide, ensure
from accounts.forms import ExplainForm, MembershipForm
from accounts.granting import check_grant, explain_grant
from accounts.models import Absence, Membership, Organization, Role
from accounts.services import (
    NotPermitted,
    change_membership,
    check_membership_change,
    set_capacity,
    today_in,
)
from accounts.two_factor import has_second_factor
from accounts.views_access import member_required
from core.params import object_id, whole_number
from tickets.models import Queue, QueueGrant, TicketMail
from tickets.services import grant_queue, revoke_queue

from .directory import SORTS, directory
from .views_absences import absence_action
from .views_data_requests import data_requests_of
from .views_explain import ticket_by_number

PAGE_SIZE = 25


@member_required("view_people")
def people(request, slug):
    params = request.GET
    sort = params.get("sort", "name")
    members = directory(
        request.tenant,
        q=params.get("q", "").strip(),
        role=params.get("role", ""),
        status=params.get("status", ""),
        organization=params.get("organization", ""),
        sort=sort,
    )
    page = Paginator(members, PAGE_SIZE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/people.html",
        {
            "page": page,
            "roles": Role.objects.for_tenant(request.tenant),
            "organizations": Organization.objects.for_tenant(request.tenant),
            "statuses": Membership.Status.choices,
            "sorts": list(SORTS),
            "sort": sort,
            "params": params,
            "query": query.urlencode(),
            "now": timezone.now(),
        },
    )


def _member_or_404(request, user_id) -> Membership:
    return get_object_or_404(
        Membership.objects.for_tenant(request.tenant).select_related(
            "user", "role", "organization", "tenant"
        ),
        user_id=user_id,
    )


@member_required("view_people")
def person(request, slug, user_id):
    """One person: details, role and standing (admins change them), grants, and why."""
    member = _member_or_404(request, user_id)
    me = request.membership
    is_admin = decide(me, "manage_people").allowed
    form = MembershipForm(
        tenant=request.tenant,
        initial={
            "role": member.role,
            "organization": member.organization,
            "status": member.status if member.status != Membership.Status.PENDING else "active",
        },
    )
    explain_form = ExplainForm(
        request.GET if "action" in request.GET else None, tenant=request.tenant
    )
    decision = ticket = None
    if explain_form.is_bound and explain_form.is_valid():
        number = explain_form.cleaned_data["ticket"]
        ticket = ticket_by_number(request.tenant, number)
        if number and ticket is None:
            explain_form.add_error("ticket", _("There is no ticket with this number here."))
        elif explain_form.cleaned_data["role"] is not None:
            decision = explain_grant(
                member, explain_form.cleaned_data["action"], role=explain_form.cleaned_data["role"]
            )
        else:
            decision = decide(member, explain_form.cleaned_data["action"], ticket)
    grants = (
        QueueGrant.objects.for_tenant(request.tenant)
        .filter(user_id=member.user_id)
        .select_related("queue", "granted_by")
        .order_by("queue__name")
    )
    return render(
        request,
        "accounts/person.html",
        {
            "member": member,
            "is_admin": is_admin,
            "has_two_factor": is_admin and has_second_factor(member.user),
            "can_change_role": decide(me, "change_role").allowed,
            "form": form,
            "grants": grants,
            "queues": Queue.objects.for_tenant(request.tenant).exclude(
                pk__in=grants.values("queue_id")
            ),
            # Staff see where a person's mail came from (customers write from several).
            "wrote_from": TicketMail.objects.for_tenant(request.tenant).addresses_of(member.user),
            "explain_form": explain_form,
            "decision": decision,
            "ticket": ticket,
            "now": timezone.now(),
            "absences": Absence.objects.for_tenant(request.tenant)
            .filter(member=member)
            .not_over(today_in(request.tenant))
            .select_related("substitute__user"),
            "today": today_in(request.tenant),
            "may_set_absence": decide(me, absence_action(me, member)).allowed,
            "data_requests": data_requests_of(member, me),
        },
    )


@require_POST
@member_required("manage_people")
def person_change(request, slug, user_id):
    """Change role / organization / standing: a confirmation step first, then the change."""
    member = _member_or_404(request, user_id)
    form = MembershipForm(request.POST, tenant=request.tenant)
    if not form.is_valid():
        messages.error(request, _("Choose a role and a status."))
        return redirect("accounts:person", slug=slug, user_id=user_id)
    data = form.cleaned_data
    changes = {}
    if data["role"] != member.role:
        ensure(request.membership, "change_role")
        changes["role"] = data["role"]
    if data["organization"] != member.organization:
        changes["organization"] = data["organization"]
    if member.status != Membership.Status.PENDING and data["status"] != member.status:
        changes["status"] = data["status"]
    if not changes:
        messages.info(request, _("Nothing to change."))
        return redirect("accounts:person", slug=slug, user_id=user_id)
    try:
        # Refused before the confirmation step, not after it.
        check_membership_change(member, **{k: v for k, v in changes.items() if k != "organization"})
        if "role" in changes or changes.get("status") == Membership.Status.ACTIVE:
            check_grant(
                tenant=request.tenant,
                by=request.user,
                role=changes.get("role", member.role),
                target=member,
            )
        if request.POST.get("confirm") != "yes":
            return render(
                request,
                "accounts/person_confirm.html",
                {"member": member, "changes": changes, "form": form},
            )
        change_membership(membership=member, by=request.user, **changes)
    except NotPermitted as refusal:
        messages.error(request, refusal.message)
        return redirect("accounts:person", slug=slug, user_id=user_id)
    messages.success(request, _("Saved. The change is in the audit log."))
    return redirect("accounts:person", slug=slug, user_id=user_id)


@require_POST
@member_required("manage_queues")
def person_grant(request, slug, user_id):
    """Let this person work a queue, until an optional date."""
    member = _member_or_404(request, user_id)
    queue = get_object_or_404(
        Queue.objects.for_tenant(request.tenant), pk=object_id(request.POST.get("queue"))
    )
    if request.POST.get("revoke"):
        try:
            revoke_queue(queue=queue, user=member.user, by=request.user)
        except NotPermitted as refusal:
            messages.error(request, refusal.message)
            return redirect("accounts:person", slug=slug, user_id=user_id)
        messages.success(
            request,
            _("%(name)s no longer works %(queue)s.") % {"name": member.user, "queue": queue.name},
        )
        return redirect("accounts:person", slug=slug, user_id=user_id)
    expires_at = None
    until = request.POST.get("expires_on", "").strip()
    if until:
        try:
            day = datetime.strptime(until, "%Y-%m-%d").date()  # noqa: DTZ007 (a date only)
        except ValueError:
            messages.error(request, _("Enter the end date as YYYY-MM-DD."))
            return redirect("accounts:person", slug=slug, user_id=user_id)
        if day <= timezone.localdate():
            messages.error(request, _("The end date must be in the future."))
            return redirect("accounts:person", slug=slug, user_id=user_id)
        expires_at = timezone.make_aware(datetime.combine(day, time.min))
    try:
        grant_queue(queue=queue, user=member.user, by=request.user, expires_at=expires_at)
    except NotPermitted as refusal:
        messages.error(request, refusal.message)
        return redirect("accounts:person", slug=slug, user_id=user_id)
    except ValidationError as refusal:  # a customer: the service says why
        messages.error(request, " ".join(refusal.messages))
        return redirect("accounts:person", slug=slug, user_id=user_id)
    messages.success(
        request, _("%(name)s now works %(queue)s.") % {"name": member.user, "queue": queue.name}
    )
    return redirect("accounts:person", slug=slug, user_id=user_id)


@require_POST
@member_required("manage_queues")
def person_capacity(request, slug, user_id):
    """How many open tickets automatic assignment may give this person (empty: no limit)."""
    member = _member_or_404(request, user_id)
    raw = request.POST.get("capacity", "").strip()
    capacity = whole_number(raw, low=0, high=CAPACITY_MAX) if raw else None
    if raw and capacity is None:
        messages.error(
            request,
            _("Enter a number of tickets from 0 to %(max)s, or nothing.") % {"max": CAPACITY_MAX},
        )
        return redirect("accounts:person", slug=slug, user_id=user_id)
    set_capacity(membership=member, capacity=capacity, by=request.user)
    messages.success(request, _("Saved. The change is in the audit log."))
    return redirect("accounts:person", slug=slug, user_id=user_id)


CAPACITY_MAX = 1000  # a person's open tickets; the column holds up to 32767
