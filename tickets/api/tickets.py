"""The ticket and queue API of /work/shared/API.md, under /api/v1/t/<slug>/."""

from __future__ import annotations

import django_filters
from django import forms
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, inline_serializer
from rest_framework import ISO_8601, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from accounts.access import Decision, Refused, ensure
from helpdesk.api import TenantScopedViewSet
from helpdesk.params import MAX_ID

from ..access import ensure_may_write
from ..forms import BODY_MAX, DESCRIPTION_MAX, SUBJECT_MAX, staff_users
from ..models import Comment, Queue, QueueGrant, Ticket
from ..rows import with_tag_names
from ..services import (
    InvalidTransition,
    TicketClosed,
    add_comment,
    assign_ticket,
    change_priority,
    change_status,
    create_queue,
    move_to_queue,
    open_ticket,
    rate_ticket,
    reopen_ticket,
    set_tags,
    update_queue,
)
from .attachments import TicketAttachmentsMixin
from .refusals import CLOSED, ticket_closed

CONFLICT = inline_serializer(
    "InvalidTransition",
    {
        "detail": serializers.CharField(),
        "status": serializers.ListField(child=serializers.CharField()),
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
    """Tag names in, tag names out (read from the prefetched tags)."""

    child = serializers.CharField(max_length=50)

    def get_attribute(self, instance):
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
        queues = Queue.objects.for_tenant(member.tenant)
        return queues if member.is_staff else queues.filter(is_public=True)


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
    requester = serializers.IntegerField(source="requester_id", read_only=True)
    tags = TagsField(required=False, source="tag_names")
    subject = serializers.CharField(max_length=SUBJECT_MAX)
    description = serializers.CharField(max_length=DESCRIPTION_MAX)

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
            "created_at",
            "updated_at",
            "first_response_at",
            "solved_at",
        ]
        read_only_fields = [
            "id",
            "number",
            "requester",
            "created_at",
            "updated_at",
            "first_response_at",
            "solved_at",
        ]

    def validate_subject(self, value):
        if not value.strip():
            raise ValidationError(_("Please write a subject."))
        return value.strip()


def _when(value):
    """DRF's DateTimeField output (ISO 8601 in the current time zone, "Z" for UTC)."""
    if not value:
        return None
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# What a list shows of each ticket, read as plain values (no model instances, no joins).
LIST_COLUMNS = (
    "id",
    "number",
    "subject",
    "description",
    "status",
    "priority",
    "queue_id",
    "requester_id",
    "assignee_id",
    "created_at",
    "updated_at",
    "first_response_at",
    "solved_at",
)


def ticket_list_data(rows: list[dict]) -> list[dict]:
    """What ``TicketSerializer(tickets, many=True).data`` gives, key for key, in plain Python.

    ``rows`` are ``LIST_COLUMNS`` values with their ``tags`` (tickets.rows.with_tag_names).
    A list page serializes 25-100 tickets; DRF's fields cost about 0.2 ms a ticket to say
    what these lines say. ``tests/tickets/test_api.py`` holds the two equal.
    """
    return [_ticket_data(row, row["tags"]) for row in rows]


def new_ticket_data(ticket: Ticket) -> dict:
    """What ``TicketSerializer(ticket).data`` gives for a ticket just opened, with no tags,
    from the object in hand instead of reading it again (held equal in test_api.py).
    ISO 8601 times only, as ticket_list_data."""
    return _ticket_data({name: getattr(ticket, name) for name in LIST_COLUMNS}, [])


def _ticket_data(t: dict, tags: list[str]) -> dict:
    return {
        "id": t["id"],
        "number": t["number"],
        "subject": t["subject"],
        "description": t["description"],
        "status": str(t["status"]),
        "priority": str(t["priority"]),
        "queue": t["queue_id"],
        "requester": t["requester_id"],
        "assignee": t["assignee_id"],
        "tags": tags,
        "created_at": _when(t["created_at"]),
        "updated_at": _when(t["updated_at"]),
        "first_response_at": _when(t["first_response_at"]),
        "solved_at": _when(t["solved_at"]),
    }


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
    q = django_filters.CharFilter(method="search", label="Full text over subject and conversation")

    class Meta:
        model = Ticket
        fields = ["status", "priority", "queue", "assignee", "requester", "q"]

    def search(self, queryset, name, value):
        view = self.request.parser_context["view"]
        return queryset.search(value, include_internal=view.membership.is_staff)


class CommentSerializer(serializers.ModelSerializer):
    public = serializers.BooleanField(source="is_public", default=True)
    author = serializers.IntegerField(source="author_id", read_only=True)
    author_name = serializers.SerializerMethodField()
    body = serializers.CharField(max_length=BODY_MAX)

    class Meta:
        model = Comment
        fields = ["id", "body", "public", "author", "author_name", "created_at"]
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
        if api_settings.DATETIME_FORMAT != ISO_8601:  # ticket_list_data writes ISO 8601 only
            return super().list(request, *args, **kwargs)
        tickets = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        tickets = tickets.values(*LIST_COLUMNS)
        page = self.paginate_queryset(tickets)
        rows = with_tag_names(page if page is not None else list(tickets))
        if page is not None:
            return self.get_paginated_response(ticket_list_data(rows))
        return Response(ticket_list_data(rows))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket, changed = self.perform_create(serializer)
        if changed or api_settings.DATETIME_FORMAT != ISO_8601:
            # Tags or an assignee set after opening: read it back as a list would.
            data = self.get_serializer(self.get_queryset().get(pk=ticket.pk)).data
        else:
            data = new_ticket_data(ticket)
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_create(self, serializer) -> tuple[Ticket, bool]:
        """The new ticket, and whether anything changed it after it was opened."""
        data = serializer.validated_data
        member = self.membership
        tags = member.is_staff and data.get("tag_names")
        assignee = member.is_staff and data.get("assignee")
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
                if member.is_staff
                else Ticket.Priority.NORMAL,
                membership=member,
            )
            if tags:
                set_tags(ticket=ticket, names=data["tag_names"], by=self.request.user)
            if assignee:
                assign_ticket(ticket=ticket, assignee=data["assignee"], by=self.request.user)
        serializer.instance = ticket
        return ticket, bool(tags or assignee)

    @extend_schema(
        responses={
            200: TicketSerializer,
            # A move the lifecycle forbids, or any change to a closed ticket.
            409: PolymorphicProxySerializer(
                component_name="TicketConflict",
                serializers=[CONFLICT, CLOSED],
                resource_type_field_name=None,
            ),
        }
    )
    def partial_update(self, request, *args, **kwargs):
        ticket = self.get_object()
        serializer = self.get_serializer(ticket, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        for fixed in ("subject", "description"):
            if fixed in data and data[fixed] != getattr(ticket, fixed):
                raise ValidationError({fixed: [_("This cannot be changed after the request.")]})
        try:
            with transaction.atomic():
                self._apply(ticket, data)
        except InvalidTransition as exc:
            return invalid_transition(exc)
        except TicketClosed as refusal:
            return ticket_closed(refusal)
        return Response(self.get_serializer(self.get_queryset().get(pk=ticket.pk)).data)

    def _apply(self, ticket: Ticket, data: dict) -> None:
        """Each changed field goes to its service, after its permission check."""
        member, by = self.membership, self.request.user
        if not member.is_staff:
            allowed = set(data) <= {"status", "subject", "description"}
            if not allowed or data.get("status", Ticket.Status.OPEN) != Ticket.Status.OPEN:
                refuse(_("As a customer you may only reopen a solved request."))
            if "status" in data and data["status"] != ticket.status:
                ensure_may_write(member, ticket)  # a reply would reopen it too
                reopen_ticket(ticket=ticket, by=by)
            return
        current_tags = sorted(t.name for t in ticket.tags.all())
        if "priority" in data and data["priority"] != ticket.priority:
            ensure(member, "change_ticket_status", ticket)
            change_priority(ticket=ticket, to=data["priority"], by=by)
        if "queue" in data and data["queue"] != ticket.queue:
            ensure(member, "assign_ticket", ticket)
            move_to_queue(ticket=ticket, queue=data["queue"], by=by)
        if "assignee" in data and data["assignee"] != ticket.assignee:
            ensure(member, "assign_ticket", ticket)
            assign_ticket(ticket=ticket, assignee=data["assignee"], by=by)
        if "tag_names" in data and sorted(set(data["tag_names"])) != current_tags:
            ensure(member, "change_ticket_status", ticket)
            set_tags(ticket=ticket, names=data["tag_names"], by=by)
        if "status" in data and data["status"] != ticket.status:
            ensure(member, "change_ticket_status", ticket)
            change_status(ticket=ticket, to=data["status"], by=by)

    @extend_schema(methods=["GET"], responses={200: CommentSerializer(many=True)})
    @extend_schema(
        methods=["POST"], request=CommentSerializer, responses={201: CommentSerializer, 409: CLOSED}
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
            comments = (
                Comment.objects.for_tenant(self.tenant)
                .filter(ticket=ticket)
                .select_related("author")
            )
            if not member.is_staff:
                comments = comments.filter(is_public=True)
            page = self.paginate_queryset(comments)
            return self.get_paginated_response(CommentSerializer(page, many=True).data)
        payload = CommentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        is_public = payload.validated_data["is_public"]
        ensure_may_write(member, ticket, is_public=is_public)
        try:
            comment = add_comment(
                ticket=ticket,
                author=request.user,
                body=payload.validated_data["body"],
                is_public=is_public,
            )
        except TicketClosed as refusal:
            return ticket_closed(refusal)
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


# -------------------------------------------------------------------------------- queues


class QueueSerializer(serializers.ModelSerializer):
    agents = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )
    name = serializers.CharField(max_length=80)

    class Meta:
        model = Queue
        fields = ["id", "name", "description", "is_public", "agents"]
        read_only_fields = ["id"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        member = self.context.get("membership")
        # Who works a queue is staff business; customers see the queue only.
        data["agents"] = (
            sorted(g.user_id for g in instance.grants.all()) if member and member.is_staff else []
        )
        return data

    def validate_name(self, value):
        value = value.strip()
        if not value:
            raise ValidationError(_("A queue needs a name."))
        taken = Queue.objects.for_tenant(self.context["tenant"]).filter(name__iexact=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("There is already a queue with this name."))
        return value

    def validate_agents(self, value):
        users = {u.pk: u for u in staff_users(self.context["tenant"]).filter(pk__in=value)}
        unknown = sorted(set(value) - set(users))
        if unknown:
            raise ValidationError(
                _("These are not staff of this helpdesk: %(ids)s")
                % {"ids": ", ".join(map(str, unknown))}
            )
        return [users[pk] for pk in dict.fromkeys(value)]


class QueueViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantScopedViewSet,
):
    """Queues: every member lists them (customers the portal's); managers create and edit."""

    serializer_class = QueueSerializer
    lookup_value_converter = "id"
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {
        "create": "manage_queues",
        "partial_update": "manage_queues",
        "update": "manage_queues",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Queue.objects.none()
        queues = Queue.objects.for_tenant(self.tenant).prefetch_related(
            Prefetch("grants", queryset=QueueGrant.objects.only("queue_id", "user_id"))
        )
        if not self.membership.is_staff:
            queues = queues.filter(is_public=True)
        return queues

    def perform_create(self, serializer):
        data = serializer.validated_data
        with transaction.atomic():
            queue = create_queue(
                tenant=self.tenant,
                name=data["name"],
                description=data.get("description", ""),
                is_public=data.get("is_public", True),
                by=self.request.user,
            )
            if "agents" in data:
                update_queue(queue=queue, agents=data["agents"], by=self.request.user)
        serializer.instance = self.get_queryset().get(pk=queue.pk)

    def perform_update(self, serializer):
        data = serializer.validated_data
        queue = update_queue(
            queue=serializer.instance,
            by=self.request.user,
            name=data.get("name"),
            description=data.get("description"),
            is_public=data.get("is_public"),
            agents=data.get("agents"),
        )
        serializer.instance = self.get_queryset().get(pk=queue.pk)
