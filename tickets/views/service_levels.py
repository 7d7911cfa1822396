"""Settings pages of service levels: calendars (hours per weekday, holidays, a country's
holidays loaded), the ordered policies with their conditions, and the dry run."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import Organization, Role
from accounts.views_access import member_required

from ..forms_service_levels import (
    CalendarForm,
    DryRunForm,
    HolidayLoadForm,
    SlaPolicyForm,
    add_service_errors,
    spans_text,
)
from ..models import Calendar, Queue, SlaPolicy, Ticket
from ..services import (
    create_calendar,
    create_sla_policy,
    delete_calendar,
    delete_sla_policy,
    load_country_holidays,
    preview_service_levels,
    update_calendar,
    update_sla_policy,
)

ACTION = "manage_service_levels"


def _condition_names(tenant) -> dict:
    """How each condition value reads on the page, by condition key."""
    return {
        "priority": dict(Ticket.Priority.choices),
        "channel": dict(Ticket.Channel.choices),
        "queue": dict(Queue.objects.for_tenant(tenant).values_list("pk", "name")),
        "organization": dict(Organization.objects.for_tenant(tenant).values_list("pk", "name")),
        "role": {role.key: str(role) for role in Role.objects.for_tenant(tenant)},
    }


def _dry_run(request):
    """The dry run of ?ticket=<number>: the form, and the ticket with its preview if found."""
    if "ticket" not in request.GET:
        return DryRunForm(), None
    form = DryRunForm(request.GET)
    if not form.is_valid():
        return form, None
    ticket = (
        Ticket.objects.for_tenant(request.tenant).filter(number=form.cleaned_data["ticket"]).first()
    )
    if ticket is None:
        form.add_error("ticket", _("There is no such ticket in this helpdesk."))
        return form, None
    return form, {"ticket": ticket, **preview_service_levels(ticket=ticket)}


@member_required(ACTION)
def service_levels(request, slug):
    tenant = request.tenant
    calendar_form = CalendarForm(
        request.POST if "new_calendar" in request.POST else None, with_hours=False
    )
    policy_form = SlaPolicyForm(
        request.POST if "new_policy" in request.POST else None, tenant=tenant
    )
    form = calendar_form if calendar_form.is_bound else policy_form
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            if form is calendar_form:
                calendar = create_calendar(
                    tenant=tenant, by=request.user, **calendar_form.service_arguments()
                )
                messages.success(request, _("Calendar “%(name)s” added.") % {"name": calendar})
                return redirect("tickets:calendar_edit", slug=slug, pk=calendar.pk)
            policy = create_sla_policy(
                tenant=tenant, by=request.user, **policy_form.service_arguments()
            )
            messages.success(request, _("Policy “%(name)s” added.") % {"name": policy})
            return redirect("tickets:service_levels", slug=slug)
        except ValidationError as error:
            add_service_errors(form, error)
    dry_run_form, dry_run = _dry_run(request)
    calendars = Calendar.objects.for_tenant(tenant).with_holidays()
    return render(
        request,
        "tickets/service_levels.html",
        {
            "calendars": calendars,
            "policies": SlaPolicy.objects.for_tenant(tenant).in_order(),
            "names": _condition_names(tenant),
            "weekdays": WEEKDAYS,
            "spans_text": spans_text,
            "calendar_form": calendar_form,
            "policy_form": policy_form,
            "dry_run_form": dry_run_form,
            "dry_run": dry_run,
        },
        status=400 if form.is_bound else 200,
    )


@member_required(ACTION)
def calendar_edit(request, slug, pk):
    calendar = get_object_or_404(Calendar.objects.for_tenant(request.tenant).with_holidays(), pk=pk)
    form = CalendarForm(request.POST or None, initial=CalendarForm.initial_for(calendar))
    if request.method == "POST" and form.is_valid():
        try:
            update_calendar(calendar=calendar, by=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Calendar “%(name)s” saved.") % {"name": form.cleaned_data["name"]}
            )
            return redirect("tickets:calendar_edit", slug=slug, pk=calendar.pk)
    return render(
        request,
        "tickets/calendar_edit.html",
        {"calendar": calendar, "form": form, "holiday_form": HolidayLoadForm()},
        status=400 if form.is_bound else 200,
    )


@require_POST
@member_required(ACTION)
def calendar_holidays(request, slug, pk):
    """Load a country's holidays of one year into the calendar (the `holidays` package)."""
    calendar = get_object_or_404(Calendar.objects.for_tenant(request.tenant).with_holidays(), pk=pk)
    form = HolidayLoadForm(request.POST)
    if form.is_valid():
        try:
            added = load_country_holidays(
                calendar=calendar,
                by=request.user,
                country=form.cleaned_data["country"],
                year=form.cleaned_data["year"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)s holiday added.", "%(count)s holidays added.", added)
                % {"count": added},
            )
            return redirect("tickets:calendar_edit", slug=slug, pk=calendar.pk)
    return render(
        request,
        "tickets/calendar_edit.html",
        {
            "calendar": calendar,
            "form": CalendarForm(initial=CalendarForm.initial_for(calendar)),
            "holiday_form": form,
        },
        status=400,
    )


@require_POST
@member_required(ACTION)
def calendar_delete(request, slug, pk):
    calendar = get_object_or_404(Calendar.objects.for_tenant(request.tenant), pk=pk)
    try:
        delete_calendar(calendar=calendar, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("tickets:calendar_edit", slug=slug, pk=calendar.pk)
    messages.success(request, _("Calendar “%(name)s” deleted.") % {"name": calendar.name})
    return redirect("tickets:service_levels", slug=slug)


@member_required(ACTION)
def policy_edit(request, slug, pk):
    policy = get_object_or_404(SlaPolicy.objects.for_tenant(request.tenant), pk=pk)
    form = SlaPolicyForm(
        request.POST or None, tenant=request.tenant, initial=SlaPolicyForm.initial_for(policy)
    )
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        if arguments["position"] is None:
            arguments["position"] = policy.position
        try:
            update_sla_policy(policy=policy, by=request.user, **arguments)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Policy “%(name)s” saved.") % {"name": arguments["name"]})
            return redirect("tickets:service_levels", slug=slug)
    return render(
        request,
        "tickets/policy_edit.html",
        {"policy": policy, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_POST
@member_required(ACTION)
def policy_delete(request, slug, pk):
    policy = get_object_or_404(SlaPolicy.objects.for_tenant(request.tenant), pk=pk)
    delete_sla_policy(policy=policy, by=request.user)
    messages.success(request, _("Policy “%(name)s” deleted.") % {"name": policy.name})
    return redirect("tickets:service_levels", slug=slug)
