"""Pages: a member's notifications (opening one reads it), and how they want to be told."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.views_access import member_required
from core.params import object_id
from tickets.workspace import cheap_page

from .forms import PreferencesForm
from .models import Notification
from .services import channels_of, mark_all_read, mark_read, set_notification_channels

PAGE_SIZE = 25


@member_required()
def notification_list(request, slug):
    notifications = (
        Notification.objects.visible_to(request.membership).select_related("ticket").newest_first()
    )
    page = cheap_page(notifications, request.GET.get("page"), PAGE_SIZE)
    return render(request, "notifications/list.html", {"page": page})


@member_required()
def notification_open(request, slug, notification_id):
    """Opening a notification reads it and goes to its ticket (a GET: a link in the list)."""
    notification = (
        Notification.objects.visible_to(request.membership)
        .select_related("ticket")
        .filter(pk=object_id(notification_id))
        .first()
    )
    if notification is None:
        raise Http404
    mark_read(notification=notification)
    return redirect("tickets:ticket", slug=slug, number=notification.ticket.number)


@require_POST
@member_required()
def notification_read_all(request, slug):
    mark_all_read(member=request.membership)
    messages.success(request, _("Every notification is marked read."))
    return redirect("notifications:list", slug=slug)


@member_required()
def notification_preferences(request, slug):
    member = request.membership
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            set_notification_channels(member=member, channels=form.cleaned_data)
            messages.success(request, _("Your notification choices are saved."))
            return redirect("notifications:preferences", slug=slug)
    else:
        form = PreferencesForm(initial=channels_of(tenant=member.tenant, user=member.user))
    return render(
        request,
        "notifications/preferences.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )
