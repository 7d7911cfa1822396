"""A ticket's page: the agent's view (with its version check), the customer's view, presence
and files."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import can, ensure
from accounts.models import Membership
from accounts.staff import active_staff, staff_names
from accounts.views_access import member_required
from core.params import object_id

from .. import presence
from ..access import ensure_may_write
from ..downloads import attachment_response
from ..forms import RatingForm, ReplyForm, TicketUpdateForm
from ..models import Attachment, Macro, Ticket, TicketEvent
from ..services import (
    FIELD_ACTIONS,
    InvalidTransition,
    MacroRefused,
    TicketClosed,
    answer_ticket,
    apply_macro,
    assign_ticket,
    attach_file,
    macro_changes,
    reopen_ticket,
    update_ticket,
)
from .base import _find_ticket
from .rating import _rate
from .requester import REQUESTER_MOVES, requester_controls, thread_of

# ----------------------------------------------------------------------------- ticket page


@member_required("view_ticket")
def ticket_page(request, slug, number):
    ticket = _find_ticket(request, number)
    if can(request.membership, "use_workspace"):
        return _staff_ticket(request, ticket)
    return _customer_ticket(request, ticket)


def _version(ticket: Ticket) -> str:
    return ticket.updated_at.isoformat()


def _changes_since(ticket: Ticket, version):
    return (
        TicketEvent.objects.for_tenant(ticket.tenant)
        .filter(ticket=ticket, created_at__gt=version)
        .select_related("actor", "comment")
    )


def _staff_ticket(request, ticket: Ticket):
    """The agent's view. Every form carries the ticket's version (updated_at when drawn).

    If the ticket changed since, nothing is applied: the page answers 409, lists the events
    that happened meanwhile, and keeps the typed reply in its form. Replies are held too
    (not saved) because what changed is often a reply that makes the agent's answer wrong or
    redundant; the agent reads it and sends again with one click.
    """
    member = request.membership
    rights = {
        "may_reply": can(member, "reply_public", ticket),
        "may_note": can(member, "add_internal_note", ticket),
        "may_assign": can(member, "assign_ticket", ticket),
        "may_status": can(member, "change_ticket_status", ticket),
    }
    reply_form = update_form = None
    conflict = None
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "reply":
        reply_form = ReplyForm(
            request.POST, request.FILES, may_reply=rights["may_reply"], may_note=rights["may_note"]
        )
        if reply_form.is_valid():
            conflict = _conflict(ticket, reply_form.cleaned_data["version"])
            if conflict is None:
                response = _staff_reply(request, ticket, reply_form)
                if response is not None:
                    return response
    elif action == "update":
        update_form = TicketUpdateForm(request.POST, tenant=request.tenant)
        if update_form.is_valid():
            conflict = _conflict(ticket, update_form.cleaned_data["version"])
            if conflict is None:
                response = _staff_update(request, ticket, update_form)
                if response is not None:
                    return response
    elif action == "macro":
        return _apply_macro(request, ticket)
    elif action == "take":
        ensure(member, "assign_ticket", ticket)
        try:
            assign_ticket(ticket=ticket, assignee=request.user, by=request.user)
            messages.success(request, _("You took this ticket."))
        except TicketClosed as refusal:
            messages.error(request, refusal.message)
        return redirect("tickets:ticket", slug=ticket.tenant.slug, number=ticket.number)
    if conflict is not None:
        ticket.refresh_from_db()
    version = _version(ticket)
    if reply_form is None:
        reply_form = ReplyForm(may_reply=rights["may_reply"], may_note=rights["may_note"])
    prefetch_related_objects([ticket], "tags")  # for the form and the badges, read once
    if update_form is None or conflict is not None:
        # After a conflict the properties show what they are now; a typed reply is kept.
        update_form = TicketUpdateForm(
            tenant=request.tenant,
            staff=active_staff(request.tenant),
            initial={
                "status": ticket.status,
                "priority": ticket.priority,
                "queue": ticket.queue_id,
                "assignee": ticket.assignee_id,
                "tags": ", ".join(t.name for t in ticket.tags.all()),
            },
        )
    _set_version(reply_form, version)
    _set_version(update_form, version)
    events = (
        TicketEvent.objects.for_tenant(ticket.tenant)
        .filter(ticket=ticket)
        .select_related("actor", "comment")
    )
    # Every file of the ticket in one read, by the comment it came with (None: the request
    # itself), so that the page reads the same statements whatever its thread holds.
    files = {}
    for attachment in (
        Attachment.objects.for_tenant(ticket.tenant).filter(ticket=ticket).order_by("pk")
    ):
        files.setdefault(attachment.comment_id, []).append(attachment)
    history = (
        Ticket.objects.visible_to(member)
        .filter(requester_id=ticket.requester_id)
        .exclude(pk=ticket.pk)
        .select_related("rating")
        .order_by("-created_at")[:8]
    )
    context = {
        "ticket": ticket,
        "version": version,
        "macros": list(Macro.objects.visible_to(member))
        if rights["may_reply"] or rights["may_note"]
        else [],
        "events": events,
        "attachments": files.get(None, []),
        "files": files,
        "reply_form": reply_form,
        "update_form": update_form,
        "conflict": conflict,
        "history": history,
        "requester_membership": Membership.objects.for_tenant(ticket.tenant)
        .select_related("organization")
        .filter(user_id=ticket.requester_id)
        .first(),
        "may_view_people": can(member, "view_people"),
        # The targets are internal: for those who work tickets (decide()), never customers.
        "service_levels": ticket.sla_targets() if can(member, "work_tickets") else [],
        # The timeline keeps assignees by e-mail (stable); people read their names.
        "names": staff_names(request.tenant),
        **rights,
    }
    status = 409 if conflict is not None else (400 if request.method == "POST" else 200)
    return render(request, "tickets/ticket_staff.html", context, status=status)


def _set_version(form, version: str) -> None:
    if form.is_bound:
        data = form.data.copy()
        data["version"] = version
        form.data = data
    else:
        form.initial["version"] = version


def _conflict(ticket: Ticket, version):
    """The events since the form was drawn, or None when nothing changed meanwhile."""
    if version is None:
        return None
    ticket.refresh_from_db(fields=["updated_at"])
    if ticket.updated_at == version:
        return None
    return list(_changes_since(ticket, version))


def _staff_reply(request, ticket: Ticket, form: ReplyForm):
    """Send the reply or note with the picked macro's changes and the button's status, in one
    step; None (and a form error) when the ticket refuses it."""
    data, member = form.cleaned_data, request.membership
    is_public = data["visibility"] == "public"
    ensure_may_write(member, ticket, is_public=is_public)
    changes = {}
    try:
        if data.get("macro"):
            macro = get_object_or_404(Macro.objects.visible_to(member), pk=data["macro"])
            changes = macro_changes(macro, ticket=ticket, member=member)
        if data.get("set_status"):
            changes["status"] = data["set_status"]
        _add_to_conversation(request, ticket, form, is_public=is_public, changes=changes)
    except (TicketClosed, MacroRefused, InvalidTransition) as refusal:
        form.add_error(None, _refusal_text(refusal))
        return None
    if "status" in changes:
        label = Ticket.Status(changes["status"]).label
        messages.success(
            request,
            _("Reply sent; the ticket is %(status)s.") % {"status": label}
            if is_public
            else _("Internal note added; the ticket is %(status)s.") % {"status": label},
        )
    else:
        messages.success(request, _("Reply sent.") if is_public else _("Internal note added."))
    return redirect("tickets:ticket", slug=ticket.tenant.slug, number=ticket.number)


def _refusal_text(refusal) -> str:
    if isinstance(refusal, InvalidTransition):
        return refusal.reason or _("A ticket cannot move from %(old)s to %(new)s.") % {
            "old": Ticket.Status(refusal.old).label,
            "new": Ticket.Status(refusal.new).label,
        }
    if isinstance(refusal, MacroRefused):
        return " ".join(refusal.errors.values())
    return refusal.message


def _apply_macro(request, ticket: Ticket):
    """The picker's one-click "Apply": the macro's filled text and its changes, as it is."""
    member = request.membership
    macro = get_object_or_404(
        Macro.objects.visible_to(member), pk=object_id(request.POST.get("macro")) or 0
    )
    ensure_may_write(member, ticket, is_public=macro.is_public)
    if request.POST.get("version") != _version(ticket):
        # As for the other forms: what changed meanwhile may make the macro wrong.
        messages.error(
            request,
            _(
                "This ticket changed since you opened it: read what changed, "
                "then apply the macro again."
            ),
        )
        return redirect("tickets:ticket", slug=ticket.tenant.slug, number=ticket.number)
    try:
        apply_macro(macro=macro, ticket=ticket, member=member)
    except (TicketClosed, MacroRefused, InvalidTransition) as refusal:
        messages.error(request, _refusal_text(refusal))
    else:
        messages.success(request, _("Macro “%(name)s” applied.") % {"name": macro.name})
    return redirect("tickets:ticket", slug=ticket.tenant.slug, number=ticket.number)


def _staff_update(request, ticket: Ticket, form: TicketUpdateForm):
    """Hand the changed properties to update_ticket; all or nothing. None means a form error."""
    data = form.cleaned_data
    try:
        update_ticket(
            ticket=ticket,
            member=request.membership,
            by=request.user,
            changes={field: data[field] for field in FIELD_ACTIONS},
        )
    except InvalidTransition as exc:
        form.add_error(
            "status",
            _("A ticket cannot move from %(old)s to %(new)s.")
            % {"old": Ticket.Status(exc.old).label, "new": Ticket.Status(exc.new).label},
        )
        return None
    except TicketClosed as refusal:
        form.add_error(None, refusal.message)
        return None
    messages.success(request, _("Ticket updated."))
    return redirect("tickets:ticket", slug=ticket.tenant.slug, number=ticket.number)


def _add_to_conversation(
    request, ticket: Ticket, form: ReplyForm, *, is_public: bool = True, changes=None
):
    """The comment, its files and the changes made with it, all or nothing (a closed ticket
    raises TicketClosed)."""
    with transaction.atomic():
        comment = answer_ticket(
            ticket=ticket,
            member=request.membership,
            body=form.cleaned_data["body"],
            is_public=is_public,
            changes=changes,
        )
        for upload in form.cleaned_data["attachments"]:
            attach_file(ticket=ticket, upload=upload, by=request.user, comment=comment)
    return comment


def _customer_ticket(request, ticket: Ticket):
    member = request.membership
    is_requester = ticket.requester_id == request.user.pk
    may_write = can(member, "submit_ticket", ticket)
    reply_form = ReplyForm(staff=False)
    rating_form = RatingForm(
        initial={"score": getattr(getattr(ticket, "rating", None), "score", None)}
    )
    status, kept = 200, {}
    if request.method == "POST":
        status = 400
        action = request.POST.get("action")
        if action == "reply":
            ensure_may_write(member, ticket)
            reply_form = ReplyForm(request.POST, request.FILES, staff=False)
            if reply_form.is_valid():
                # A customer's reply is appended to the conversation: it cannot overwrite
                # anything, so it needs no version check. On a pending or solved request it
                # hands the ticket back to the helpdesk (the service reopens it).
                try:
                    _add_to_conversation(request, ticket, reply_form)
                except TicketClosed as refusal:
                    reply_form.add_error(None, refusal.message)
                    ticket.refresh_from_db()
                else:
                    messages.success(request, _("Your reply was added."))
                    return redirect("tickets:ticket", slug=ticket.tenant.slug, number=ticket.number)
        elif action == "reopen":
            ensure_may_write(member, ticket)
            try:
                reopen_ticket(ticket=ticket, by=request.user)
                messages.success(request, _("Your request is open again."))
            except InvalidTransition as refusal:
                messages.error(request, refusal.reason)
            return redirect("tickets:ticket", slug=ticket.tenant.slug, number=ticket.number)
        elif action in REQUESTER_MOVES:
            # A redirect once done, else the bound form to show again with its error.
            outcome = REQUESTER_MOVES[action](request, ticket)
            if not isinstance(outcome, dict):
                return outcome
            kept = outcome
        elif action == "rate" and is_requester:
            rating_form = RatingForm(request.POST)
            if rating_form.is_valid() and _rate(request, ticket, rating_form):
                return redirect("tickets:ticket", slug=ticket.tenant.slug, number=ticket.number)
    context = {
        "comments": thread_of(member, ticket),
        **requester_controls(member, ticket, **kept),
        "ticket": ticket,
        "attachments": Attachment.objects.for_tenant(ticket.tenant).filter(
            ticket=ticket, comment__isnull=True
        ),
        "reply_form": reply_form,
        "rating_form": rating_form,
        "is_requester": is_requester,
        "may_write": may_write,
        "rating": getattr(ticket, "rating", None),
    }
    return render(request, "tickets/ticket_customer.html", context, status=status)


@member_required("view_ticket")
def ticket_presence(request, slug, number):
    """Heartbeat (POST) and who else is on this ticket now (JSON); staff only."""
    if not can(request.membership, "use_workspace"):
        raise Http404
    ticket = _find_ticket(request, number)
    if request.method == "POST":
        others = presence.heartbeat(
            ticket_id=ticket.pk, user=request.user, state=request.POST.get("state", "viewing")
        )
    else:
        others = presence.others(ticket_id=ticket.pk, user=request.user)
    latest = ticket.updated_at.isoformat()
    return JsonResponse({"others": others, "version": latest})


@member_required("view_ticket")
def attachment(request, slug, pk):
    """A file, only to people who may see its ticket (a note's file: staff only)."""
    found = get_object_or_404(Attachment.objects.visible_to(request.membership), pk=pk)
    return attachment_response(found)
