"""The people API under /api/v1/t/<slug>/: the caller, sign-up, joining rules, approvals,
invitations, the directory, roles, "why can't I?" and the audit log.

One module per concern; every name is re-exported here, so ``from accounts.api import X`` and
``api.X`` in the URL conf work wherever X lives."""

# The private helpers (``_x as _x``) stay importable here as before; __all__ lists the rest.
from .audit import AuditEntrySerializer, AuditLogViewSet, audit_entries
from .audit import _day as _day
from .base import OrganizationField, RoleKeyField, SignUpThrottle
from .base import _bad_input as _bad_input
from .base import _refuse as _refuse
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
from .people import MeSerializer, MeViewSet, PersonSerializer, UserViewSet
from .registration import RegisterInput, RegisterView, StatusOutput, VerifyInput, VerifyView
from .registration import _open_door as _open_door
from .roles import ExplainOutput, ExplainViewSet, RoleSerializer, RoleViewSet

__all__ = [
    "AcceptInput",
    "AcceptInvitationView",
    "AcceptOutput",
    "ApprovalSerializer",
    "ApprovalViewSet",
    "AuditEntrySerializer",
    "AuditLogViewSet",
    "ExplainOutput",
    "ExplainViewSet",
    "InvitationSerializer",
    "InvitationViewSet",
    "JoiningRuleSerializer",
    "JoiningRuleViewSet",
    "JoiningTestOutput",
    "MeSerializer",
    "MeViewSet",
    "OrganizationField",
    "PersonSerializer",
    "RegisterInput",
    "RegisterView",
    "RoleKeyField",
    "RoleSerializer",
    "RoleViewSet",
    "SignUpThrottle",
    "StatusOutput",
    "UserViewSet",
    "VerifyInput",
    "VerifyView",
    "audit_entries",
]
