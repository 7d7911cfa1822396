"""Kudos: an agent's ratings and thank-you notes, and thanking an agent."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can
from accounts.models import Membership
from accounts.views_access import member_required

from .. import services
from ..forms import ThankForm
from ..models import ThankYouNote, kudos_ratings
from ..services import KnowledgeError


def _kudos_page(request, agent: Membership):
    tenant = request.tenant
    ratings = (
        kudos_ratings(tenant)
        .filter(agent_id=agent.user_id)
        .select_related("ticket")
        .order_by("-updated_at")[:50]
    )
    notes = ThankYouNote.objects.for_tenant(tenant).for_agent(agent.user)[:50]
    may_thank = can(request.membership, "thank_agents")
    return render(
        request,
        "knowledge/kudos.html",
        {
            "agent": agent,
            "is_me": agent.pk == request.membership.pk,
            "ratings": ratings,
            "notes": notes,
            "thank_form": ThankForm(
                tenant=tenant, exclude_user=request.user, initial={"agent": agent.pk}
            )
            if may_thank
            else None,
            "team": Membership.objects.for_tenant(tenant)
            .active()
            .staff()
            .select_related("user")
            .order_by("user__name")
            if may_thank
            else [],
        },
    )


@member_required("view_kudos")
def kudos(request, slug):
    return _kudos_page(request, request.membership)


@member_required("thank_agents")
def agent_kudos(request, slug, member_id):
    agent = get_object_or_404(
        Membership.objects.for_tenant(request.tenant).active().staff().select_related("user"),
        pk=member_id,
    )
    return _kudos_page(request, agent)


@require_POST
@member_required("thank_agents")
def thank(request, slug):
    form = ThankForm(request.POST, tenant=request.tenant, exclude_user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose an agent and write a note."))
        return redirect("knowledge:kudos", slug=slug)
    agent = form.cleaned_data["agent"]
    try:
        services.thank_agent(
            by=request.membership, agent=agent, message=form.cleaned_data["message"]
        )
    except KnowledgeError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your note to %(name)s was sent.") % {"name": agent.user.get_full_name()},
        )
    return redirect("knowledge:agent_kudos", slug=slug, member_id=agent.pk)
