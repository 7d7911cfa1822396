"""Articles in the API: the ones the caller may read; writers create and change them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.models import Membership, Role
from accounts.viewsets import TenantScopedViewSet

from .. import services
from ..models import (
    Article,
    Category,
)


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
