"""The audit log: who changed what, when, before and after."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers

from accounts.viewsets import TenantScopedViewSet
from core.params import object_id

from ..models import AuditEntry
from .base import _bad_input

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
