"""Page-side doors: a view states the action it needs; refusals render the reasons."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render

from .access import Decision, decide


def render_refusal(
    request, decision: Decision, status: int = 403, action: str | None = None, obj=None
):
    """The refusal page: the reasons, and where they can be lifted, an "Ask for access" button
    (it needs to know what was refused: the action and the ticket, if any)."""
    return render(
        request,
        "accounts/refused.html",
        {
            "decision": decision,
            "refused_action": action,
            "refused_ticket_number": getattr(obj, "number", None),
        },
        status=status,
    )


def public_door(view):
    """A page of a helpdesk that anyone may open (how to join, an invitation or sign-up link).
    Every other page answers an outsider as an unknown slug does (TenantMiddleware)."""
    view.public_door = "anyone"
    return view


def signed_in_door(view):
    """A door for signed-in outsiders only (the front door leads them to the join page);
    anonymous visitors are sent to sign in, as everywhere else."""
    view.public_door = "signed_in"
    return view


def member_required(action: str | None = None):
    """A tenant page for active members, optionally only those allowed ``action``.

    Non-members find nothing (404); pending and deactivated members see why they are refused.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            member = request.membership
            if member is None:
                # Outsiders learn nothing of a helpdesk's pages (its join page is its door).
                raise Http404
            if action is not None:
                decision = decide(member, action)
            elif member is None or not member.is_active:
                # Pending and deactivated members get the same words as any other refusal.
                decision = decide(member, "view_ticket")
            else:
                decision = Decision(True)
            if not decision.allowed:
                return render_refusal(request, decision, action=action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
