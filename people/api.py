"""The people API that reads tickets and queues, under /api/v1/t/<slug>/: the directory
(``users/``, with each person's ticket counts) and "why can't I?" (``access/explain/``).

The rest of the people API (the caller, sign-up, joining rules, approvals, invitations, roles,
the audit log) is accounts.api."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.access import Decision, Refused, decide, ensure
from accounts.actions import ACTIONS
from accounts.api import OrganizationField, RoleKeyField
from accounts.granting import explain_grant
from accounts.models import Membership, Role
from accounts.services import NotPermitted, change_membership
from accounts.viewsets import TenantScopedViewSet
from core.params import object_id
from tickets.models import Queue, Ticket

from .directory import directory

# Directory ----------------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="user_id", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    role = RoleKeyField(required=False)
    organization = OrganizationField(allow_null=True, required=False)
    is_active = serializers.BooleanField(required=False)
    tickets_requested = serializers.IntegerField(read_only=True)
    tickets_handled = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="pending, active or deactivated")

    class Meta:
        model = Membership
        fields = [
            "id",
            "email",
            "name",
            "role",
            "organization",
            "is_active",
            "status",
            "joined_at",
            "last_seen_at",
            "tickets_requested",
            "tickets_handled",
        ]
        read_only_fields = ["status", "joined_at", "last_seen_at"]


class UserViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, TenantScopedViewSet
):
    """The tenant's people (by user id). Changes are admin-only and audited."""

    serializer_class = PersonSerializer
    action_permissions = {
        "list": "view_people",
        "retrieve": "view_people",
        "partial_update": "manage_people",
    }
    http_method_names = ["get", "patch", "head", "options"]
    lookup_field = "user_id"
    lookup_url_kwarg = "pk"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        params = self.request.query_params
        return directory(
            self.tenant,
            q=params.get("q", "").strip(),
            role=params.get("role", ""),
            status=params.get("status", ""),
            organization=params.get("organization", ""),
            sort=params.get("sort", "name"),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("role", str),
            OpenApiParameter("status", str),
            OpenApiParameter("organization", str),
            OpenApiParameter("sort", str),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_update(self, serializer):
        data = serializer.validated_data
        changes = {}
        if "role" in data:
            # Changing a role is its own permission: a supervisor posting role=admin is refused.
            ensure(self.membership, "change_role")
            changes["role"] = data["role"]
        if "organization" in data:
            changes["organization"] = data["organization"]
        if "is_active" in data:
            changes["status"] = (
                Membership.Status.ACTIVE if data["is_active"] else Membership.Status.DEACTIVATED
            )
        try:
            change_membership(membership=serializer.instance, by=self.request.user, **changes)
        except NotPermitted as refusal:
            raise Refused(Decision(False, refusal.reasons)) from None
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)


# Why can't I? -------------------------------------------------------------------------------


class ExplainOutput(serializers.Serializer):
    allowed = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    can_request = serializers.BooleanField()


class ExplainViewSet(TenantScopedViewSet):
    """Why a member may or may not do an action (on a ticket): the decision and its reasons."""

    serializer_class = ExplainOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return Membership.objects.for_tenant(self.tenant).select_related(
            "role", "user", "tenant", "organization"
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("user", int, required=True),
            OpenApiParameter("action", str, required=True, enum=list(ACTIONS)),
            OpenApiParameter("ticket", int, description="The ticket's id."),
            OpenApiParameter("role", str, description="A role key: may they give this role?"),
            OpenApiParameter("queue", int, description="A queue id: may they let others work it?"),
        ],
        responses={200: ExplainOutput},
    )
    def list(self, request, *args, **kwargs):
        params = request.query_params
        user_id, action_name = object_id(params.get("user")), params.get("action", "")
        if user_id is None:
            raise ValidationError({"user": [_("Give the id of a person of this helpdesk.")]})
        if action_name not in ACTIONS:
            raise ValidationError({"action": [_("Give one of the helpdesk's actions.")]})
        if user_id != request.user.pk:
            ensure(self.membership, "manage_people")  # only admins ask about someone else
        member = get_object_or_404(self.get_queryset(), user_id=user_id)
        ticket = None
        if params.get("ticket"):
            ticket_id = object_id(params["ticket"])
            if ticket_id is None:
                raise ValidationError({"ticket": [_("Give a ticket's id.")]})
            ticket = get_object_or_404(
                Ticket.objects.for_tenant(self.tenant).select_related("queue"), pk=ticket_id
            )
        what = self._given(params)
        if what:
            # Why a change that gives power would be refused: the one function that decides.
            decision = explain_grant(member, action_name, **what)
        else:
            decision = decide(member, action_name, ticket)
        return Response(
            {
                "allowed": decision.allowed,
                "reasons": [str(r) for r in decision.reasons],
                "can_request": decision.can_request,
            }
        )

    def _given(self, params) -> dict:
        what = {}
        if params.get("role"):
            what["role"] = get_object_or_404(
                Role.objects.for_tenant(self.tenant), key=params["role"]
            )
        if params.get("queue"):
            queue_id = object_id(params["queue"])
            if queue_id is None:
                raise ValidationError({"queue": [_("Give a queue's id.")]})
            what["queue"] = get_object_or_404(Queue.objects.for_tenant(self.tenant), pk=queue_id)
        return what
