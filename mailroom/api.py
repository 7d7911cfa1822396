"""The mailroom's API, for admins (``manage_mailboxes``), under /api/v1/t/<slug>/:

- ``mailboxes/``, ``mailboxes/<id>/`` (/work/shared/API.md): support addresses,
  ``{"id", "address", "queue", "imap": {"host", "port", "tls", "username", "folder"} or null}``;
  ``imap.password`` (and ``imap.password_env``, the environment variable holding it) are
  write-only. An address is unique across helpdesks: a taken one is a 400 saying only that.
- ``inbound-messages/[?outcome=]``: the messages received for this helpdesk, newest first;
  ``POST inbound-messages/<id>/retry/`` and ``.../discard/`` for one that failed.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.viewsets import TenantScopedViewSet
from core.params import MAX_ID
from tickets.models import Mailbox, Queue

from .delivery import TemporaryFailure, discard_message, retry_message
from .mailboxes import (
    ImapSettings,
    address_refusal,
    create_mailbox,
    delete_mailbox,
    host_refusal,
    update_mailbox,
)
from .models import InboundMessage

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ImapSerializer(serializers.Serializer):
    host = serializers.CharField(max_length=255)
    port = serializers.IntegerField(min_value=1, max_value=65535, required=False)
    tls = serializers.BooleanField(default=True)
    username = serializers.CharField(max_length=255)
    folder = serializers.CharField(max_length=255, default="INBOX")
    password = serializers.CharField(
        write_only=True, required=False, max_length=1000, trim_whitespace=False
    )
    password_env = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=100
    )

    def validate_host(self, value):
        if refusal := host_refusal(value):
            raise ValidationError(refusal)
        return value.strip()

    def validate_password_env(self, value):
        if value and not ENV_NAME.match(value):
            raise ValidationError(_("Name an environment variable: letters, digits and _."))
        return value


class MailboxSerializer(serializers.ModelSerializer):
    # An id checked for its range before any query (a bigint past the column is no 500).
    queue = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    imap = ImapSerializer(allow_null=True, required=False)

    class Meta:
        model = Mailbox
        fields = ["id", "address", "queue", "imap"]
        read_only_fields = ["id"]

    def validate_address(self, value):
        if refusal := address_refusal(value):
            raise ValidationError(refusal)
        return value

    def validate_queue(self, value):
        queue = Queue.objects.for_tenant(self.context["tenant"]).filter(pk=value).first()
        if queue is None:
            raise ValidationError(_("Choose a queue of this helpdesk."))
        return queue

    def to_representation(self, instance):
        data = {"id": instance.pk, "address": instance.address, "queue": instance.queue_id}
        data["imap"] = (
            {
                "host": instance.imap_host,
                "port": instance.imap_port or (993 if instance.imap_tls else 143),
                "tls": instance.imap_tls,
                "username": instance.imap_username,
                "folder": instance.imap_folder,
            }
            if instance.imap_host
            else None
        )
        return data


def imap_settings(data: dict | None) -> ImapSettings | None:
    if data is None:
        return None
    return ImapSettings(
        host=data["host"],
        port=data.get("port"),
        tls=data.get("tls", True),
        username=data["username"],
        folder=data.get("folder") or "INBOX",
        password=data.get("password"),
        password_env=data.get("password_env", ""),
    )


def _refused(error: DjangoValidationError) -> ValidationError:
    return ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


class MailboxViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TenantScopedViewSet,
):
    """The helpdesk's support addresses; admins only."""

    serializer_class = MailboxSerializer
    lookup_value_converter = "id"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    required_action = "manage_mailboxes"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Mailbox.objects.none()
        return Mailbox.objects.for_tenant(self.tenant).order_by("address")

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = create_mailbox(
                tenant=self.tenant,
                address=data["address"],
                queue=data["queue"],
                imap=imap_settings(data.get("imap")),
                by=self.request.user,
            )
        except DjangoValidationError as error:
            raise _refused(error) from None

    def perform_update(self, serializer):
        data = serializer.validated_data
        changes = {}
        if "imap" in data:
            changes["imap"] = imap_settings(data["imap"])
        try:
            serializer.instance = update_mailbox(
                mailbox=serializer.instance,
                by=self.request.user,
                address=data.get("address"),
                queue=data.get("queue"),
                **changes,
            )
        except DjangoValidationError as error:
            raise _refused(error) from None

    def perform_destroy(self, instance):
        delete_mailbox(mailbox=instance, by=self.request.user)


class InboundMessageSerializer(serializers.ModelSerializer):
    mailbox = serializers.CharField(source="mailbox.address", read_only=True, allow_null=True)
    ticket = serializers.IntegerField(source="ticket_id", read_only=True, allow_null=True)
    ticket_number = serializers.IntegerField(
        source="ticket.number", read_only=True, allow_null=True
    )

    class Meta:
        model = InboundMessage
        fields = [
            "id",
            "outcome",
            "sender",
            "subject",
            "message_id",
            "reason",
            "mailbox",
            "ticket",
            "ticket_number",
            "received_at",
        ]
        read_only_fields = fields


NOT_FAILED = inline_serializer("NotFailed", {"detail": serializers.CharField()})
LATER = inline_serializer("TryLater", {"detail": serializers.CharField()})


class InboundMessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    """What the helpdesk's support addresses received and what became of it; admins only."""

    serializer_class = InboundMessageSerializer
    lookup_value_converter = "id"
    required_action = "manage_mailboxes"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return InboundMessage.objects.none()
        messages = InboundMessage.objects.for_tenant(self.tenant).select_related(
            "mailbox", "ticket"
        )
        if self.action == "list":
            outcome = self.request.query_params.get("outcome")
            if outcome:
                if outcome not in InboundMessage.Outcome.values:
                    raise ValidationError({"outcome": [_("Not an outcome: %s") % outcome[:40]]})
                messages = messages.filter(outcome=outcome)
        return messages.order_by("-received_at", "-pk")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "outcome", OpenApiTypes.STR, enum=InboundMessage.Outcome.values, required=False
            )
        ],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _failed(self) -> InboundMessage | None:
        """The message of the URL if it failed (only those are retried or discarded)."""
        inbound = self.get_object()
        return inbound if inbound.outcome == InboundMessage.Outcome.FAILED else None

    @extend_schema(
        request=None, responses={200: InboundMessageSerializer, 409: NOT_FAILED, 503: LATER}
    )
    @action(detail=True, methods=["post"])
    def retry(self, request, *args, **kwargs):
        inbound = self._failed()
        if inbound is None:
            return _not_failed()
        try:
            retry_message(inbound=inbound, by=request.user)
        except TemporaryFailure:
            return Response(
                {"detail": _("The message could not be handled now; try again later.")},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        return Response(InboundMessageSerializer(self.get_queryset().get(pk=inbound.pk)).data)

    @extend_schema(request=None, responses={200: InboundMessageSerializer, 409: NOT_FAILED})
    @action(detail=True, methods=["post"])
    def discard(self, request, *args, **kwargs):
        inbound = self._failed()
        if inbound is None:
            return _not_failed()
        discard_message(inbound=inbound, by=request.user)
        return Response(InboundMessageSerializer(self.get_queryset().get(pk=inbound.pk)).data)


def _not_failed() -> Response:
    return Response(
        {"detail": _("Only a message that could not be handled can be retried or discarded.")},
        status=status.HTTP_409_CONFLICT,
    )
