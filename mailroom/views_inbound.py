"""Pages of the mail the helpdesk received (admins): by outcome, one message, and for a
message that could not be handled, Retry and Discard (POST only)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.views_access import member_required
from tickets.workspace import cheap_page

from .delivery import TemporaryFailure, discard_message, retry_message
from .models import InboundMessage

PAGE_SIZE = 25
Outcome = InboundMessage.Outcome


def _received(request):
    return InboundMessage.objects.for_tenant(request.tenant).select_related("mailbox", "ticket")


@member_required("manage_mailboxes")
def inbound_list(request, slug):
    outcome = request.GET.get("outcome", Outcome.FAILED)
    if outcome not in Outcome.values:
        raise Http404(_("There is no such outcome."))
    rows = _received(request).filter(outcome=outcome).order_by("-received_at", "-pk")
    page = cheap_page(rows, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "mailroom/inbound_list.html",
        {
            "page": page,
            "outcome": outcome,
            "outcomes": Outcome.choices,
            "query": f"outcome={outcome}",
        },
    )


def _message_or_404(request, pk) -> InboundMessage:
    return get_object_or_404(_received(request), pk=pk)


@member_required("manage_mailboxes")
def inbound_detail(request, slug, pk):
    return render(
        request, "mailroom/inbound_detail.html", {"inbound": _message_or_404(request, pk)}
    )


def _failed_or_back(request, slug, pk):
    inbound = _message_or_404(request, pk)
    if inbound.outcome == Outcome.FAILED:
        return inbound, None
    messages.error(
        request, _("Only a message that could not be handled can be retried or discarded.")
    )
    return None, redirect("mailroom:inbound_detail", slug=slug, pk=pk)


@require_POST
@member_required("manage_mailboxes")
def inbound_retry(request, slug, pk):
    inbound, back = _failed_or_back(request, slug, pk)
    if back is not None:
        return back
    try:
        receipt = retry_message(inbound=inbound, by=request.user)
    except TemporaryFailure:
        messages.error(request, _("The message could not be handled now; try again later."))
    else:
        if receipt.outcome == Outcome.FAILED:
            messages.error(request, _("It failed again: %(reason)s") % {"reason": receipt.reason})
        else:
            label = Outcome(receipt.outcome).label
            messages.success(request, _("Tried again: %(outcome)s.") % {"outcome": label})
    return redirect("mailroom:inbound_detail", slug=slug, pk=pk)


@require_POST
@member_required("manage_mailboxes")
def inbound_discard(request, slug, pk):
    inbound, back = _failed_or_back(request, slug, pk)
    if back is not None:
        return back
    discard_message(inbound=inbound, by=request.user)
    messages.success(request, _("The message was discarded."))
    return redirect("mailroom:inbound_list", slug=slug)
