"""Pages of tickets, under /t/<slug>/: the portal, the workspace, ticket pages, history."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Avg, Count, Prefetch, Q, prefetch_related_objects
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import Refused, can, decide, ensure
from accounts.models import Membership, Organization, User
from accounts.services import NotPermitted
from accounts.staff import active_staff, staff_names
from accounts.views_access import member_required, public_door

from . import presence, rating_links, rows
from .access import ensure_may_write
from .downloads import attachment_response
from .forms import (
    BulkForm,
    NotificationTemplateForm,
    QueueForm,
    RatingForm,
    ReplyForm,
    SaveFilterForm,
    SubmitForm,
    TicketUpdateForm,
    WorkspaceFilterForm,
)
from .models import (
    Attachment,
    Comment,
    NotificationTemplate,
    Queue,
    SavedFilter,
    Ticket,
    TicketEvent,
)
from .notifications import PLACEHOLDERS, default_text
from .services import (
    InvalidTransition,
    TicketClosed,
    add_comment,
    assign_ticket,
    attach_file,
    change_priority,
    change_status,
    create_queue,
    delete_filter,
    move_to_queue,
    open_ticket,
    rate_ticket,
    reopen_ticket,
    reset_notification_template,
    save_filter,
    save_notification_template,
    set_tags,
    update_queue,
)
from .workspace import cheap_page, workspace_tickets

# ---------------------------------------------------------------------------------- portal


@member_required("submit_ticket")
def portal(request, slug):
    """The customer's requests (and their organization's where the helpdesk shares them)."""
    member = request.membership
    tickets = Ticket.objects.visible_to(member)
    if member.is_staff:
        tickets = tickets.filter(requester_id=member.user_id)  # staff see their own here
    page = cheap_page(
        tickets.order_by("-created_at", "-pk").values(*rows.PORTAL_COLUMNS),
        request.GET.get("page"),
        request.GET.get("page_size"),
    )
    return render(request, "tickets/portal.html", {"page": page})


@member_required("submit_ticket")
def submit(request, slug):
    form = SubmitForm(request.POST or None, request.FILES or None, tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            ticket = open_ticket(
                tenant=request.tenant,
                requester=request.user,
                subject=data["subject"],
                description=data["description"],
                queue=data["queue"],
                membership=request.membership,
            )
            for upload in data["attachments"]:
                attach_file(ticket=ticket, upload=upload, by=request.user)
        messages.success(
            request, _("Thank you. Your request #%(number)s is in.") % {"number": ticket.number}
        )
        return redirect("tickets:ticket", slug=slug, number=ticket.number)
    return render(request, "tickets/submit.html", {"form": form})


# ----------------------------------------------------------------------------- ticket page


def _find_ticket(request, number) -> Ticket:
    """The ticket by its number, if this member may see it (else 404, or a reasoned 403)."""
    ticket = get_object_or_404(
        Ticket.objects.for_tenant(request.tenant).with_list_columns(), number=number
    )
    ticket.tenant = request.tenant  # already read by the middleware
    decision = decide(request.membership, "view_ticket", ticket)
    if not decision.allowed:
        if request.membership.is_staff:
            raise Refused(decision)  # an agent may ask for the queue: say why
        raise Http404  # a customer learns nothing of other people's requests
    return ticket


@member_required("view_ticket")
def ticket_page(request, slug, number):
    ticket = _find_ticket(request, number)
    if request.membership.is_staff:
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
    """Send the reply or note; None (and a form error) when the ticket refuses it."""
    data = form.cleaned_data
    is_public = data["visibility"] == "public"
    ensure_may_write(request.membership, ticket, is_public=is_public)
    try:
        _add_to_conversation(request, ticket, form, is_public=is_public)
    except TicketClosed as refusal:
        form.add_error(None, refusal.message)
        return None
    messages.success(request, _("Reply sent.") if is_public else _("Internal note added."))
    return redirect("tickets:ticket", slug=ticket.tenant.slug, number=ticket.number)


def _staff_update(request, ticket: Ticket, form: TicketUpdateForm):
    """Hand each changed property to its service; all or nothing. None means a form error."""
    member, data, by = request.membership, form.cleaned_data, request.user
    current_tags = sorted(t.name for t in ticket.tags.all())
    changes = [
        (
            "priority",
            data["priority"] != ticket.priority,
            "change_ticket_status",
            lambda: change_priority(ticket=ticket, to=data["priority"], by=by),
        ),
        (
            "queue",
            data["queue"] != ticket.queue,
            "assign_ticket",
            lambda: move_to_queue(ticket=ticket, queue=data["queue"], by=by),
        ),
        (
            "assignee",
            data["assignee"] != ticket.assignee,
            "assign_ticket",
            lambda: assign_ticket(ticket=ticket, assignee=data["assignee"], by=by),
        ),
        (
            "tags",
            data["tags"] != current_tags,
            "change_ticket_status",
            lambda: set_tags(ticket=ticket, names=data["tags"], by=by),
        ),
        (
            "status",
            data["status"] != ticket.status,
            "change_ticket_status",
            lambda: change_status(ticket=ticket, to=data["status"], by=by),
        ),
    ]
    try:
        with transaction.atomic():
            for _field, changed, action, apply in changes:
                if changed:
                    ensure(member, action, ticket)
                    apply()
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


def _add_to_conversation(request, ticket: Ticket, form: ReplyForm, *, is_public: bool = True):
    """The comment and its files, all or nothing (a closed ticket raises TicketClosed)."""
    with transaction.atomic():
        comment = add_comment(
            ticket=ticket, author=request.user, body=form.cleaned_data["body"], is_public=is_public
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
    status = 200
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
        elif action == "rate" and is_requester:
            rating_form = RatingForm(request.POST)
            if rating_form.is_valid() and _rate(request, ticket, rating_form):
                return redirect("tickets:ticket", slug=ticket.tenant.slug, number=ticket.number)
    comments = (
        Comment.objects.for_tenant(ticket.tenant)
        .filter(ticket=ticket, is_public=True)
        .select_related("author")
        .prefetch_related("attachments")
    )
    context = {
        "ticket": ticket,
        "comments": comments,
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


@member_required("view_ticket")
def ticket_presence(request, slug, number):
    """Heartbeat (POST) and who else is on this ticket now (JSON); staff only."""
    if not request.membership.is_staff:
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


# ------------------------------------------------------------------------------- workspace


@member_required("view_ticket")
def workspace(request, slug):
    member = request.membership
    if not member.is_staff:
        return redirect("tickets:portal", slug=slug)
    staff = active_staff(request.tenant)  # read once for both forms' assignee lists
    form = WorkspaceFilterForm(request.GET or None, member=member, staff=staff)
    data = {}
    if form.is_bound:
        # The valid filters apply; a bad one is named on the page instead of dropping them all
        # (after is_valid, cleaned_data holds just the valid fields).
        form.is_valid()
        data = form.cleaned_data
    page = cheap_page(
        workspace_tickets(member, data).with_list_names().values(*rows.WORKSPACE_COLUMNS),
        request.GET.get("page"),
        request.GET.get("page_size"),
    )
    rows.with_tag_names(page.rows)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "view": data.get("view") or "queues",
        "query": query.urlencode(),
        "saved_filters": SavedFilter.objects.owned_by(member),
        "save_form": SaveFilterForm(initial={"query": query.urlencode()}),
        "bulk_form": BulkForm(tenant=request.tenant, staff=staff),
        "may_assign": can(member, "assign_ticket"),
        "may_status": can(member, "change_ticket_status"),
        "may_view_people": can(member, "view_people"),
    }
    return render(request, "tickets/workspace.html", context)


def _back(request, slug):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("tickets:workspace", slug=slug)


@require_POST
@member_required("view_ticket")
def bulk(request, slug):
    """One action on the selected rows; each ticket goes through its service and its check."""
    member = request.membership
    form = BulkForm(request.POST, tenant=request.tenant)
    if not member.is_staff:
        messages.error(request, _("Choose tickets and an action."))
        return _back(request, slug)
    if not form.is_valid():
        # Say what is missing: no rows ticked, or the action's own field left empty.
        for field, errors in form.errors.items():
            if field == "tickets":
                messages.error(request, _("Tick the tickets to change first."))
            else:
                messages.error(request, " ".join(errors))
        return _back(request, slug)
    data = form.cleaned_data
    action = {
        "assign": "assign_ticket",
        "status": "change_ticket_status",
        "tags": "change_ticket_status",
    }[data["bulk_action"]]
    assignee = None
    if data["bulk_action"] == "assign" and data["assignee"] not in ("none", "me"):
        assignee = get_object_or_404(
            User.objects.filter(
                pk__in=Membership.objects.for_tenant(request.tenant)
                .active()
                .staff()
                .values("user_id")
            ),
            pk=data["assignee"],
        )
    elif data["assignee"] == "me":
        assignee = request.user
    done, refused = 0, []
    tickets = Ticket.objects.visible_to(member).filter(pk__in=data["tickets"]).with_tags()
    for ticket in tickets.select_related("queue"):
        if not can(member, action, ticket):
            refused.append(f"#{ticket.number}")
            continue
        try:
            if data["bulk_action"] == "assign":
                assign_ticket(ticket=ticket, assignee=assignee, by=request.user)
            elif data["bulk_action"] == "status":
                change_status(ticket=ticket, to=data["status"], by=request.user)
            else:
                names = [t.name for t in ticket.tags.all()] + data["tags"].split(",")
                set_tags(ticket=ticket, names=names, by=request.user)
            done += 1
        except (InvalidTransition, TicketClosed):
            refused.append(f"#{ticket.number}")
    if done:
        messages.success(
            request,
            ngettext("%(n)s ticket changed.", "%(n)s tickets changed.", done) % {"n": done},
        )
    if refused:
        messages.warning(
            request,
            _("Not changed (not allowed or not a valid move): %(list)s")
            % {"list": ", ".join(refused)},
        )
    return _back(request, slug)


@require_POST
@member_required("view_ticket")
def save_workspace_filter(request, slug):
    form = SaveFilterForm(request.POST)
    if request.membership.is_staff and form.is_valid():
        saved = save_filter(
            tenant=request.tenant,
            owner=request.user,
            name=form.cleaned_data["name"],
            query=form.cleaned_data["query"],
        )
        messages.success(request, _("View “%(name)s” saved.") % {"name": saved.name})
        return redirect(reverse("tickets:workspace", args=[slug]) + "?" + saved.query)
    messages.error(request, _("Give the view a name."))
    return redirect("tickets:workspace", slug=slug)


@require_POST
@member_required("view_ticket")
def delete_workspace_filter(request, slug, pk):
    saved = get_object_or_404(SavedFilter.objects.owned_by(request.membership), pk=pk)
    delete_filter(saved=saved)
    messages.success(request, _("View “%(name)s” removed.") % {"name": saved.name})
    return redirect("tickets:workspace", slug=slug)


# --------------------------------------------------------------------------------- history


def _history_summary(tickets):
    return tickets.aggregate(
        total=Count("pk"),
        unsolved=Count("pk", filter=Q(status__in=Ticket.UNSOLVED)),
        rated=Count("rating"),
        rating_avg=Avg("rating__score"),
    )


def _history(request, title, subject, tickets, extra=None):
    tickets = tickets.order_by("-created_at", "-pk")
    page = cheap_page(
        tickets.for_history(), request.GET.get("page"), request.GET.get("page_size") or 50
    )
    context = {
        "title": title,
        "subject": subject,
        "page": page,
        "summary": _history_summary(tickets),
        **(extra or {}),
    }
    return render(request, "tickets/history.html", context)


@member_required("view_people")
def person_history(request, slug, user_id):
    member = get_object_or_404(
        Membership.objects.for_tenant(request.tenant).select_related(
            "user", "organization", "role"
        ),
        user_id=user_id,
    )
    tickets = Ticket.objects.visible_to(request.membership).filter(requester_id=user_id)
    return _history(request, member.user.get_full_name(), member, tickets, {"person": member})


@member_required("view_people")
def organization_history(request, slug, org_id):
    org = get_object_or_404(Organization.objects.for_tenant(request.tenant), pk=org_id)
    tickets = Ticket.objects.visible_to(request.membership).filter(organization=org)
    return _history(request, org.name, org, tickets, {"organization": org})


# ---------------------------------------------------------------------------------- queues


def _queues_with_agents(tenant):
    from .models import QueueGrant

    return (
        Queue.objects.for_tenant(tenant)
        .prefetch_related(
            Prefetch(
                "grants", queryset=QueueGrant.objects.select_related("user").order_by("user__name")
            )
        )
        .annotate(n_open=Count("tickets", filter=Q(tickets__status__in=Ticket.UNSOLVED)))
    )


@member_required("manage_queues")
def queues(request, slug):
    form = QueueForm(request.POST or None, tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                queue = create_queue(
                    tenant=request.tenant,
                    name=data["name"],
                    description=data["description"],
                    is_public=data["is_public"],
                    by=request.user,
                )
                update_queue(queue=queue, agents=list(data["agents"]), by=request.user)
        except NotPermitted as refusal:
            form.add_error("agents", refusal.reasons)
        else:
            messages.success(request, _("Queue “%(name)s” created.") % {"name": queue.name})
            return redirect("tickets:queues", slug=slug)
    return render(
        request,
        "tickets/queues.html",
        {"queues": _queues_with_agents(request.tenant), "form": form},
    )


@member_required("manage_queues")
def queue_edit(request, slug, pk):
    queue = get_object_or_404(Queue.objects.for_tenant(request.tenant), pk=pk)
    initial = {
        "name": queue.name,
        "description": queue.description,
        "is_public": queue.is_public,
        "agents": list(queue.grants.values_list("user_id", flat=True)),
    }
    form = QueueForm(request.POST or None, tenant=request.tenant, queue=queue, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_queue(
                queue=queue,
                by=request.user,
                name=data["name"],
                description=data["description"],
                is_public=data["is_public"],
                agents=list(data["agents"]),
            )
        except NotPermitted as refusal:
            form.add_error("agents", refusal.reasons)
        else:
            messages.success(request, _("Queue “%(name)s” saved.") % {"name": queue.name})
            return redirect("tickets:queues", slug=slug)
    return render(request, "tickets/queue_edit.html", {"queue": queue, "form": form})


# --------------------------------------------------------------------------- notifications


@member_required("manage_settings")
def notification_settings(request, slug):
    tenant = request.tenant
    custom = {t.kind: t for t in NotificationTemplate.objects.for_tenant(tenant)}
    bound = None
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind not in NotificationTemplate.Kind.values:
            raise Http404
        if "reset" in request.POST:
            reset_notification_template(tenant=tenant, kind=kind, by=request.user)
            messages.success(request, _("The default wording is back."))
            return redirect("tickets:notifications", slug=slug)
        bound = NotificationTemplateForm(request.POST)
        if bound.is_valid():
            save_notification_template(
                tenant=tenant,
                kind=kind,
                subject=bound.cleaned_data["subject"],
                body=bound.cleaned_data["body"],
                by=request.user,
            )
            messages.success(request, _("E-mail wording saved."))
            return redirect("tickets:notifications", slug=slug)
    sections = []
    for kind, label in NotificationTemplate.Kind.choices:
        if bound is not None and bound.data.get("kind") == kind:
            form = bound
        else:
            subject, body = (
                (custom[kind].subject, custom[kind].body) if kind in custom else default_text(kind)
            )
            form = NotificationTemplateForm(
                initial={"kind": kind, "subject": subject, "body": body}, prefix=None
            )
        form.auto_id = f"id_{kind}_%s"
        sections.append({"kind": kind, "label": label, "form": form, "custom": kind in custom})
    return render(
        request,
        "tickets/notifications.html",
        {"sections": sections, "placeholders": PLACEHOLDERS},
        status=400 if bound is not None else 200,
    )
