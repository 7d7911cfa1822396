from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from helpdesk.api import TenantScopedViewSet, no_such_helpdesk
from helpdesk.params import MAX_INTEGER, object_id
from helpdesk.throttles import ScopedThrottle

from .access import Decision, Refused, decide, ensure, permissions_of
from .actions import ACTIONS, SCOPES
from .directory import directory
from .granting import explain_grant
from .models import (
    AuditEntry,
    Invitation,
    JoiningRule,
    Membership,
    Organization,
    Role,
    Tenant,
)
from .services import (
    NotPermitted,
    accept_invitation,
    accepts_sign_ups,
    add_joining_rule,
    approve_registration,
    change_joining_rule,
    change_membership,
    create_role,
    delete_joining_rule,
    find_invitation,
    invitation_refusal,
    invite,
    joining_outcome,
    reject_registration,
)
from .verification import InvalidLink, find_sign_up, sign_up, verify


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.id")
    email = serializers.EmailField(source="user.email")
    name = serializers.CharField(source="user.name")
    role = serializers.CharField(source="role.key")
    status = serializers.CharField()
    tenant = serializers.CharField(source="tenant.slug")
    permissions = serializers.SerializerMethodField()

    def get_permissions(self, membership) -> list[str]:
        return permissions_of(membership)


class MeViewSet(TenantScopedViewSet):
    """The caller: who they are here, their role and what they may do."""

    serializer_class = MeSerializer

    def get_queryset(self):  # only for the schema generator: the caller is self.membership
        return Membership.objects.none()

    def _active_member(self):
        return Decision(True)  # pending members may still ask who they are

    # "retrieve", not "list": one object, so the schema does not call it a paginated list.
    def retrieve(self, request, *args, **kwargs):
        return Response(MeSerializer(self.membership).data)


# --- People: sign-up, joining rules, approvals, invitations, directory, roles, audit -------


def _refuse(message: str):
    raise PermissionDenied(message)


def _bad_input(error: DjangoValidationError):
    raise ValidationError(
        error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
    )


class RoleKeyField(serializers.SlugRelatedField):
    """A role by its key, among the roles of the request's tenant only."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="key", **kwargs)

    def get_queryset(self):
        tenant = self.context.get("tenant")
        return Role.objects.for_tenant(tenant) if tenant else Role.objects.none()


class OrganizationField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        tenant = self.context.get("tenant")
        return Organization.objects.for_tenant(tenant) if tenant else Organization.objects.none()


class SignUpThrottle(ScopedThrottle):
    """The "register" rate, counted on attempts (POST) only: reading costs nothing."""

    def allow_request(self, request, view):
        if request.method != "POST":
            return True
        return super().allow_request(request, view)


# Sign-up ------------------------------------------------------------------------------------


class RegisterInput(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    name = serializers.CharField(max_length=150)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    def validate(self, attrs):
        # Self-escalation: an applicant never chooses their role; the joining rules do.
        for field in ("role", "status", "organization", "is_admin"):
            if field in self.initial_data:
                raise ValidationError(
                    {
                        field: [
                            _(
                                "You cannot choose this when you sign up; the helpdesk's "
                                "joining rules decide it."
                            )
                        ]
                    }
                )
        return attrs


class StatusOutput(serializers.Serializer):
    status = serializers.CharField()


def _open_door(slug: str) -> Tenant:
    """The tenant at ``slug`` if it takes sign-ups; an invitation-only one answers as an
    unknown slug does (outsiders learn nothing of it)."""
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None or not accepts_sign_ups(tenant):
        raise no_such_helpdesk()
    return tenant


class RegisterView(APIView):
    """Sign up to a tenant: a link goes to the address, and once it is followed the joining
    rules decide. The answer is the same whether or not the address has an account."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [SignUpThrottle]
    throttle_scope = "register"

    @extend_schema(
        request=RegisterInput,
        responses={202: StatusOutput, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def post(self, request, slug):
        tenant = _open_door(slug)
        payload = RegisterInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            sign_up(tenant=tenant, **payload.validated_data)
        except DjangoValidationError as error:
            _bad_input(error)
        return Response({"status": "unverified"}, status=status.HTTP_202_ACCEPTED)


class VerifyInput(serializers.Serializer):
    token = serializers.CharField(max_length=500)


class VerifyView(APIView):
    """Follow a sign-up's link (its token): the address is proved and the joining rules
    decide. An expired, used or unknown token is a 400 saying which."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [SignUpThrottle]
    throttle_scope = "register"

    @extend_schema(
        request=VerifyInput,
        responses={200: StatusOutput, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def post(self, request, slug):
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            raise no_such_helpdesk()
        if not accepts_sign_ups(tenant):
            # Closed now: only a link it gave out while it was open is worth an answer.
            token = request.data.get("token") if hasattr(request.data, "get") else None
            try:
                find_sign_up(tenant=tenant, token=str(token or ""))
            except InvalidLink:
                raise no_such_helpdesk() from None
        payload = VerifyInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            result = verify(tenant=tenant, token=payload.validated_data["token"])
        except InvalidLink as error:
            raise ValidationError({"token": [error.message]}) from None
        return Response({"status": result.status, "detail": result.reason})


# Joining rules ------------------------------------------------------------------------------


class JoiningRuleSerializer(serializers.ModelSerializer):
    role = RoleKeyField()
    organization = OrganizationField(allow_null=True, required=False)
    position = serializers.IntegerField(min_value=0, max_value=MAX_INTEGER, required=False)

    class Meta:
        model = JoiningRule
        fields = ["id", "kind", "pattern", "role", "organization", "requires_approval", "position"]


class JoiningTestOutput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["active", "pending", "refused"])
    rule = serializers.IntegerField(allow_null=True)
    role = serializers.CharField(allow_null=True)
    reason = serializers.CharField()


class JoiningRuleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TenantScopedViewSet,
):
    """A tenant's ordered joining rules: the first that matches an address decides."""

    serializer_class = JoiningRuleSerializer
    required_action = "manage_joining_rules"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return JoiningRule.objects.none()
        return JoiningRule.objects.for_tenant(self.tenant).in_order()

    def perform_create(self, serializer):
        try:
            serializer.instance = add_joining_rule(
                tenant=self.tenant, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            _bad_input(error)

    def perform_update(self, serializer):
        try:
            serializer.instance = change_joining_rule(
                rule=serializer.instance, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            _bad_input(error)

    def perform_destroy(self, instance):
        delete_joining_rule(rule=instance, by=self.request.user)

    @extend_schema(
        parameters=[OpenApiParameter("email", str, required=True)],
        responses={200: JoiningTestOutput},
    )
    @action(detail=False, methods=["get"])
    def test(self, request, *args, **kwargs):
        """What would happen if this address signed up, and which rule decides."""
        email = (request.query_params.get("email") or "").strip()
        if "@" not in email:
            raise ValidationError({"email": [_("Enter an e-mail address to test.")]})
        outcome = joining_outcome(tenant=self.tenant, email=email)
        return Response(
            {
                "outcome": outcome.outcome,
                "rule": outcome.rule.pk if outcome.rule else None,
                "role": outcome.role.key if outcome.role else None,
                "reason": outcome.reason,
            }
        )


# Approvals ----------------------------------------------------------------------------------


class ApprovalSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    role = serializers.CharField(source="role.key", read_only=True)
    organization = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    requested_at = serializers.DateTimeField(source="joined_at", read_only=True)
    status = serializers.CharField(read_only=True, help_text="pending, active or deactivated")

    class Meta:
        model = Membership
        fields = ["id", "email", "name", "role", "organization", "status", "requested_at"]


class ApprovalViewSet(mixins.ListModelMixin, TenantScopedViewSet):
    """Sign-ups waiting for an admin."""

    serializer_class = ApprovalSerializer
    required_action = "manage_people"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return (
            Membership.objects.for_tenant(self.tenant)
            .filter(status=Membership.Status.PENDING)
            .select_related("user", "role", "organization")
            .order_by("joined_at", "pk")
        )

    @extend_schema(request=None, responses={200: ApprovalSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        try:
            membership = approve_registration(membership=self.get_object(), by=request.user)
        except NotPermitted as refusal:
            raise Refused(Decision(False, refusal.reasons)) from None
        return Response(ApprovalSerializer(membership).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def reject(self, request, *args, **kwargs):
        try:
            reject_registration(membership=self.get_object(), by=request.user)
        except NotPermitted as refusal:
            _refuse(refusal.message)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Invitations --------------------------------------------------------------------------------


class InvitationSerializer(serializers.ModelSerializer):
    role = RoleKeyField()
    organization = OrganizationField(allow_null=True, required=False)
    token = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "organization",
            "token",
            "status",
            "expires_at",
            "created_at",
        ]
        read_only_fields = ["expires_at", "created_at"]

    def get_token(self, invitation) -> str | None:
        # The token exists only in the answer to the invitation's creation: we keep its hash.
        return getattr(invitation, "token", None)


class InvitationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, TenantScopedViewSet):
    """Invite people with a role: a single-use link, sent by e-mail, that expires."""

    serializer_class = InvitationSerializer
    required_action = "manage_people"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        return Invitation.objects.for_tenant(self.tenant).select_related("role")

    def perform_create(self, serializer):
        try:
            invitation, token = invite(
                tenant=self.tenant, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            _bad_input(error)
        invitation.token = token
        serializer.instance = invitation


class AcceptInput(serializers.Serializer):
    token = serializers.CharField(max_length=200)
    name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class AcceptOutput(serializers.Serializer):
    status = serializers.CharField()
    role = serializers.CharField()
    tenant = serializers.CharField()


class AcceptInvitationView(APIView):
    """Accept an invitation with its token: a new person sets name and password; a person
    with an account gives its password."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [SignUpThrottle]
    throttle_scope = "register"

    @extend_schema(
        request=AcceptInput,
        responses={
            201: AcceptOutput,
            400: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
        },
    )
    def post(self, request, slug):
        tenant = Tenant.objects.filter(slug=slug).first()
        token = request.data.get("token") if hasattr(request.data, "get") else None
        invitation = find_invitation(tenant=tenant, token=str(token or "")) if tenant else None
        if invitation is None:  # unknown here (perhaps another tenant's): as an unknown slug
            raise no_such_helpdesk()
        payload = AcceptInput(data=request.data)
        payload.is_valid(raise_exception=True)
        refusal = invitation_refusal(invitation)
        if refusal:
            _refuse(refusal)
        try:
            membership = accept_invitation(
                invitation=invitation,
                name=payload.validated_data["name"],
                password=payload.validated_data["password"],
            )
        except DjangoValidationError as error:
            _bad_input(error)
        except NotPermitted as refusal:
            _refuse(refusal.message)
        return Response(
            {"status": membership.status, "role": membership.role.key, "tenant": tenant.slug},
            status=status.HTTP_201_CREATED,
        )


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


# Audit log ----------------------------------------------------------------------------------


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.EmailField(source="actor.email", read_only=True, allow_null=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "actor",
            "action",
            "target_type",
            "target_id",
            "target_repr",
            "before",
            "after",
        ]
        read_only_fields = fields


def _day(text: str):
    """A date from YYYY-MM-DD, or None: parse_date raises on a well-formed impossible day."""
    try:
        return parse_date(text)
    except ValueError:
        return None


def audit_entries(tenant, params):
    """The audit log of a tenant, filtered by action (prefix), actor (id or e-mail) and dates."""
    entries = AuditEntry.objects.for_tenant(tenant).select_related("actor")
    if params.get("action"):
        entries = entries.filter(action__startswith=params["action"])
    actor = (params.get("actor") or "").strip()
    if object_id(actor):
        entries = entries.filter(actor_id=object_id(actor))
    elif actor:
        entries = entries.filter(Q(actor__email__iexact=actor) | Q(actor__name__icontains=actor))
    for name, lookup in (("from", "created_at__date__gte"), ("to", "created_at__date__lte")):
        value = params.get(name)
        if value:
            day = _day(value) if isinstance(value, str) else value
            if day is None:
                raise DjangoValidationError({name: [_("Enter a date as YYYY-MM-DD.")]})
            entries = entries.filter(**{lookup: day})
    return entries


class AuditLogViewSet(mixins.ListModelMixin, TenantScopedViewSet):
    """Who changed what, when, before and after. Read-only: no entry can be edited or deleted."""

    serializer_class = AuditEntrySerializer
    required_action = "view_audit_log"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuditEntry.objects.none()
        try:
            return audit_entries(self.tenant, self.request.query_params)
        except DjangoValidationError as error:
            _bad_input(error)

    @extend_schema(
        parameters=[
            OpenApiParameter("action", str),
            OpenApiParameter("actor", str),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
