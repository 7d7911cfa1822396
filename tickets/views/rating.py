"""Rating a solved request: from its page, or from the link of the "solved" e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.views_access import member_required, public_door

from .. import rating_links
from ..forms import RatingForm
from ..models import Ticket
from ..services import InvalidTransition, rate_ticket
from .base import _find_ticket


def _rate(request, ticket: Ticket, form: RatingForm) -> bool:
    try:
        rate_ticket(
            ticket=ticket,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            by=request.user,
        )
    except InvalidTransition as refusal:
        form.add_error(None, refusal.reason)
        return False
    messages.success(request, _("Thank you for your rating."))
    return True


@member_required("view_ticket")
def rate(request, slug, number):
    """The page a solved-request e-mail links to: confirm the score (mail scanners only GET)."""
    ticket = _find_ticket(request, number)
    if ticket.requester_id != request.user.pk:
        raise Http404
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid() and _rate(request, ticket, form):
            return redirect("tickets:ticket", slug=slug, number=number)
    else:
        score = request.GET.get("score")
        form = RatingForm(initial={"score": int(score) if score in list("12345") else None})
    return render(request, "tickets/rate.html", {"ticket": ticket, "form": form})


@public_door
def rate_by_link(request, slug, number, token):
    """A "solved" e-mail's rating link, without signing in: the GET shows the score to confirm
    (mail scanners only GET), the POST records it as the requester's."""
    try:
        ticket = rating_links.ticket_for(token, tenant=request.tenant, number=number)
    except rating_links.LinkRefused as refusal:
        if refusal.status == 404:
            raise Http404 from refusal  # a forged link: the same answer as an unknown slug
        # Said without the helpdesk's name: whoever holds a forged link learns nothing of it.
        return render(
            request,
            "tickets/rate_link_result.html",
            {"reason": refusal.reason, "tenant": None, "membership": None},
            status=refusal.status,
        )
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                rate_ticket(
                    ticket=ticket,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                    by=ticket.requester,
                )
            except InvalidTransition as refusal:
                form.add_error(None, refusal.reason)
            else:
                return render(request, "tickets/rate_link_result.html", {"ticket": ticket})
    else:
        score = request.GET.get("score")
        form = RatingForm(initial={"score": int(score) if score in list("12345") else None})
    return render(request, "tickets/rate.html", {"ticket": ticket, "form": form})
