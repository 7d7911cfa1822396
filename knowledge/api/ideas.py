"""The ideas box in the API: suggesting, voting, answering."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.viewsets import TenantScopedViewSet

from .. import services
from ..models import (
    Idea,
)


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
