"""Role templates, and why a member may or may not do an action."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from helpdesk.api import TenantScopedViewSet
from helpdesk.params import object_id

from ..access import decide, ensure
from ..actions import ACTIONS, SCOPES
from ..granting import explain_grant
from ..models import Membership, Role
from ..services import create_role
from .base import _bad_input

# Roles --------------------------------------------------------------------------------------


class RoleSerializer(serializers.ModelSerializer):
    key = serializers.SlugField(max_length=40, required=False)
    permissions = serializers.ListField(
        child=serializers.ChoiceField(choices=list(ACTIONS)), allow_empty=True
    )
    scope = serializers.ChoiceField(choices=SCOPES)
    members = serializers.IntegerField(read_only=True, source="n_members")

    class Meta:
        model = Role
        fields = [
            "id",
            "key",
            "name",
            "description",
            "permissions",
            "scope",
            "is_builtin",
            "members",
        ]
        read_only_fields = ["is_builtin"]


class RoleViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantScopedViewSet
):
    """Role templates: what each role may do, in plain words. Admins add custom roles."""

    serializer_class = RoleSerializer
    action_permissions = {"create": "change_role"}

    def get_queryset(self):
        from django.db.models import Count

        if getattr(self, "swagger_fake_view", False):
            return Role.objects.none()
        return (
            Role.objects.for_tenant(self.tenant)
            .annotate(n_members=Count("memberships"))
            .order_by("pk")
        )

    def perform_create(self, serializer):
        try:
            role = create_role(
                tenant=self.tenant, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            _bad_input(error)
        serializer.instance = self.get_queryset().get(pk=role.pk)


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
            from tickets.models import Ticket  # the ticket rule is tickets' own part of decide()

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
            from tickets.models import Queue  # queues are tickets' own

            queue_id = object_id(params["queue"])
            if queue_id is None:
                raise ValidationError({"queue": [_("Give a queue's id.")]})
            what["queue"] = get_object_or_404(Queue.objects.for_tenant(self.tenant), pk=queue_id)
        return what
