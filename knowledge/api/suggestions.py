"""Article suggestions while a customer types, and the deflections they lead to."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.response import Response

from accounts.viewsets import TenantScopedViewSet

from .. import services
from ..models import (
    Article,
    Deflection,
)


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
