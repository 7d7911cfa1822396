"""A helpdesk's settings pages for tickets: queues and the e-mails' wording."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.services import NotPermitted
from accounts.views_access import member_required

from ..forms import NotificationTemplateForm, QueueForm
from ..models import NotificationTemplate, Queue, Ticket
from ..notifications import PLACEHOLDERS, default_text
from ..services import (
    create_queue,
    reset_notification_template,
    save_notification_template,
    update_queue,
)

# ---------------------------------------------------------------------------------- queues


def _queues_with_agents(tenant):
    from ..models import QueueGrant

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
                    assignment=data["assignment"],
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
        "assignment": queue.assignment,
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
                assignment=data["assignment"],
                agents=list(data["agents"]),
            )
        except NotPermitted as refusal:
            form.add_error("agents", refusal.reasons)
        else:
            messages.success(request, _("Queue “%(name)s” saved.") % {"name": queue.name})
            return redirect("tickets:queues", slug=slug)
    return render(request, "tickets/queue_edit.html", {"queue": queue, "form": form})


# --------------------------------------------------------------------------- notifications


def _wording_language(request) -> str:
    """The language whose wording the page edits: ?language= (or the form's), else the page's."""
    codes = [code for code, _name in settings.LANGUAGES]
    asked = request.POST.get("language") or request.GET.get("language")
    if asked is not None and asked not in codes:
        raise Http404
    return asked or (get_language() if get_language() in codes else settings.LANGUAGE_CODE)


@member_required("manage_settings")
def notification_settings(request, slug):
    tenant = request.tenant
    language = _wording_language(request)
    custom = {
        t.kind: t for t in NotificationTemplate.objects.for_tenant(tenant).filter(language=language)
    }
    bound = None
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind not in NotificationTemplate.Kind.values:
            raise Http404
        back = f"{reverse('tickets:notifications', args=[slug])}?language={language}"
        if "reset" in request.POST:
            reset_notification_template(
                tenant=tenant, kind=kind, language=language, by=request.user
            )
            messages.success(request, _("The default wording is back."))
            return redirect(back)
        bound = NotificationTemplateForm(request.POST)
        if bound.is_valid():
            save_notification_template(
                tenant=tenant,
                kind=kind,
                language=language,
                subject=bound.cleaned_data["subject"],
                body=bound.cleaned_data["body"],
                by=request.user,
            )
            messages.success(request, _("E-mail wording saved."))
            return redirect(back)
    sections = []
    for kind, label in NotificationTemplate.Kind.choices:
        if bound is not None and bound.data.get("kind") == kind:
            form = bound
        else:
            subject, body = (
                (custom[kind].subject, custom[kind].body)
                if kind in custom
                else default_text(kind, language)
            )
            form = NotificationTemplateForm(
                initial={"kind": kind, "language": language, "subject": subject, "body": body},
                prefix=None,
            )
        form.auto_id = f"id_{kind}_%s"
        sections.append({"kind": kind, "label": label, "form": form, "custom": kind in custom})
    return render(
        request,
        "tickets/notifications.html",
        {
            "sections": sections,
            "placeholders": PLACEHOLDERS,
            "language": language,
            "wording_languages": settings.LANGUAGES,
        },
        status=400 if bound is not None else 200,
    )
