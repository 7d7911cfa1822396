"""Announcements: the news page, publishing, "read", and who has read one."""

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
from ..forms import AnnouncementForm
from ..models import Announcement, AnnouncementRead
from .base import _back


@member_required()
def news(request, slug):
    member = request.membership
    may_publish = can(member, "publish_announcements")
    form = AnnouncementForm(request.POST or None, tenant=request.tenant)
    if request.method == "POST":
        if not may_publish:
            return redirect("knowledge:news", slug=slug)
        if form.is_valid():
            data = form.cleaned_data
            services.publish_announcement(
                tenant=request.tenant,
                by=request.user,
                title=data["title"],
                body=data["body"],
                audience=data["audience"],
                roles=list(data["roles"]),
                send_email=data["send_email"],
            )
            messages.success(request, _("Announcement published."))
            return redirect("knowledge:news", slug=slug)
    announcements = Announcement.objects.visible_to(member).with_read_state(member)
    if may_publish:
        # Admins see every announcement, with how many have read it.
        announcements = (
            Announcement.objects.for_tenant(request.tenant)
            .with_read_state(member)
            .prefetch_related("roles")
        )
    page = Paginator(announcements, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/news.html",
        {"page": page, "form": form if may_publish else None},
    )


@require_POST
@member_required()
def announcement_read(request, slug, pk):
    announcement = get_object_or_404(Announcement.objects.visible_to(request.membership), pk=pk)
    services.mark_announcement_read(announcement=announcement, membership=request.membership)
    return _back(request, reverse("knowledge:news", args=[slug]))


@member_required("publish_announcements")
def announcement_readers(request, slug, pk):
    announcement = get_object_or_404(Announcement.objects.for_tenant(request.tenant), pk=pk)
    announcement.tenant = request.tenant  # found in it: the recipients need not read it again
    reads = {
        r.membership_id: r.read_at
        for r in AnnouncementRead.objects.for_tenant(request.tenant).filter(
            announcement=announcement
        )
    }
    audience = services.announcement_recipients(announcement).select_related("role")
    rows = [(m, reads.get(m.pk)) for m in audience]
    return render(
        request,
        "knowledge/announcement_readers.html",
        {
            "announcement": announcement,
            "rows": rows,
            "n_read": sum(1 for _m, at in rows if at),
        },
    )
