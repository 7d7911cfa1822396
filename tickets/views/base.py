"""What the ticket pages share: finding the ticket a member may see."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import Refused, can, decide

from ..models import Ticket


def _find_ticket(request, number) -> Ticket:
    """The ticket by its number, if this member may see it (else 404, or a reasoned 403)."""
    ticket = get_object_or_404(
        Ticket.objects.for_tenant(request.tenant).with_list_columns(), number=number
    )
    ticket.tenant = request.tenant  # already read by the middleware
    decision = decide(request.membership, "view_ticket", ticket)
    if not decision.allowed:
        if can(request.membership, "use_workspace"):
            raise Refused(decision)  # an agent may ask for the queue: say why
        raise Http404  # a customer learns nothing of other people's requests
    return ticket
