"""What the people API's modules share: refusals, bad input, role and organization fields,
the sign-up throttle."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError

from core.throttles import ScopedThrottle

from ..models import Organization, Role

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
