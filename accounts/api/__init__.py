"""The people API under /api/v1/t/<slug>/: the caller, sign-up, joining rules, approvals,
invitations, roles and the audit log. (The directory and "why can't I?", which read tickets
and queues, are people.api.)

One module per concern; every name is re-exported here, so ``from accounts.api import X`` and
``api.X`` in the URL conf work wherever X lives."""

# The private helpers (``_x as _x``) stay importable here as before; __all__ lists the rest.
from .audit import AuditEntrySerializer, AuditLogViewSet, audit_entries
from .audit import _day as _day
from .base import OrganizationField, RoleKeyField, SignUpThrottle
from .base import _bad_input as _bad_input
from .base import _refuse as _refuse
from .identity_providers import IdentityProviderSerializer, IdentityProviderViewSet
from .invitations import (
    AcceptInput,
    AcceptInvitationView,
    AcceptOutput,
    InvitationSerializer,
    InvitationViewSet,
)
from .joining import (
    ApprovalSerializer,
    ApprovalViewSet,
    JoiningRuleSerializer,
    JoiningRuleViewSet,
    JoiningTestOutput,
)
from .people import MeSerializer, MeViewSet
from .registration import RegisterInput, RegisterView, StatusOutput, VerifyInput, VerifyView
from .registration import _open_door as _open_door
from .roles import RoleSerializer, RoleViewSet

__all__ = [
    "IdentityProviderSerializer",
    "IdentityProviderViewSet",
    "AcceptInput",
    "AcceptInvitationView",
    "AcceptOutput",
    "ApprovalSerializer",
    "ApprovalViewSet",
    "AuditEntrySerializer",
    "AuditLogViewSet",
    "InvitationSerializer",
    "InvitationViewSet",
    "JoiningRuleSerializer",
    "JoiningRuleViewSet",
    "JoiningTestOutput",
    "MeSerializer",
    "MeViewSet",
    "OrganizationField",
    "RegisterInput",
    "RegisterView",
    "RoleKeyField",
    "RoleSerializer",
    "RoleViewSet",
    "SignUpThrottle",
    "StatusOutput",
    "VerifyInput",
    "VerifyView",
    "audit_entries",
]
