"""The ticket API of /work/shared/API.md, under /api/v1/t/<slug>/ (queues: api/queues.py)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.access import Decision, Refused, can, ensure
from accounts.viewsets import TenantScopedViewSet
from core.params import MAX_ID

from ..access import ensure_may_write
from ..forms import BODY_MAX, DESCRIPTION_MAX, SUBJECT_MAX, staff_users
from ..models import BREACH_COLUMNS, TARGETS, Comment, Queue, Ticket, breached_targets
from ..services import (
    FIELD_ACTIONS,
    InvalidTransition,
    RequesterRefused,
    TicketClosed,
    answer_ticket,
    assign_ticket,
    open_ticket,
    open_ticket_for,
    rate_ticket,
    reopen_ticket,
    requester_for,
    set_tags,
    update_ticket,
)
from .attachments import TicketAttachmentsMixin
from .macros import TicketMacrosMixin
from .refusals import ticket_closed

CONFLICT = inline_serializer(
    "InvalidTransition",
    {
        "detail": serializers.CharField(),
        "status": serializers.ListField(child=serializers.CharField()),
    },
)

TICKET_CONFLICT = inline_serializer(
    "TicketConflict",
    {
        "detail": serializers.CharField(),
        "status": serializers.ListField(child=serializers.CharField(), required=False),
    },
)


def invalid_transition(exc: InvalidTransition) -> Response:
    message = exc.reason or _("A ticket cannot move from %(old)s to %(new)s.") % {
        "old": exc.old,
        "new": exc.new,
    }
    return Response({"detail": message, "status": [message]}, status=status.HTTP_409_CONFLICT)


def refuse(reason: str):
    raise Refused(Decision(False, [reason]))


# ------------------------------------------------------------------------------- tickets


class TagsField(serializers.ListField):
    """Tag names in, tag names out: read from the prefetched tags, or from ``known_tags`` when
    the view holds them already (a ticket just opened has none: nothing to read back). A list
    page's rows carry theirs as ``tag_names`` (TicketViewSet.list)."""

    child = serializers.CharField(max_length=50)

    def get_attribute(self, instance):
        known = getattr(instance, "known_tags", None)
        if known is not None:
            return known
        return [tag.name for tag in instance.tags.all()]

    def to_representation(self, data):
        return list(data)


class TenantQueueField(serializers.PrimaryKeyRelatedField):
    """A queue of the caller's helpdesk: all of them for staff, the portal's for customers.

    The queryset is built when a value is looked up, not with every serializer.
    """

    def get_queryset(self):
        member = self.context.get("membership")
        if member is None:
            return super().get_queryset()
        return Queue.objects.visible_to(member)


class StaffUserField(serializers.PrimaryKeyRelatedField):
    """An active staff member of the caller's helpdesk, looked up when a value is given."""

    def get_queryset(self):
        member = self.context.get("membership")
        return super().get_queryset() if member is None else staff_users(member.tenant)


class TicketSerializer(serializers.ModelSerializer):
    queue = TenantQueueField(queryset=Queue.objects.none(), allow_null=True, required=False)
    assignee = StaffUserField(
        queryset=Ticket._meta.get_field("assignee").related_model.objects.none(),
        allow_null=True,
        required=False,
    )
    requester = serializers.IntegerField(
        source="requester_id",
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Staff opening a ticket on behalf of a member: that member's user id.",
    )
    tags = TagsField(required=False, source="tag_names")
    subject = serializers.CharField(max_length=SUBJECT_MAX)
    description = serializers.CharField(max_length=DESCRIPTION_MAX)
    # Service levels: the helpdesk's own targets. Null (and no breach) where no policy
    # applies, and for whoever may not read the helpdesk's internal side (customers).
    first_response_due_at = serializers.DateTimeField(read_only=True, allow_null=True)
    next_response_due_at = serializers.DateTimeField(read_only=True, allow_null=True)
    resolution_due_at = serializers.DateTimeField(read_only=True, allow_null=True)
    sla_breached = serializers.ListField(
        child=serializers.ChoiceField(choices=TARGETS),
        read_only=True,
        help_text="The targets missed: first_response, next_response, resolution.",
    )

    # The columns its fields read: a list reads these alone (no joins, no other columns).
    COLUMNS = (
        "id",
        "number",
        "subject",
        "description",
        "status",
        "priority",
        "queue_id",
        "requester_id",
        "assignee_id",
        "channel",
        "created_at",
        "updated_at",
        "first_response_at",
        "solved_at",
        *BREACH_COLUMNS,
    )

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "subject",
            "description",
            "status",
            "priority",
            "queue",
            "requester",
            "assignee",
            "tags",
            "channel",
            "created_at",
            "updated_at",
            "first_response_at",
            "solved_at",
            "first_response_due_at",
            "next_response_due_at",
            "resolution_due_at",
            "sla_breached",
        ]
        read_only_fields = [
            "id",
            "number",
            "channel",
            "created_at",
            "updated_at",
            "first_response_at",
            "solved_at",
        ]

    def validate_subject(self, value):
        if not value.strip():
            raise ValidationError(_("Please write a subject."))
        return value.strip()

    def to_representation(self, instance):
        if not isinstance(instance, dict):
            data = super().to_representation(instance)
        else:
            # A list page's row (``COLUMNS``, ``tag_names`` and ``sla_breached``): each field's
            # own conversion, without looking the value up through a model instance's source.
            data = {
                name: None if (value := instance[key]) is None else convert(value)
                for name, key, convert in self._row_plan()
            }
        if not self._sees_targets():
            data.update(SLA_HIDDEN)
        return data

    def _sees_targets(self) -> bool:
        """Whether the caller reads the helpdesk's targets: asked once per serializer."""
        sees = self.__dict__.get("_sees")
        if sees is None:
            member = self.context.get("membership")
            sees = self._sees = member is not None and can(member, "view_internal_notes")
        return sees

    def _row_plan(self) -> list[tuple]:
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = self._plan = []
            for field in self._readable_fields:
                if isinstance(field, serializers.PrimaryKeyRelatedField):
                    plan.append((field.field_name, f"{field.source}_id", int))
                else:
                    plan.append((field.field_name, field.source, field.to_representation))
        return plan


SLA_HIDDEN = {
    "first_response_due_at": None,
    "next_response_due_at": None,
    "resolution_due_at": None,
    "sla_breached": [],
}


def with_breaches(rows, now) -> None:
    """Give list rows (values of COLUMNS) their ``sla_breached`` as of ``now``."""
    for row in rows:
        row["sla_breached"] = breached_targets(row, now)


class IdFilter(django_filters.NumberFilter):
    """An id to filter by: whole and within a bigint, else a 400 (a decimal past a bigint
    reached the database: SQLite raised OverflowError)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class TicketFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Ticket.Status.choices)
    priority = django_filters.MultipleChoiceFilter(choices=Ticket.Priority.choices)
    queue = IdFilter(field_name="queue_id")
    assignee = IdFilter(field_name="assignee_id")
    requester = IdFilter(field_name="requester_id")
    q = django_filters.CharFilter(
        method="search",
        label="The ticket's number, the requester's name or e-mail, the organization, or words "
        "of the subject and conversation (English and Hebrew)",
    )

    class Meta:
        model = Ticket
        fields = ["status", "priority", "queue", "assignee", "requester", "q"]

    def search(self, queryset, name, value):
        view = self.request.parser_context["view"]
        return queryset.search(value, member=view.membership)


class CommentSerializer(serializers.ModelSerializer):
    public = serializers.BooleanField(source="is_public", default=True)
    author = serializers.IntegerField(source="author_id", read_only=True)
    author_name = serializers.SerializerMethodField()
    body = serializers.CharField(max_length=BODY_MAX)
    status = serializers.ChoiceField(
        choices=Ticket.Status.choices,
        write_only=True,
        required=False,
        help_text="The ticket's status once the comment is made, in the same step.",
    )

    class Meta:
        model = Comment
        fields = ["id", "body", "public", "status", "author", "author_name", "created_at"]
        read_only_fields = ["id", "author", "author_name", "created_at"]

    def get_author_name(self, comment) -> str:
        return comment.author.name or _("Support team")

    def validate_body(self, value):
        if not value.strip():
            raise ValidationError(_("Write something first."))
        return value


class RatingSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class TicketViewSet(
    TicketAttachmentsMixin,
    TicketMacrosMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantScopedViewSet,
):
    """Tickets the caller may see: their own (customers), their queues' (agents), all (leads)."""

    serializer_class = TicketSerializer
    lookup_value_converter = "id"
    filterset_class = TicketFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {
        "list": "view_ticket",
        "retrieve": "view_ticket",
        "create": "submit_ticket",
        "partial_update": "view_ticket",
        "comments": "view_ticket",
        "rating": "view_ticket",
        **TicketAttachmentsMixin.action_permissions,
        **TicketMacrosMixin.action_permissions,
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Ticket.objects.none()
        return (
            Ticket.objects.visible_to(self.membership)
            .with_list_columns()
            .with_tags()
            .order_by("-created_at", "-pk")
        )

    def list(self, request, *args, **kwargs):
        """A page of tickets as rows of the serializer's columns and the page's tags, nothing
        joined and no model instances: the serializer writes rows as it writes tickets
        (``TicketSerializer.to_representation``), at a fraction of the cost per ticket."""
        rows = (
            self.filter_queryset(self.get_queryset())
            .select_related(None)
            .prefetch_related(None)
            .values(*TicketSerializer.COLUMNS)
        )
        page = self.paginate_queryset(rows)
        names: dict[int, list[str]] = {row["id"]: [] for row in page}
        tagged = (
            Ticket.tags.through.objects.filter(ticket_id__in=names)
            .order_by("tag__name")
            .values_list("ticket_id", "tag__name")
        )
        for ticket_id, name in tagged:
            names[ticket_id].append(name)
        for row in page:
            row["tag_names"] = names[row["id"]]
        with_breaches(page, timezone.now())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket, changed = self.perform_create(serializer)
        if changed:
            # Tags or an assignee set after opening: read it back as a list would.
            ticket = self.get_queryset().get(pk=ticket.pk)
        else:
            ticket.known_tags = []  # just opened: the object in hand says it all
        return Response(self.get_serializer(ticket).data, status=status.HTTP_201_CREATED)

    def perform_create(self, serializer) -> tuple[Ticket, bool]:
        """The new ticket, and whether anything changed it after it was opened."""
        data = serializer.validated_data
        member = self.membership
        requester_id = data.get("requester_id", self.request.user.pk)
        if requester_id != self.request.user.pk:
            return self._open_on_behalf(data, requester_id)
        # Priority, tags and an assignee are the helpdesk's to set; a requester's are ignored.
        works_tickets = can(member, "work_tickets")
        tags = works_tickets and data.get("tag_names")
        assignee = works_tickets and data.get("assignee")
        # Every check before the first write: a refused request leaves no ticket behind, so a
        # retry cannot duplicate it. The draft is the ticket as it will be opened.
        draft = Ticket(tenant=self.tenant, queue=data.get("queue"), requester=self.request.user)
        if tags:
            ensure(member, "change_ticket_status", draft)
        if assignee:
            ensure(member, "assign_ticket", draft)
        with transaction.atomic():
            ticket = open_ticket(
                tenant=self.tenant,
                requester=self.request.user,
                subject=data["subject"],
                description=data["description"],
                queue=data.get("queue"),
                priority=data.get("priority", Ticket.Priority.NORMAL)
                if works_tickets
                else Ticket.Priority.NORMAL,
                membership=member,
                channel=Ticket.Channel.API,
                auto_assign=not assignee,  # the caller's assignee, not the queue's turn
            )
            if tags:
                set_tags(ticket=ticket, names=data["tag_names"], by=self.request.user)
            if assignee:
                assign_ticket(ticket=ticket, assignee=data["assignee"], by=self.request.user)
        serializer.instance = ticket
        return ticket, bool(tags or assignee)

    def _open_on_behalf(self, data: dict, requester_id: int) -> tuple[Ticket, bool]:
        """Staff open a ticket for a member of the helpdesk (channel "staff"); every check
        before the first write: the right to answer for the helpdesk, a requester who is an
        active member, a queue the opener works, and the rights tags and an assignee need."""
        member, by = self.membership, self.request.user
        if not can(member, "work_tickets"):
            refuse(_("Only staff open tickets on behalf of someone else; leave out “requester”."))
        try:
            requester = requester_for(tenant=self.tenant, user_id=requester_id)
        except RequesterRefused as refusal:
            raise ValidationError({"requester": [refusal.message]}) from refusal
        draft = Ticket(tenant=self.tenant, queue=data.get("queue"), requester=requester.user)
        tags, assignee = data.get("tag_names"), data.get("assignee")
        if tags:
            ensure(member, "change_ticket_status", draft)
        if assignee:
            ensure(member, "assign_ticket", draft)
        with transaction.atomic():
            ticket = open_ticket_for(
                member=member,
                requester=requester,
                subject=data["subject"],
                description=data["description"],
                queue=data.get("queue"),
                priority=data.get("priority", Ticket.Priority.NORMAL),
            )
            if tags:
                set_tags(ticket=ticket, names=tags, by=by)
            if assignee:
                assign_ticket(ticket=ticket, assignee=assignee, by=by)
        return ticket, bool(tags or assignee)

    @extend_schema(
        responses={
            200: TicketSerializer,
            # A move the lifecycle forbids (with ``status``), or any change to a closed
            # ticket (``detail`` alone): one shape, since the first also fits the second.
            409: TICKET_CONFLICT,
        }
    )
    def partial_update(self, request, *args, **kwargs):
        ticket = self.get_object()
        serializer = self.get_serializer(ticket, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        for fixed, name in (("subject",) * 2, ("description",) * 2, ("requester_id", "requester")):
            if fixed in data and data.pop(fixed) != getattr(ticket, fixed):
                raise ValidationError({name: [_("This cannot be changed after the request.")]})
        try:
            with transaction.atomic():
                self._apply(ticket, data)
        except InvalidTransition as exc:
            return invalid_transition(exc)
        except TicketClosed as refusal:
            return ticket_closed(refusal)
        return Response(self.get_serializer(self.get_queryset().get(pk=ticket.pk)).data)

    def _apply(self, ticket: Ticket, data: dict) -> None:
        """The changed fields go to update_ticket; the requester's side may only reopen."""
        member, by = self.membership, self.request.user
        if not can(member, "work_tickets"):
            allowed = set(data) <= {"status", "subject", "description"}
            if not allowed or data.get("status", Ticket.Status.OPEN) != Ticket.Status.OPEN:
                refuse(_("As a customer you may only reopen a solved request."))
            if "status" in data and data["status"] != ticket.status:
                ensure_may_write(member, ticket)  # a reply would reopen it too
                reopen_ticket(ticket=ticket, by=by)
            return
        fields = {"tag_names": "tags"}  # the serializer's name for the tags
        changes = {fields.get(name, name): value for name, value in data.items()}
        update_ticket(
            ticket=ticket,
            member=member,
            by=by,
            changes={name: changes[name] for name in FIELD_ACTIONS if name in changes},
        )

    @extend_schema(methods=["GET"], responses={200: CommentSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request=CommentSerializer,
        responses={201: CommentSerializer, 409: TICKET_CONFLICT},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=CommentSerializer,
        filter_backends=[],  # the list's filters are not the conversation's
    )
    def comments(self, request, *args, **kwargs):
        """The conversation; customers get public replies only, never internal notes.

        A requester's reply reopens a pending or solved ticket; a closed one takes no replies.
        """
        ticket = self.get_object()
        member = self.membership
        if request.method == "GET":
            comments = Comment.objects.visible_to(member).filter(ticket=ticket)
            page = self.paginate_queryset(comments.select_related("author"))
            return self.get_paginated_response(CommentSerializer(page, many=True).data)
        payload = CommentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        is_public = payload.validated_data["is_public"]
        ensure_may_write(member, ticket, is_public=is_public)
        try:
            comment = answer_ticket(
                ticket=ticket,
                member=member,
                body=payload.validated_data["body"],
                is_public=is_public,
                changes={"status": payload.validated_data.get("status")},
            )
        except TicketClosed as refusal:
            return ticket_closed(refusal)
        except InvalidTransition as exc:
            return invalid_transition(exc)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RatingSerializer, responses={201: RatingSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"], serializer_class=RatingSerializer)
    def rating(self, request, *args, **kwargs):
        """The requester rates a solved request; a second rating replaces the first.

        A closed request's rating no longer changes (409).
        """
        ticket = self.get_object()
        if ticket.requester_id != request.user.pk:
            refuse(_("Only the person who made the request may rate it."))
        payload = RatingSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            rating = rate_ticket(ticket=ticket, by=request.user, **payload.validated_data)
        except InvalidTransition as refusal:
            return invalid_transition(refusal)
        return Response(
            {"score": rating.score, "comment": rating.comment}, status=status.HTTP_201_CREATED
        )
