"""A ticket's files through the API: tickets/<id>/attachments/ (an extension of API.md).

The same files as the portal and the workspace, stored and checked by the same services, and
shown to the same people: whoever may see the ticket, except that a file of an internal note
never reaches a customer.
"""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from ..access import ensure_may_write
from ..downloads import attachment_response
from ..forms import BODY_MAX
from ..models import Attachment, Comment, Ticket
from ..services import TicketClosed, add_comment, attach_files, upload_refusals
from .refusals import CLOSED, ticket_closed


class AttachmentSerializer(serializers.ModelSerializer):
    comment = serializers.IntegerField(source="comment_id", read_only=True, allow_null=True)
    uploaded_by = serializers.IntegerField(source="uploaded_by_id", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "filename",
            "content_type",
            "size",
            "comment",
            "uploaded_by",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, attachment) -> str:
        url = reverse(
            "ticket-attachment-download",
            kwargs={
                "slug": self.context["tenant"].slug,
                "pk": attachment.ticket_id,
                "attachment_id": attachment.pk,
            },
        )
        return self.context["request"].build_absolute_uri(url)


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file sent in a multipart request (described as binary, not as a URL)."""


class AttachmentUploadSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=UploadField(),
        allow_empty=False,
        help_text="One file or several (repeat the field).",
    )
    comment = serializers.IntegerField(
        required=False,
        help_text="Add the files to this comment of yours on the ticket.",
    )
    body = serializers.CharField(
        max_length=BODY_MAX,
        required=False,
        help_text="Or write a new comment that carries the files.",
    )
    public = serializers.BooleanField(
        default=True, help_text="With body: a public reply (true) or an internal note (false)."
    )

    def validate_files(self, files):
        refusals = upload_refusals(files)
        if refusals:
            raise ValidationError(refusals)
        return files

    def validate_body(self, value):
        if not value.strip():
            raise ValidationError(_("Write something first."))
        return value

    def validate(self, data):
        ticket, user = self.context["ticket"], self.context["request"].user
        if "comment" in data and "body" in data:
            raise ValidationError(
                {"comment": [_("Give either comment (an existing one) or body (a new one).")]}
            )
        if "comment" in data:
            # Only the caller's own comments: nobody's words gain files they did not send.
            data["comment"] = (
                Comment.objects.for_tenant(self.context["tenant"])
                .filter(ticket=ticket, author=user, pk=data["comment"])
                .first()
            )
            if data["comment"] is None:
                raise ValidationError(
                    {"comment": [_("You have no comment with this id on this ticket.")]}
                )
        elif "body" not in data and ticket.requester_id != user.pk:
            raise ValidationError(
                {
                    "comment": [
                        _(
                            "Only the requester adds files to the request itself: give one "
                            "of your comments (comment) or write one (body)."
                        )
                    ]
                }
            )
        return data


class AttachmentsAddedSerializer(serializers.Serializer):
    comment = serializers.IntegerField(
        allow_null=True, help_text="The comment that carries the files (null: the request)."
    )
    attachments = AttachmentSerializer(many=True)


class DownloadNegotiation(BaseContentNegotiation):
    """A download is the file whatever the Accept header asks for; a refusal is JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return JSONRenderer(), JSONRenderer.media_type


class TicketAttachmentsMixin:
    """The files of TicketViewSet: listed, uploaded, described and downloaded per ticket."""

    action_permissions = {
        "attachments": "view_ticket",
        "attachment": "view_ticket",
        "attachment_download": "view_ticket",
    }

    def _attachments_of(self, ticket: Ticket):
        return (
            Attachment.objects.visible_to(self.membership)
            .filter(ticket=ticket)
            .order_by("created_at", "pk")
        )

    def _ticket(self) -> Ticket:
        """The ticket, if the caller may see it (else 404), without the list's extras."""
        return get_object_or_404(Ticket.objects.visible_to(self.membership), pk=self.kwargs["pk"])

    def _attachment(self, attachment_id: int) -> Attachment:
        ticket = self._ticket()  # a ticket the caller may not see is a 404 first
        return get_object_or_404(self._attachments_of(ticket), pk=attachment_id)

    @extend_schema(methods=["GET"], responses={200: AttachmentSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentsAddedSerializer, 409: CLOSED},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=AttachmentSerializer,
        filter_backends=[],
    )
    def attachments(self, request, *args, **kwargs):
        """The ticket's files (a customer never gets an internal note's); POST adds files.

        Multipart: ``files`` (one or several), and where they go: ``comment`` (one of yours),
        ``body`` (+ ``public``) for a new comment carrying them, or neither for the request
        itself (its requester only). Size and type limits are the portal's.
        """
        ticket = self._ticket()
        context = self.get_serializer_context()
        if request.method == "GET":
            page = self.paginate_queryset(self._attachments_of(ticket))
            return self.get_paginated_response(
                AttachmentSerializer(page, many=True, context=context).data
            )
        payload = AttachmentUploadSerializer(
            data=request.data, context={**context, "ticket": ticket}
        )
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        comment = data.get("comment")
        is_public = comment.is_public if comment is not None else data["public"]
        ensure_may_write(self.membership, ticket, is_public=is_public)
        try:
            with transaction.atomic():
                if "body" in data:
                    comment = add_comment(
                        ticket=ticket, author=request.user, body=data["body"], is_public=is_public
                    )
                stored = attach_files(
                    ticket=ticket, uploads=data["files"], by=request.user, comment=comment
                )
        except TicketClosed as refusal:
            return ticket_closed(refusal)
        added = {
            "comment": comment.pk if comment is not None else None,
            "attachments": AttachmentSerializer(stored, many=True, context=context).data,
        }
        return Response(added, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: AttachmentSerializer})
    @action(
        detail=True,
        methods=["get"],
        url_path="attachments/<id:attachment_id>",
        url_name="attachment",
        serializer_class=AttachmentSerializer,
        filter_backends=[],
    )
    def attachment(self, request, *args, attachment_id: int, **kwargs):
        """One file's description, with the URL it downloads from."""
        found = self._attachment(attachment_id)
        return Response(AttachmentSerializer(found, context=self.get_serializer_context()).data)

    @extend_schema(
        responses={
            # Served with the type it was uploaded with (image/png, application/pdf, ...).
            (200, "*/*"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, as a download, in its own type."
            )
        }
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="attachments/<id:attachment_id>/download",
        url_name="attachment-download",
        filter_backends=[],
        renderer_classes=[JSONRenderer],
        content_negotiation_class=DownloadNegotiation,
    )
    def attachment_download(self, request, *args, attachment_id: int, **kwargs):
        """The file itself, to whoever may see it."""
        return attachment_response(self._attachment(attachment_id))
