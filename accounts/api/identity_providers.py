"""Identity providers (single sign-on, OpenID Connect), for admins: ``identity-providers/``
and ``identity-providers/<id>/`` (/work/shared/API.md). The client secret is write-only (or
``client_secret_env``, the environment variable that holds it); an issuer must be https."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers
from rest_framework.exceptions import ValidationError

from accounts.viewsets import TenantScopedViewSet

from ..models import IdentityProvider
from ..services import (
    add_identity_provider,
    change_identity_provider,
    check_issuer,
    delete_identity_provider,
)
from .base import _bad_input

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class IdentityProviderSerializer(serializers.ModelSerializer):
    client_secret = serializers.CharField(
        write_only=True, required=False, max_length=1000, trim_whitespace=False
    )
    client_secret_env = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=100
    )
    issuer = serializers.CharField(max_length=300)
    domains = serializers.ListField(
        child=serializers.CharField(max_length=120), required=False, max_length=50
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "id",
            "name",
            "issuer",
            "client_id",
            "client_secret",
            "client_secret_env",
            "domains",
            "required_for_staff",
        ]
        read_only_fields = ["id"]

    def validate_issuer(self, value):
        try:
            return check_issuer(value)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict["issuer"]) from None

    def validate_client_secret_env(self, value):
        if value and not ENV_NAME.match(value):
            raise ValidationError(_("Name an environment variable: letters, digits and _."))
        return value


class IdentityProviderViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TenantScopedViewSet,
):
    """The helpdesk's OpenID Connect providers; admins only."""

    serializer_class = IdentityProviderSerializer
    lookup_value_converter = "id"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    required_action = "manage_joining_rules"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return IdentityProvider.objects.none()
        return IdentityProvider.objects.for_tenant(self.tenant).order_by("name", "pk")

    def perform_create(self, serializer):
        try:
            serializer.instance = add_identity_provider(
                tenant=self.tenant, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            _bad_input(error)

    def perform_update(self, serializer):
        try:
            serializer.instance = change_identity_provider(
                provider=serializer.instance, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            _bad_input(error)

    def perform_destroy(self, instance):
        delete_identity_provider(provider=instance, by=self.request.user)
