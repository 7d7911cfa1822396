"""REST API of knowledge: thin viewsets over the same QuerySets and services as the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.access import can, ensure
from accounts.models import Membership, Role
from helpdesk.api import TenantScopedViewSet
from tickets.models import Rating

from . import services
from .models import (
    Announcement,
    AnnouncementRead,
    Article,
    Category,
    Deflection,
    Idea,
    ThankYouNote,
    kudos_ratings,
)
from .services import KnowledgeError

# ---------------------------------------------------------------- articles


class ArticleSerializer(serializers.ModelSerializer):
    category = serializers.CharField(
        source="category.name", default=None, read_only=True, allow_null=True
    )
    owner = serializers.EmailField(source="owner.email", default=None, read_only=True)
    roles = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id",
            "slug",
            "title",
            "body",
            "audience",
            "roles",
            "category",
            "owner",
            "is_published",
            "url",
            "created_at",
            "updated_at",
            "reviewed_at",
        ]
        read_only_fields = fields

    def get_roles(self, article) -> list[str]:
        return [r.key for r in article.roles.all()]

    def get_url(self, article) -> str:
        return reverse("knowledge:article", args=[self.context["tenant"].slug, article.slug])


class ArticleInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=100_000)
    audience = serializers.ChoiceField(choices=Article.Audience.choices)
    roles = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    category = serializers.IntegerField(required=False, allow_null=True, default=None)
    owner = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="User id of a staff member.",
    )
    is_published = serializers.BooleanField(required=False, default=True)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)

    def validate(self, data):
        tenant = self.context["tenant"]
        roles = list(Role.objects.for_tenant(tenant).filter(key__in=data.get("roles", [])))
        if len(roles) != len(set(data.get("roles", []))):
            raise ValidationError({"roles": [_("Unknown role.")]})
        if data.get("audience") == Article.Audience.ROLES and not roles:
            raise ValidationError({"roles": [_("Choose at least one role for this audience.")]})
        data["roles"] = roles
        if data.get("category") is not None:
            category = Category.objects.for_tenant(tenant).filter(pk=data["category"]).first()
            if category is None:
                raise ValidationError({"category": [_("No such category.")]})
            data["category"] = category
        if data.get("owner") is not None:
            owner = (
                Membership.objects.for_tenant(tenant)
                .active()
                .staff()
                .filter(user_id=data["owner"])
                .select_related("user")
                .first()
            )
            if owner is None:
                raise ValidationError({"owner": [_("The owner must be staff of this helpdesk.")]})
            data["owner"] = owner.user
        return data


class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    """Articles the caller may read (the audience rule); writers create and change them."""

    lookup_value_converter = "id"
    serializer_class = ArticleSerializer
    action_permissions = {
        "create": "manage_articles",
        "partial_update": "manage_articles",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Article.objects.none()
        articles = (
            Article.objects.visible_to(self.membership)
            .select_related("category", "owner")
            .prefetch_related("roles")
        )
        query = self.request.query_params.get("q", "").strip()
        return articles.search(query) if query else articles.order_by("title")

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Full-text search.", required=False)]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ArticleInput, responses={201: ArticleSerializer})
    def create(self, request, *args, **kwargs):
        payload = ArticleInput(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        article = services.save_article(
            tenant=self.tenant, by=request.user, **payload.validated_data
        )
        return Response(
            ArticleSerializer(article, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ArticleInput, responses=ArticleSerializer)
    def partial_update(self, request, *args, **kwargs):
        article = self.get_object()
        current = {
            "title": article.title,
            "body": article.body,
            "audience": article.audience,
            "roles": [r.key for r in article.roles.all()],
            "category": article.category_id,
            "owner": article.owner_id,
            "is_published": article.is_published,
        }
        payload = ArticleInput(
            data={**current, **request.data}, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        article = services.save_article(
            tenant=self.tenant,
            by=request.user,
            article=article,
            **payload.validated_data,
        )
        article = self.get_queryset().get(pk=article.pk)
        return Response(ArticleSerializer(article, context=self.get_serializer_context()).data)


# ---------------------------------------------------------------- suggestions and deflections


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()


class SuggestionViewSet(TenantScopedViewSet):
    """Up to five of the caller's articles that match what they are typing."""

    serializer_class = SuggestionSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Article.objects.none()
        return Article.objects.visible_to(self.membership)

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="What the caller typed.")],
        responses=SuggestionSerializer(many=True),
    )
    def list(self, request, *args, **kwargs):
        query = request.query_params.get("q", "")[:500]
        articles = self.get_queryset().search(query)[:5] if query.strip() else []
        data = [
            {
                "id": a.pk,
                "title": a.title,
                "url": reverse("knowledge:article", args=[self.tenant.slug, a.slug]),
            }
            for a in articles
        ]
        return Response(SuggestionSerializer(data, many=True).data)


class DeflectionSerializer(serializers.ModelSerializer):
    article = serializers.IntegerField(source="article_id")

    class Meta:
        model = Deflection
        fields = ["id", "article", "query", "created_at"]
        read_only_fields = ["id", "created_at"]


class DeflectionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, TenantScopedViewSet):
    """POST: “this article solved my problem” (no request is opened). GET: writers see them."""

    serializer_class = DeflectionSerializer
    action_permissions = {"list": "manage_articles"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Deflection.objects.none()
        return Deflection.objects.for_tenant(self.tenant).order_by("-created_at")

    def perform_create(self, serializer):
        article = get_object_or_404(
            Article.objects.visible_to(self.membership),
            pk=serializer.validated_data["article_id"],
        )
        serializer.instance = services.record_deflection(
            member=self.membership,
            article=article,
            query=serializer.validated_data.get("query", ""),
        )


# ---------------------------------------------------------------- announcements


class AnnouncementSerializer(serializers.ModelSerializer):
    roles = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    author = serializers.CharField(source="author.get_full_name", default=None, read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Announcement
        fields = [
            "id",
            "title",
            "body",
            "audience",
            "roles",
            "send_email",
            "author",
            "published_at",
            "is_read",
        ]
        read_only_fields = fields


class AnnouncementInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=20_000)
    audience = serializers.ChoiceField(choices=Announcement.Audience.choices)
    roles = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    send_email = serializers.BooleanField(required=False, default=False)

    def validate(self, data):
        keys = set(data.get("roles", []))
        roles = list(Role.objects.for_tenant(self.context["tenant"]).filter(key__in=keys))
        if len(roles) != len(keys):
            raise ValidationError({"roles": [_("Unknown role.")]})
        if data["audience"] == Announcement.Audience.ROLES and not roles:
            raise ValidationError(
                {"roles": [_("Choose at least one role, or send it to everyone.")]}
            )
        data["roles"] = roles
        return data


class ReaderSerializer(serializers.Serializer):
    membership = serializers.IntegerField()
    name = serializers.CharField()
    read_at = serializers.DateTimeField(allow_null=True)


class AnnouncementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    """Announcements for the caller (publishers see all of them), and who has read them."""

    lookup_value_converter = "id"
    serializer_class = AnnouncementSerializer
    action_permissions = {
        "create": "publish_announcements",
        "readers": "publish_announcements",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Announcement.objects.none()
        if can(self.membership, "publish_announcements") and self.action != "read":
            announcements = Announcement.objects.for_tenant(self.tenant)
        else:
            announcements = Announcement.objects.visible_to(self.membership)
        return announcements.with_read_state(self.membership).prefetch_related("roles")

    @extend_schema(request=AnnouncementInput, responses={201: AnnouncementSerializer})
    def create(self, request, *args, **kwargs):
        payload = AnnouncementInput(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        announcement = services.publish_announcement(
            tenant=self.tenant, by=request.user, **payload.validated_data
        )
        announcement = self.get_queryset().get(pk=announcement.pk)
        return Response(AnnouncementSerializer(announcement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AnnouncementSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, *args, **kwargs):
        """Mark the announcement as read (its banner goes away)."""
        announcement = self.get_object()
        services.mark_announcement_read(announcement=announcement, membership=self.membership)
        return Response(AnnouncementSerializer(self.get_queryset().get(pk=announcement.pk)).data)

    @extend_schema(responses=ReaderSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def readers(self, request, *args, **kwargs):
        """Everyone the announcement is for, and when they read it."""
        announcement = self.get_object()
        reads = dict(
            AnnouncementRead.objects.for_tenant(self.tenant)
            .filter(announcement=announcement)
            .values_list("membership_id", "read_at")
        )
        rows = [
            {
                "membership": m.pk,
                "name": m.user.get_full_name(),
                "read_at": reads.get(m.pk),
            }
            for m in services.announcement_recipients(announcement)
        ]
        return Response(ReaderSerializer(rows, many=True).data)


# ---------------------------------------------------------------- ideas


class IdeaSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField(
        help_text="The author's name; null when the author is another customer."
    )
    votes = serializers.IntegerField(source="n_votes", read_only=True)
    voted = serializers.BooleanField(read_only=True)

    class Meta:
        model = Idea
        fields = [
            "id",
            "title",
            "body",
            "status",
            "audience",
            "answer",
            "author",
            "votes",
            "voted",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "answer",
            "author",
            "votes",
            "voted",
            "created_at",
        ]

    def get_author(self, idea) -> str | None:
        if idea.author is None or not getattr(idea, "author_named", True):
            return None
        return idea.author.get_full_name()


class AnswerInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Idea.Status.choices)
    answer = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)


class IdeaViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    TenantScopedViewSet,
):
    """The ideas box: every member suggests and votes; admins answer."""

    lookup_value_converter = "id"
    serializer_class = IdeaSerializer
    action_permissions = {"answer": "answer_ideas"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Idea.objects.none()
        return Idea.objects.visible_to(self.membership).with_votes(self.membership)

    def perform_create(self, serializer):
        idea = services.suggest_idea(membership=self.membership, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=idea.pk)

    @extend_schema(request=None, responses=IdeaSerializer)
    @action(detail=True, methods=["post"])
    def vote(self, request, *args, **kwargs):
        """Vote for the idea, or take the vote back (one vote per member)."""
        idea = self.get_object()
        services.toggle_vote(idea=idea, membership=self.membership)
        return Response(IdeaSerializer(self.get_queryset().get(pk=idea.pk)).data)

    @extend_schema(request=AnswerInput, responses=IdeaSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        """Set the idea's status and the admin's answer."""
        idea = self.get_object()
        payload = AnswerInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.answer_idea(idea=idea, by=self.membership, **payload.validated_data)
        return Response(IdeaSerializer(self.get_queryset().get(pk=idea.pk)).data)


# ---------------------------------------------------------------- kudos


class KudosSerializer(serializers.ModelSerializer):
    ticket = serializers.IntegerField(source="ticket.number", read_only=True)

    class Meta:
        model = Rating
        fields = ["id", "score", "comment", "ticket", "updated_at"]
        read_only_fields = fields


class KudosViewSet(mixins.ListModelMixin, TenantScopedViewSet):
    """Good ratings with a comment that the caller earned."""

    serializer_class = KudosSerializer
    required_action = "view_kudos"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Rating.objects.none()
        return (
            kudos_ratings(self.tenant)
            .filter(agent_id=self.membership.user_id)
            .select_related("ticket")
            .order_by("-updated_at")
        )


class ThankYouNoteSerializer(serializers.ModelSerializer):
    agent = serializers.IntegerField(write_only=True, help_text="Membership id of the agent.")
    to = serializers.CharField(source="to_user.get_full_name", read_only=True)
    sender = serializers.CharField(source="from_user.get_full_name", default=None, read_only=True)

    class Meta:
        model = ThankYouNote
        fields = ["id", "agent", "to", "sender", "message", "created_at"]
        read_only_fields = ["id", "to", "sender", "created_at"]


class ThankYouNoteViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, TenantScopedViewSet):
    """Thank-you notes to the caller; supervisors send them to agents."""

    serializer_class = ThankYouNoteSerializer
    action_permissions = {"list": "view_kudos", "create": "thank_agents"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ThankYouNote.objects.none()
        return (
            ThankYouNote.objects.for_tenant(self.tenant)
            .for_agent(self.membership.user)
            .select_related("to_user")
        )

    def perform_create(self, serializer):
        ensure(self.membership, "thank_agents")
        agent = get_object_or_404(
            Membership.objects.for_tenant(self.tenant).active().select_related("user"),
            pk=serializer.validated_data["agent"],
        )
        try:
            serializer.instance = services.thank_agent(
                by=self.membership,
                agent=agent,
                message=serializer.validated_data["message"],
            )
        except KnowledgeError as error:
            raise ValidationError({"agent": [str(error)]}) from error
