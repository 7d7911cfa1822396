"""Tenants, people, roles, memberships, joining (rules, invitations, sign-ups), the audit log,
API tokens and identity providers: data and reads.

One module per concern; every name is re-exported here, so ``from accounts.models import X``
works wherever X lives (and Django finds every model under the ``accounts`` app, the
``AUTH_USER_MODEL`` "accounts.User" among them)."""

from __future__ import annotations

from .absences import Absence, AbsenceQuerySet, resolve_cover
from .audit import AuditEntry, AuditEntryQuerySet
from .data_requests import DataRequest, DataRequestQuerySet
from .joining import (
    Invitation,
    InvitationQuerySet,
    JoiningRule,
    JoiningRuleQuerySet,
    SignUp,
    SignUpQuerySet,
)
from .memberships import AccessRequest, AccessRequestQuerySet, Membership, MembershipQuerySet
from .roles import Role
from .sso import IdentityProvider, IdentityProviderQuerySet, SsoIdentity
from .tenants import Organization, Tenant
from .tokens import ApiToken, ApiTokenQuerySet
from .users import User, UserManager, normal_address

__all__ = [
    "Absence",
    "AbsenceQuerySet",
    "AccessRequest",
    "AccessRequestQuerySet",
    "ApiToken",
    "ApiTokenQuerySet",
    "AuditEntry",
    "AuditEntryQuerySet",
    "DataRequest",
    "DataRequestQuerySet",
    "IdentityProvider",
    "IdentityProviderQuerySet",
    "Invitation",
    "InvitationQuerySet",
    "JoiningRule",
    "JoiningRuleQuerySet",
    "Membership",
    "MembershipQuerySet",
    "Organization",
    "Role",
    "SignUp",
    "SignUpQuerySet",
    "SsoIdentity",
    "Tenant",
    "User",
    "UserManager",
    "normal_address",
    "resolve_cover",
]
