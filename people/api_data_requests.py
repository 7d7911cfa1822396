"""A person's data on request, under /api/v1/t/<slug>/: ``users/<id>/export/`` and
``users/<id>/erase/`` (the contract's names) and ``data-requests/<id>/`` with its download.

``GET users/<id>/export/`` answers 202 with the export under way, or the newest one still
downloadable, or starts one; its ``download_url`` is set once it is done."""

from __future__ import annotations

from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.access import Decision, Refused
from accounts.models import DataRequest, Membership
from accounts.services import NotPermitted
from accounts.viewsets import TenantScopedViewSet
from tickets.api.attachments import DownloadNegotiation

from .data_requests import may_download, request_erasure, request_export


class DataRequestSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DataRequest
        fields = [
            "id",
            "kind",
            "person",
            "status",
            "progress",
            "created_at",
            "finished_at",
            "expires_at",
            "download_url",
        ]

    def get_download_url(self, data_request) -> str | None:
        if not data_request.is_downloadable:
            return None
        return reverse(
            "api-data-request-download", args=[self.context["tenant"].slug, data_request.pk]
        )


class EraseInput(serializers.Serializer):
    comments = serializers.ChoiceField(
        choices=["keep", "remove"],
        default="keep",
        help_text="keep: their comments' text stays, under the placeholder's name.",
    )


def _refused(refusal: NotPermitted) -> Refused:
    return Refused(Decision(False, refusal.reasons))


class PersonDataViewSet(TenantScopedViewSet):
    """Export (the person themself, or an admin) and erase (an admin) one person."""

    serializer_class = DataRequestSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return Membership.objects.for_tenant(self.tenant).select_related("user")

    def _person(self, pk: int):
        return get_object_or_404(self.get_queryset(), user_id=pk).user

    @extend_schema(request=None, responses={202: DataRequestSerializer})
    def export(self, request, *args, pk: int, **kwargs):
        person = self._person(pk)
        ready = (
            DataRequest.objects.for_tenant(self.tenant)
            .about(person)
            .filter(kind=DataRequest.Kind.EXPORT, requested_by=request.user)
            .newest_first()
            .first()
        )
        if ready is None or not (ready.is_downloadable or ready.status in ("waiting", "running")):
            try:
                ready = request_export(tenant=self.tenant, person=person, by=self.membership)
            except NotPermitted as refusal:
                raise _refused(refusal) from None
        return Response(self.get_serializer(ready).data, status=202)

    @extend_schema(request=EraseInput, responses={202: DataRequestSerializer})
    def erase(self, request, *args, pk: int, **kwargs):
        person = self._person(pk)
        payload = EraseInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            erasure = request_erasure(
                tenant=self.tenant,
                person=person,
                by=self.membership,
                keep_comments=payload.validated_data["comments"] == "keep",
            )
        except NotPermitted as refusal:
            raise _refused(refusal) from None
        return Response(self.get_serializer(erasure).data, status=202)


class DataRequestViewSet(TenantScopedViewSet):
    """One request's progress and its download: to the admin who asked, or the person."""

    serializer_class = DataRequestSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DataRequest.objects.none()
        user = self.request.user
        return DataRequest.objects.for_tenant(self.tenant).filter(
            Q(requested_by=user) | Q(person=user)
        )

    def retrieve(self, request, *args, pk: int, **kwargs):
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)


class DataRequestDownloadViewSet(DataRequestViewSet):
    """The archive is the file whatever the Accept header asks for; a refusal is JSON."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = DownloadNegotiation

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The archive: JSON per kind and the files."
            )
        }
    )
    def download(self, request, *args, pk: int, **kwargs):
        data_request = get_object_or_404(self.get_queryset(), pk=pk)
        if not may_download(data_request, request.user):
            raise Http404  # not done yet, or expired
        return FileResponse(
            data_request.file.open("rb"),
            as_attachment=True,
            filename=f"{self.tenant.slug}-person-{data_request.person_id}.zip",
            content_type="application/zip",
        )
