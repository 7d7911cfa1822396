"""A person's data on request, on their page: export (the person, or an admin), erase (an
admin), the requests' progress and the download. Thin: people.data_requests decides."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import DataRequest, Membership
from accounts.services import NotPermitted
from accounts.views_access import member_required

from .data_requests import may_download, may_export, request_erasure, request_export


def _person(request, user_id):
    return get_object_or_404(
        Membership.objects.for_tenant(request.tenant).select_related("user"), user_id=user_id
    ).user


def data_requests_of(member: Membership, viewer: Membership) -> list[DataRequest] | None:
    """The person page's section: their requests, to an admin or to themself; else None."""
    if not may_export(viewer, member.user):
        return None
    return list(DataRequest.objects.for_tenant(member.tenant).about(member.user).newest_first())


@require_POST
@member_required("view_ticket")
def person_export(request, slug, user_id):
    try:
        request_export(
            tenant=request.tenant, person=_person(request, user_id), by=request.membership
        )
    except NotPermitted as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The export is being prepared: its progress shows below."))
    return redirect("accounts:person", slug=slug, user_id=user_id)


@require_POST
@member_required("manage_people")
def person_erase(request, slug, user_id):
    if request.POST.get("confirm") != "erase":
        messages.error(request, _("Tick the box to confirm the erasure."))
        return redirect("accounts:person", slug=slug, user_id=user_id)
    try:
        request_erasure(
            tenant=request.tenant,
            person=_person(request, user_id),
            by=request.membership,
            keep_comments=request.POST.get("comments") != "remove",
        )
    except NotPermitted as refusal:
        messages.error(request, refusal.message)
        return redirect("accounts:person", slug=slug, user_id=user_id)
    messages.success(request, _("The erasure has started; the audit log records it."))
    return redirect("accounts:people", slug=slug)


@member_required("view_ticket")
def data_request_download(request, slug, request_id):
    data_request = get_object_or_404(DataRequest.objects.for_tenant(request.tenant), pk=request_id)
    if not may_download(data_request, request.user):
        raise Http404
    return FileResponse(
        data_request.file.open("rb"),
        as_attachment=True,
        filename=f"{slug}-person-{data_request.person_id}.zip",
        content_type="application/zip",
    )
