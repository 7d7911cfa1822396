"""Ideas: suggesting, voting and answering."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can
from accounts.views_access import member_required

from .. import services
from ..forms import AnswerForm, IdeaForm
from ..models import Idea
from .base import _back


@member_required()
def ideas(request, slug):
    member = request.membership
    form = IdeaForm(request.POST or None, for_staff=can(member, "view_staff_content"))
    if request.method == "POST" and form.is_valid():
        services.suggest_idea(membership=member, **form.cleaned_data)
        messages.success(request, _("Thank you for your idea!"))
        return redirect("knowledge:ideas", slug=slug)
    status = request.GET.get("status", "")
    listed = Idea.objects.visible_to(member).with_votes(member)
    if status in Idea.Status.values:
        listed = listed.filter(status=status)
    page = Paginator(listed.order_by("-n_votes", "-created_at"), 30).get_page(
        request.GET.get("page")
    )
    may_answer = can(member, "answer_ideas")
    rows = [
        (
            idea,
            AnswerForm(
                initial={"status": idea.status, "answer": idea.answer},
                prefix_id=idea.pk,
            )
            if may_answer
            else None,
        )
        for idea in page
    ]
    return render(
        request,
        "knowledge/ideas.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": Idea.Status.choices,
        },
    )


@require_POST
@member_required()
def idea_vote(request, slug, pk):
    idea = get_object_or_404(Idea.objects.visible_to(request.membership), pk=pk)
    services.toggle_vote(idea=idea, membership=request.membership)
    return _back(request, reverse("knowledge:ideas", args=[slug]))


@require_POST
@member_required("answer_ideas")
def idea_answer(request, slug, pk):
    idea = get_object_or_404(Idea.objects.visible_to(request.membership), pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        services.answer_idea(idea=idea, by=request.membership, **form.cleaned_data)
        messages.success(request, _("Answer saved."))
    return redirect("knowledge:ideas", slug=slug)
