"""The macro API of /work/shared/API.md: ``macros/`` (kept per person, role or helpdesk) and
``tickets/<id>/macros/<macro_id>/`` (applied to a ticket), under /api/v1/t/<slug>/."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.viewsets import TenantScopedViewSet
from core.params import object_id

from ..access import ensure_may_write
from ..forms import BODY_MAX
from ..models import PERSONAL, Comment, Macro, Ticket
from ..services import (
    InvalidTransition,
    MacroRefused,
    TicketClosed,
    add_macro,
    apply_macro,
    change_macro,
    delete_macro,
)
from .refusals import CLOSED, ticket_closed

NAME_MAX = Macro._meta.get_field("name").max_length


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string", "enum": ["me"]}],
        "nullable": True,
        "description": "A staff member's user id, or “me”: whoever applies the macro.",
    }
)
class AssigneeField(serializers.Field):
    def to_representation(self, value):
        return value

    def to_internal_value(self, data):
        if data in (None, ""):
            return None
        if data == "me":
            return data
        user_id = None if isinstance(data, bool) else object_id(data)
        if user_id is None:
            raise ValidationError(_("Say “me” or a user id."))
        return user_id


class MacroSetsSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Ticket.Status.choices,
        allow_null=True,
        allow_blank=True,
        required=False,
    )
    priority = serializers.ChoiceField(
        choices=Ticket.Priority.choices, allow_null=True, allow_blank=True, required=False
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, help_text="Added to a ticket's."
    )
    assignee = AssigneeField(required=False, allow_null=True)

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, dict) else []
        if unknown:
            raise ValidationError(
                _("A macro cannot set %(fields)s.") % {"fields": ", ".join(map(str, unknown))}
            )
        return super().to_internal_value(data)

    def to_representation(self, instance):
        return {
            "status": instance.get("status") or None,
            "priority": instance.get("priority") or None,
            "tags": list(instance.get("tags") or []),
            "assignee": instance.get("assignee") or None,
        }


class MacroSerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=NAME_MAX)
    body = serializers.CharField(max_length=BODY_MAX)
    public = serializers.BooleanField(source="is_public", default=True)
    sets = MacroSetsSerializer(required=False)
    shared_with = serializers.CharField(
        max_length=40,
        default=PERSONAL,
        help_text="“me” (personal), “tenant” (every staff member) or a role's key.",
    )

    class Meta:
        model = Macro
        fields = ["id", "name", "body", "public", "sets", "shared_with"]
        read_only_fields = ["id"]


class ApplyMacroSerializer(serializers.Serializer):
    """What the agent changed before sending: the text, who sees it, a status instead of
    the macro's. All optional: without them the macro is applied as it is."""

    body = serializers.CharField(max_length=BODY_MAX, required=False)
    public = serializers.BooleanField(required=False)
    status = serializers.ChoiceField(choices=Ticket.Status.choices, required=False)

    def validate_body(self, value):
        if not value.strip():
            raise ValidationError(_("Write something first."))
        return value


class AppliedCommentSerializer(serializers.ModelSerializer):
    public = serializers.BooleanField(source="is_public")

    class Meta:
        model = Comment
        fields = ["id", "body", "public", "created_at"]


class AppliedTicketSerializer(serializers.ModelSerializer):
    assignee = serializers.IntegerField(source="assignee_id", allow_null=True)
    tags = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = ["id", "number", "status", "priority", "assignee", "tags"]

    def get_tags(self, ticket) -> list[str]:
        return sorted(tag.name for tag in ticket.tags.all())


class MacroAppliedSerializer(serializers.Serializer):
    """The comment posted and the ticket as the macro left it."""

    comment = AppliedCommentSerializer()
    ticket = AppliedTicketSerializer()


def _refused(refusal: MacroRefused) -> ValidationError:
    return ValidationError({field: [message] for field, message in refusal.errors.items()})


class MacroViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TenantScopedViewSet,
):
    """Macros the caller uses (their own, their role's, the helpdesk's), and for those who
    manage the shared macros every shared one. Changing one is asked of decide()."""

    serializer_class = MacroSerializer
    lookup_value_converter = "id"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    required_action = "use_workspace"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Macro.objects.none()
        return Macro.objects.managed_by(self.membership).select_related("role")

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = add_macro(
                member=self.membership,
                name=data["name"],
                body=data["body"],
                is_public=data.get("is_public", True),
                sets=data.get("sets") or {},
                shared_with=data.get("shared_with", PERSONAL),
            )
        except MacroRefused as refusal:
            raise _refused(refusal) from refusal

    def perform_update(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = change_macro(
                macro=serializer.instance,
                member=self.membership,
                name=data.get("name"),
                body=data.get("body"),
                is_public=data.get("is_public"),
                sets=data.get("sets"),
                shared_with=data.get("shared_with"),
            )
        except MacroRefused as refusal:
            raise _refused(refusal) from refusal

    def perform_destroy(self, instance):
        delete_macro(macro=instance, member=self.membership)


class TicketMacrosMixin:
    """Applying a macro to a ticket (TicketViewSet): its text as a comment and its changes."""

    action_permissions = {"apply_macro": "use_workspace"}

    @extend_schema(
        request=ApplyMacroSerializer,
        responses={201: MacroAppliedSerializer, 409: CLOSED},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="macros/<id:macro_id>",
        url_name="apply-macro",
        serializer_class=ApplyMacroSerializer,
        filter_backends=[],
    )
    def apply_macro(self, request, *args, macro_id: int, **kwargs):
        """Post the macro's text, filled for this ticket, and make its changes in one step;
        each change needs its own right, else nothing is made (403)."""
        ticket = get_object_or_404(Ticket.objects.visible_to(self.membership), pk=kwargs["pk"])
        macro = get_object_or_404(Macro.objects.visible_to(self.membership), pk=macro_id)
        payload = ApplyMacroSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        is_public = data.get("public", macro.is_public)
        ensure_may_write(self.membership, ticket, is_public=is_public)
        try:
            comment = apply_macro(
                macro=macro,
                ticket=ticket,
                member=self.membership,
                body=data.get("body"),
                is_public=is_public,
                status=data.get("status"),
            )
        except MacroRefused as refusal:
            raise _refused(refusal) from refusal
        except TicketClosed as refusal:
            return ticket_closed(refusal)
        except InvalidTransition as exc:
            return Response(
                {"detail": exc.reason or str(exc), "status": [exc.reason or str(exc)]},
                status=status.HTTP_409_CONFLICT,
            )
        ticket = Ticket.objects.prefetch_related("tags").get(pk=ticket.pk)
        applied = MacroAppliedSerializer({"comment": comment, "ticket": ticket})
        return Response(applied.data, status=status.HTTP_201_CREATED)
