"""Writes with rules for tenants, people and roles. Views, commands and tasks call these.

One module per concern; every name is re-exported here, so ``from accounts.services import X``
works wherever X lives."""

from __future__ import annotations

from .absences import cancel_absence, set_absence, today_in
from .access_requests import decide_access_request, request_access
from .audit import record_audit
from .base import NotPermitted
from .base import _membership_of as _membership_of  # importable here as before
from .invitations import (
    INVITATION_DAYS,
    accept_invitation,
    find_invitation,
    hash_token,
    invitation_refusal,
    invite,
    invite_many,
    parse_invitation_csv,
    revoke_invitation,
    send_invitation,
)
from .joining import (
    JoinOutcome,
    accepts_sign_ups,
    add_joining_rule,
    approve_registration,
    approvers_of,
    change_joining_rule,
    check_address,
    delete_joining_rule,
    join_as_user,
    joining_outcome,
    register_sign_up_waiting_listener,
    reject_registration,
    send_registration_decision,
    split_groups,
    tell_approvers_of_waiting_sign_up,
    unreachable_rules,
)
from .memberships import (
    change_membership,
    check_membership_change,
    expire_memberships,
    set_capacity,
)
from .roles import change_role_template, check_role_change, create_role, delete_role
from .sso import (
    SsoRefused,
    add_identity_provider,
    change_identity_provider,
    check_issuer,
    delete_identity_provider,
    sign_in_through_provider,
)
from .tenants import (
    TENANT_SETTINGS,
    add_member,
    create_tenant,
    ensure_builtin_roles,
    find_or_create_user,
    give_admins_every_action,
    resolve_tenant,
    touch_last_seen,
    update_tenant_settings,
)
from .two_factor import reset_two_factor, send_two_factor_reset_mail

__all__ = [
    "cancel_absence",
    "set_absence",
    "set_capacity",
    "today_in",
    "reset_two_factor",
    "send_two_factor_reset_mail",
    "SsoRefused",
    "add_identity_provider",
    "change_identity_provider",
    "check_issuer",
    "delete_identity_provider",
    "sign_in_through_provider",
    "INVITATION_DAYS",
    "JoinOutcome",
    "NotPermitted",
    "TENANT_SETTINGS",
    "accept_invitation",
    "accepts_sign_ups",
    "add_joining_rule",
    "add_member",
    "approve_registration",
    "approvers_of",
    "change_joining_rule",
    "change_membership",
    "change_role_template",
    "check_address",
    "check_membership_change",
    "check_role_change",
    "create_role",
    "create_tenant",
    "decide_access_request",
    "delete_joining_rule",
    "delete_role",
    "ensure_builtin_roles",
    "expire_memberships",
    "find_invitation",
    "find_or_create_user",
    "give_admins_every_action",
    "hash_token",
    "invitation_refusal",
    "invite",
    "invite_many",
    "join_as_user",
    "joining_outcome",
    "parse_invitation_csv",
    "record_audit",
    "register_sign_up_waiting_listener",
    "reject_registration",
    "request_access",
    "resolve_tenant",
    "revoke_invitation",
    "send_invitation",
    "send_registration_decision",
    "tell_approvers_of_waiting_sign_up",
    "split_groups",
    "touch_last_seen",
    "unreachable_rules",
    "update_tenant_settings",
]
