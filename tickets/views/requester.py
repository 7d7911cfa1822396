"""The requester's side of a ticket's page: the thread told apart by side, marking the request
solved, and adding a colleague of their organization."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.access import can
from accounts.models import Membership

from ..models import Comment, Ticket, TicketColleague
from ..portal_forms import ColleagueForm
from ..services import (
    ColleagueRefused,
    InvalidTransition,
    TicketClosed,
    add_colleague,
    colleagues_to_add,
    solve_own_request,
)


def thread_of(member: Membership, ticket: Ticket):
    """The public conversation, each reply with ``by_helpdesk``: whether its author answers
    for the helpdesk (a staff member who is not the requester). It only describes the side a
    reply is drawn on; who may read what is Comment.objects.visible_to's."""
    helpdesk = (
        Membership.objects.for_tenant(ticket.tenant)
        .staff()
        .filter(user_id=OuterRef("author_id"))
        .exclude(user_id=ticket.requester_id)
    )
    return (
        Comment.objects.visible_to(member)
        .filter(ticket=ticket)
        .annotate(by_helpdesk=Exists(helpdesk))
        .select_related("author")
        .prefetch_related("attachments")
    )


def requester_controls(member: Membership, ticket: Ticket, colleague_form=None) -> dict:
    """What the page offers the requester: "Mark as solved", the colleagues on the request and
    the form to add one (none to a requester of no organization)."""
    open_for_more = ticket.status != Ticket.Status.CLOSED
    may_add = (
        open_for_more and bool(member.organization_id) and can(member, "add_colleague", ticket)
    )
    if may_add and colleague_form is None:
        choices = colleagues_to_add(ticket=ticket, member=member)
        colleague_form = ColleagueForm(choices=choices) if choices.exists() else None
    return {
        "may_solve": ticket.status in Ticket.UNSOLVED and can(member, "solve_own_request", ticket),
        "colleagues": TicketColleague.objects.of_ticket(ticket).select_related("user"),
        "colleague_form": colleague_form if may_add else None,
    }


def _back(ticket: Ticket):
    return redirect("tickets:ticket", slug=ticket.tenant.slug, number=ticket.number)


def _solve(request, ticket: Ticket):
    try:
        solve_own_request(ticket=ticket, member=request.membership)
    except InvalidTransition as refusal:
        messages.error(request, refusal.reason)
    else:
        messages.success(request, _("Your request is marked as solved. A reply reopens it."))
    return _back(ticket)


def _add_colleague(request, ticket: Ticket):
    member = request.membership
    form = ColleagueForm(request.POST, choices=colleagues_to_add(ticket=ticket, member=member))
    if not form.is_valid():
        return {"colleague_form": form}
    colleague = form.cleaned_data["colleague"]
    try:
        add_colleague(ticket=ticket, member=member, colleague=colleague)
    except (ColleagueRefused, TicketClosed) as refusal:
        form.add_error(None, refusal.message)
        return {"colleague_form": form}
    messages.success(
        request,
        _("%(name)s now sees this request.")
        % {"name": colleague.user.name or colleague.user.email},
    )
    return _back(ticket)


REQUESTER_MOVES = {"solve": _solve, "add_colleague": _add_colleague}
