"""Absences: a person's own "I'm away" page, and the same page for whoever leads them.

A person sets their own absences (they work tickets); someone else's need
"manage_absences". Setting one that has begun hands its tickets over at once (the beat job
does it for those that begin later, and hands them back when they end)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import ensure
from accounts.forms import AbsenceForm, add_errors
from accounts.models import Absence, Membership
from accounts.services import cancel_absence, set_absence, today_in
from accounts.views_access import member_required
from tickets.services import cover_absences, cover_for


def absence_action(me: Membership, member: Membership) -> str:
    """What setting this member's absences asks of decide(): one's own come with working
    tickets; another's are "manage_absences"."""
    return "work_tickets" if member.pk == me.pk else "manage_absences"


def _member_or_404(request, user_id) -> Membership:
    return get_object_or_404(
        Membership.objects.for_tenant(request.tenant).select_related("user", "role", "tenant"),
        user_id=user_id,
    )


def _page(request, member: Membership):
    ensure(request.membership, absence_action(request.membership, member))
    form = AbsenceForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            absence = set_absence(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            add_errors(form, refusal)
        else:
            if absence.starts <= today_in(request.tenant):
                cover_absences(tenant=request.tenant)
            messages.success(request, _("The absence is saved. The change is in the audit log."))
            return redirect(request.path)
    today = today_in(request.tenant)
    absences = (
        Absence.objects.for_tenant(request.tenant)
        .filter(member=member)
        .not_over(today)
        .select_related("substitute__user")
    )
    return render(
        request,
        "accounts/absences.html",
        {
            "member": member,
            "own": member.pk == request.membership.pk,
            "form": form,
            "absences": absences,
            "today": today,
            "cover": cover_for(member, today),
        },
    )


@member_required("work_tickets")
def my_absences(request, slug):
    return _page(request, request.membership)


@member_required("view_people")
def person_absences(request, slug, user_id):
    return _page(request, _member_or_404(request, user_id))


@require_POST
@member_required("view_people")
def absence_cancel(request, slug, user_id, absence_id):
    member = _member_or_404(request, user_id)
    ensure(request.membership, absence_action(request.membership, member))
    absence = get_object_or_404(
        Absence.objects.for_tenant(request.tenant).select_related("member__user", "member__tenant"),
        member=member,
        pk=absence_id,
    )
    try:
        cancel_absence(absence=absence, by=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _("The absence is withdrawn."))
    if member.pk == request.membership.pk:
        return redirect("accounts:my_absences", slug=slug)
    return redirect("accounts:person_absences", slug=slug, user_id=user_id)
