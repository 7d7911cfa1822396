"""Onboarding checklists: the guides each role reads first, and who is late."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.views_access import member_required

from .. import services
from ..forms import ChecklistForm
from ..models import Article, OnboardingChecklist, onboarding_overview


@member_required("manage_onboarding")
def onboarding(request, slug):
    tenant = request.tenant
    checklists = {
        c.role_id: c for c in OnboardingChecklist.objects.for_tenant(tenant).with_articles()
    }
    # One list of guides shared by every role's form: the page's queries do not grow with roles.
    guides = list(Article.objects.for_tenant(tenant).filter(is_published=True).order_by("title"))
    roles = []
    for role in Role.objects.for_tenant(tenant):
        checklist = checklists.get(role.pk)
        initial = (
            {
                "due_within_days": checklist.due_within_days,
                "articles": [a.pk for a in checklist.articles.all()],
            }
            if checklist
            else None
        )
        form = ChecklistForm(initial=initial, tenant=tenant, guides=guides, prefix=f"role{role.pk}")
        roles.append((role, form))
    statuses = onboarding_overview(tenant, now=timezone.now(), checklists=checklists)
    return render(
        request,
        "knowledge/onboarding.html",
        {
            "roles": roles,
            "statuses": statuses,
            "n_late": sum(1 for s in statuses if s.is_late),
        },
    )


@require_POST
@member_required("manage_onboarding")
def onboarding_set(request, slug, role_id):
    role = get_object_or_404(Role.objects.for_tenant(request.tenant), pk=role_id)
    form = ChecklistForm(request.POST, tenant=request.tenant, prefix=f"role{role.pk}")
    if form.is_valid():
        services.set_onboarding_checklist(
            tenant=request.tenant,
            role=role,
            articles=list(form.cleaned_data["articles"]),
            due_within_days=form.cleaned_data["due_within_days"],
            by=request.user,
        )
        messages.success(request, _("Checklist for %(role)s saved.") % {"role": role})
    else:
        messages.error(request, _("The checklist was not saved: check the number of days."))
    return redirect("knowledge:onboarding", slug=slug)
