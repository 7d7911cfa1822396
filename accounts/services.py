"""Writes with rules for tenants, people and roles. Views, commands and tasks call these."""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from helpdesk.mail import subject_line
from outbox.services import enqueue

from .actions import ACTIONS, BUILTIN_ROLES, SCOPES
from .disposable import is_disposable
from .granting import check_grant
from .models import (
    AccessRequest,
    AuditEntry,
    Invitation,
    JoiningRule,
    Membership,
    Organization,
    Role,
    Tenant,
    User,
    normal_address,
)

INVITATION_DAYS = 7


def record_audit(
    *, tenant: Tenant, actor: User | None, action: str, target, before=None, after=None
) -> AuditEntry:
    """Append one entry to the tenant's audit log."""
    return AuditEntry.objects.create(
        tenant=tenant,
        actor=actor,
        action=action,
        target_type=target._meta.model_name,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        before=before,
        after=after,
    )


def ensure_builtin_roles(*, tenant: Tenant) -> dict[str, Role]:
    roles = {}
    for key, template in BUILTIN_ROLES.items():
        roles[key], _ = Role.objects.get_or_create(
            tenant=tenant,
            key=key,
            defaults={
                "name": str(template["name"]),
                "description": str(template["description"]),
                "permissions": list(template["permissions"]),
                "scope": template["scope"],
                "is_builtin": True,
            },
        )
    return roles


def give_admins_every_action(**kwargs) -> int:
    """Keep every built-in admin role holding every action, new ones included.

    Connected to ``post_migrate``: a release that adds an action reaches the admins of existing
    helpdesks when it is migrated. Other built-in roles are the admins' to shape; a release that
    wants to add an action to them says so in a data migration.
    """
    return Role.objects.filter(is_builtin=True, key="admin").update(permissions=list(ACTIONS))


@transaction.atomic
def create_tenant(
    *,
    slug: str,
    name: str,
    admin_email: str | None = None,
    admin_password: str | None = None,
    admin_name: str = "",
) -> Tenant:
    """A new helpdesk with its built-in roles and, optionally, its first admin.

    A new tenant has no joining rules, so it is invitation-only until an admin opens it.
    """
    tenant = Tenant.objects.create(slug=slug, name=name)
    roles = ensure_builtin_roles(tenant=tenant)
    if admin_email:
        user = find_or_create_user(
            email=admin_email, password=admin_password, name=admin_name, verified=True
        )
        add_member(tenant=tenant, user=user, role=roles["admin"], by=None)
    return tenant


def find_or_create_user(
    *, email: str, password: str | None = None, name: str = "", verified: bool = False
) -> User:
    """``verified``: the caller vouches for the address (the operator's command, the demo)."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=password,
            name=name,
            email_verified_at=timezone.now() if verified else None,
        )
    return user


def add_member(
    *,
    tenant: Tenant,
    user: User,
    role: Role,
    by: User | None,
    organization: Organization | None = None,
    status: str = Membership.Status.ACTIVE,
) -> Membership:
    membership = Membership.objects.create(
        tenant=tenant, user=user, role=role, organization=organization, status=status
    )
    record_audit(
        tenant=tenant,
        actor=by,
        action="membership.created",
        target=membership,
        after={
            "role": role.key,
            "status": status,
            "organization": organization.name if organization else None,
        },
    )
    return membership


def resolve_tenant(*, slug: str, user) -> tuple[Tenant | None, Membership | None]:
    """The helpdesk at ``slug`` and the user's membership in it, whatever its status (the
    refusal explains it). Every request to a helpdesk asks this: a member's answer is one query
    (the membership with its tenant), an outsider's one more for the tenant alone."""
    if user.is_authenticated:
        found = (
            # Scoped by the slug's tenant as for_tenant would scope by its row. One row at
            # most (a person has one membership per tenant): no ORDER BY to build or run.
            Membership.objects.filter(tenant__slug=slug, user=user)
            .select_related("tenant", "role", "organization")
            .order_by()[:1]
        )
        membership = next(iter(found), None)
        if membership is not None:
            membership.user = getattr(user, "_wrapped", user)  # the User behind request.user
            return membership.tenant, membership
    return Tenant.objects.filter(slug=slug).first(), None


def touch_last_seen(*, membership: Membership, every_seconds: int = 300) -> None:
    """Record activity, at most once per few minutes so that browsing costs no write."""
    now = timezone.now()
    seen = membership.last_seen_at
    if seen is None or (now - seen).total_seconds() > every_seconds:
        Membership.objects.filter(pk=membership.pk).update(last_seen_at=now)
        membership.last_seen_at = now


# --- Refusals -------------------------------------------------------------------------------


class NotPermitted(Exception):  # noqa: N818 (a refusal with words, not a crash)
    """A write the rules refuse; ``message`` says why in words a person understands."""

    def __init__(self, message: str, reasons: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.reasons = reasons or [message]


# --- Joining rules and sign-up --------------------------------------------------------------


@dataclass(frozen=True)
class JoinOutcome:
    outcome: str  # "active", "pending" or "refused"
    rule: JoiningRule | None
    reason: str

    @property
    def role(self) -> Role | None:
        return self.rule.role if self.rule else None


def joining_outcome(*, tenant: Tenant, email: str) -> JoinOutcome:
    """What happens when ``email`` joins, once its owner has proved it. The one decision that
    the dry run (page and API) shows and the sign-up makes: an address that is not valid or
    comes from a throw-away provider is refused, an open invitation is the way in for its
    address, else the first matching rule decides."""
    email = normal_address(email)
    try:
        validate_email(email)
    except ValidationError:
        return JoinOutcome("refused", None, _("This is not a valid e-mail address."))
    if is_disposable(email):
        return JoinOutcome(
            "refused", None, _("Addresses from throw-away e-mail providers cannot join.")
        )
    if Invitation.objects.for_tenant(tenant).open().filter(email__iexact=email).exists():
        # The invitation carries the role an admin chose; a sign-up would take another one.
        return JoinOutcome(
            "refused",
            None,
            _(
                "An invitation to %(tenant)s waits for this address: join through the link in "
                "its e-mail (an admin can send it again)."
            )
            % {"tenant": tenant.name},
        )
    rules = list(JoiningRule.objects.for_tenant(tenant).in_order())
    for rule in rules:
        if rule.matches(email):
            if rule.requires_approval:
                return JoinOutcome(
                    "pending",
                    rule,
                    _("Rule %(rule)s decides: %(role)s, after an admin approves.")
                    % {"rule": rule.position, "role": rule.role},
                )
            return JoinOutcome(
                "active",
                rule,
                _("Rule %(rule)s decides: %(role)s, straight away.")
                % {"rule": rule.position, "role": rule.role},
            )
    if not rules:
        reason = _("%(tenant)s is invitation-only: ask an admin for an invitation.")
    else:
        reason = _(
            "No joining rule of %(tenant)s lets this address sign up: ask an admin for an "
            "invitation."
        )
    return JoinOutcome("refused", None, reason % {"tenant": tenant.name})


def accepts_sign_ups(tenant: Tenant) -> bool:
    """Whether any rule could admit someone: an invitation-only tenant has no door but its
    invitation links, and shows outsiders nothing (the same 404 as an unknown slug)."""
    return JoiningRule.objects.for_tenant(tenant).exists()


def check_address(email: str) -> str:
    """A well-formed address from a real provider, lower-cased; else a 400 on ``email``."""
    email = normal_address(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from None
    if is_disposable(email):
        raise ValidationError(
            {"email": [_("Addresses from throw-away e-mail providers cannot join.")]}
        )
    return email


def _membership_of(tenant: Tenant, user: User) -> Membership | None:
    return Membership.objects.for_tenant(tenant).filter(user=user).first()


@transaction.atomic
def join_as_user(*, tenant: Tenant, user: User) -> tuple[JoinOutcome, Membership | None]:
    """A person whose address is proved joins a helpdesk: its joining rules decide. Answers
    the outcome and the membership made (None when refused). accounts.verification calls
    this once a sign-up's link is followed; a signed-in person with a proved address joins
    straight through it."""
    if not user.email_verified:
        raise NotPermitted(_("Confirm your e-mail address first."))
    if _membership_of(tenant, user) is not None:
        raise NotPermitted(_("You already belong to %(tenant)s.") % {"tenant": tenant.name})
    outcome = joining_outcome(tenant=tenant, email=user.email)
    if outcome.outcome == "refused":
        return outcome, None
    return outcome, _join(tenant=tenant, user=user, outcome=outcome)


def _join(*, tenant: Tenant, user: User, outcome: JoinOutcome) -> Membership:
    rule = outcome.rule
    status = Membership.Status.PENDING if outcome.outcome == "pending" else Membership.Status.ACTIVE
    membership = add_member(
        tenant=tenant,
        user=user,
        role=rule.role,
        organization=rule.organization,
        by=user,
        status=status,
    )
    return membership


def approvers_of(tenant: Tenant) -> list[User]:
    """Who decides on sign-ups: the tenant's active admins."""
    return [m.user for m in Membership.objects.for_tenant(tenant).admins().select_related("user")]


@transaction.atomic
def approve_registration(*, membership: Membership, by: User) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.PENDING:
        raise NotPermitted(_("This sign-up is no longer waiting for approval."))
    check_grant(tenant=membership.tenant_id, by=by, role=membership.role, target=membership)
    membership.status = Membership.Status.ACTIVE
    membership.joined_at = timezone.now()
    membership.save(update_fields=["status", "joined_at"])
    record_audit(
        tenant=membership.tenant,
        actor=by,
        action="registration.approved",
        target=membership,
        before={"status": Membership.Status.PENDING},
        after={"status": Membership.Status.ACTIVE, "role": membership.role.key},
    )
    _tell_applicant(membership.tenant_id, membership.user_id, approved=True)
    return membership


@transaction.atomic
def reject_registration(*, membership: Membership, by: User) -> None:
    """Turn a sign-up down: the membership goes (the account stays, it may belong elsewhere)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.PENDING:
        raise NotPermitted(_("This sign-up is no longer waiting for approval."))
    record_audit(
        tenant=membership.tenant,
        actor=by,
        action="registration.rejected",
        target=membership,
        before={"status": Membership.Status.PENDING, "role": membership.role.key},
        after=None,
    )
    tenant_id, user_id = membership.tenant_id, membership.user_id
    membership.delete()
    _tell_applicant(tenant_id, user_id, approved=False)


def _tell_applicant(tenant_id: int, user_id: int, *, approved: bool) -> None:
    from .tasks import send_registration_decision_task

    enqueue(send_registration_decision_task, tenant_id, user_id, approved)


def send_registration_decision(*, tenant: Tenant, user: User, approved: bool) -> None:
    context = {
        "tenant": tenant,
        "user": user,
        "approved": approved,
        "link": settings.SITE_URL + reverse("accounts:welcome", args=[tenant.slug]),
    }
    subject = (_("Welcome to %(tenant)s") if approved else _("Your sign-up to %(tenant)s")) % {
        "tenant": tenant.name
    }
    send_mail(
        subject_line(subject),
        render_to_string("accounts/email/registration_decision.txt", context),
        None,
        [user.email],
    )


# --- Invitations ----------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invite(
    *,
    tenant: Tenant,
    email: str,
    role: Role,
    by: User | None,
    organization: Organization | None = None,
    days: int = INVITATION_DAYS,
    notify: bool = True,
) -> tuple[Invitation, str]:
    """Invite one person with a role; returns the invitation and its (unstored) token.

    ``notify=False`` skips the e-mail (the demo prints no mail); the token is then the only
    way in.
    """
    email = check_address(email)
    check_grant(tenant=tenant, by=by, role=role, organization=organization)
    member = Membership.objects.for_tenant(tenant).filter(user__email__iexact=email).first()
    if member is not None and member.status != Membership.Status.PENDING:
        raise ValidationError({"email": [_("This person already belongs to this helpdesk.")]})
    # Inviting again replaces an open invitation: one working link per person, the newest.
    for earlier in Invitation.objects.for_tenant(tenant).open().filter(email__iexact=email):
        revoke_invitation(invitation=earlier, by=by)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        tenant=tenant,
        email=email,
        role=role,
        organization=organization,
        token_hash=hash_token(token),
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=days),
    )
    record_audit(
        tenant=tenant,
        actor=by,
        action="invitation.sent",
        target=invitation,
        after={
            "email": email,
            "role": role.key,
            "organization": organization.name if organization else None,
            "expires_at": invitation.expires_at.isoformat(),
        },
    )
    if notify:
        from .tasks import send_invitation_task

        enqueue(send_invitation_task, invitation.pk, token)
    return invitation, token


def parse_invitation_csv(*, tenant: Tenant, text: str) -> tuple[list[dict], list[str]]:
    """Rows of ``email,role[,organization]`` (role by key or name, organization by name).

    Returns the rows and the errors, line by line; nothing is invited when there are errors.
    """
    roles = {}
    for role in Role.objects.for_tenant(tenant):
        roles[role.key.lower()] = role
        roles[role.name.lower()] = role
    organizations = {o.name.lower(): o for o in Organization.objects.for_tenant(tenant)}
    rows, errors, seen = [], [], set()
    for number, record in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in record]
        if not any(cells) or (number == 1 and cells[0].lower() in ("email", "e-mail")):
            continue
        if len(cells) < 2:
            errors.append(_("Line %(n)s: expected e-mail,role[,organization].") % {"n": number})
            continue
        email, role_name = cells[0].lower(), cells[1].lower()
        org_name = cells[2].lower() if len(cells) > 2 else ""
        try:
            email = check_address(email)
        except ValidationError:
            errors.append(
                _("Line %(n)s: “%(email)s” is not a usable address.")
                % {"n": number, "email": email}
            )
            continue
        if email in seen:
            errors.append(_("Line %(n)s: %(email)s appears twice.") % {"n": number, "email": email})
            continue
        seen.add(email)
        if role_name not in roles:
            errors.append(
                _("Line %(n)s: there is no role “%(role)s”.") % {"n": number, "role": cells[1]}
            )
            continue
        if org_name and org_name not in organizations:
            errors.append(
                _("Line %(n)s: there is no organization “%(org)s”.")
                % {"n": number, "org": cells[2]}
            )
            continue
        rows.append(
            {"email": email, "role": roles[role_name], "organization": organizations.get(org_name)}
        )
    if not rows and not errors:
        errors.append(_("The file has no rows."))
    return rows, errors


@transaction.atomic
def invite_many(*, tenant: Tenant, rows: list[dict], by: User | None) -> list[Invitation]:
    """Invite every row, or nobody: one bad row refuses the whole upload."""
    return [invite(tenant=tenant, by=by, **row)[0] for row in rows]


def find_invitation(*, tenant: Tenant, token: str) -> Invitation | None:
    return (
        Invitation.objects.for_tenant(tenant)
        .select_related("role", "organization", "tenant")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )


def invitation_refusal(invitation: Invitation | None) -> str | None:
    """Why this link can no longer be used, or None when it can."""
    if invitation is None:
        return _("This invitation link is not valid. Ask an admin for a new one.")
    status = invitation.status
    if status == "accepted":
        return _("This invitation has already been used. Sign in instead.")
    if status == "revoked":
        return _("This invitation was withdrawn. Ask an admin for a new one.")
    if status == "expired":
        return _("This invitation has expired. Ask an admin for a new one.")
    return None


@transaction.atomic
def accept_invitation(
    *, invitation: Invitation, name: str = "", password: str = "", user: User | None = None
) -> Membership:
    """Join through an invitation: a new person sets a password; an existing one signs in.

    ``user`` is the signed-in person (their e-mail must be the invited one); without it, an
    existing account proves itself with its password.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    refusal = invitation_refusal(invitation)
    if refusal:
        raise NotPermitted(refusal)
    tenant = invitation.tenant
    if user is not None:
        if user.email.lower() != invitation.email.lower():
            raise NotPermitted(
                _("This invitation is for %(email)s; you are signed in as someone else.")
                % {"email": invitation.email}
            )
    else:
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is not None:
            if not user.check_password(password):
                raise ValidationError(
                    {
                        "password": [
                            _(
                                "You already have an account: enter its password (or sign in "
                                "first) to accept."
                            )
                        ]
                    }
                )
        else:
            if not name.strip():
                raise ValidationError({"name": [_("Tell us your name.")]})
            try:
                validate_password(password, User(email=invitation.email, name=name))
            except ValidationError as error:
                raise ValidationError({"password": error.messages}) from None
            user = User.objects.create_user(
                email=invitation.email, password=password, name=name.strip()
            )
    if not user.email_verified:
        # The invitation link went to this address: following it proves the address.
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    membership = _membership_of(tenant, user)
    if membership is None:
        membership = add_member(
            tenant=tenant,
            user=user,
            role=invitation.role,
            organization=invitation.organization,
            by=invitation.invited_by,
        )
    elif membership.status == Membership.Status.PENDING:
        before = {"status": membership.status, "role": membership.role.key}
        membership.status = Membership.Status.ACTIVE
        membership.role = invitation.role
        membership.organization = invitation.organization or membership.organization
        membership.joined_at = timezone.now()
        membership.save(update_fields=["status", "role", "organization", "joined_at"])
        record_audit(
            tenant=tenant,
            actor=user,
            action="membership.activated_by_invitation",
            target=membership,
            before=before,
            after={"status": membership.status, "role": membership.role.key},
        )
    else:
        raise NotPermitted(_("You already belong to %(tenant)s.") % {"tenant": tenant.name})
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_audit(
        tenant=tenant,
        actor=user,
        action="invitation.accepted",
        target=invitation,
        before={"status": "open"},
        after={"status": "accepted", "role": invitation.role.key},
    )
    return membership


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by: User) -> Invitation:
    if invitation.status != "open":
        raise NotPermitted(_("Only an open invitation can be withdrawn."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record_audit(
        tenant=invitation.tenant,
        actor=by,
        action="invitation.revoked",
        target=invitation,
        before={"status": "open"},
        after={"status": "revoked"},
    )
    return invitation


def send_invitation(*, invitation: Invitation, token: str) -> None:
    tenant = invitation.tenant
    link = settings.SITE_URL + reverse("accounts:invitation_accept", args=[tenant.slug, token])
    context = {"invitation": invitation, "tenant": tenant, "link": link}
    send_mail(
        subject_line(_("You are invited to %(tenant)s") % {"tenant": tenant.name}),
        render_to_string("accounts/email/invitation.txt", context),
        None,
        [invitation.email],
    )


# --- Joining rules --------------------------------------------------------------------------


def _rule_state(rule: JoiningRule) -> dict:
    return {
        "kind": rule.kind,
        "pattern": rule.pattern,
        "role": rule.role.key,
        "organization": rule.organization.name if rule.organization else None,
        "requires_approval": rule.requires_approval,
        "position": rule.position,
    }


def _clean_rule(fields: dict) -> dict:
    kind = fields.get("kind")
    pattern = (fields.get("pattern") or "").strip().lower().lstrip("@")
    if kind == JoiningRule.Kind.DOMAIN:
        if not pattern or "." not in pattern or " " in pattern or "@" in pattern:
            raise ValidationError({"pattern": [_("Enter a domain such as acme.com.")]})
    else:
        pattern = ""
    return {**fields, "pattern": pattern}


@transaction.atomic
def add_joining_rule(*, tenant: Tenant, by: User, **fields) -> JoiningRule:
    fields = _clean_rule(fields)
    check_grant(
        tenant=tenant, by=by, role=fields.get("role"), organization=fields.get("organization")
    )
    if fields.get("position") is None:
        last = JoiningRule.objects.for_tenant(tenant).order_by("-position").first()
        fields["position"] = (last.position + 1) if last else 1
    rule = JoiningRule.objects.create(tenant=tenant, **fields)
    record_audit(
        tenant=tenant,
        actor=by,
        action="joining_rule.created",
        target=rule,
        after=_rule_state(rule),
    )
    return rule


def unreachable_rules(rules) -> dict[int, JoiningRule]:
    """Rules that can never decide, each with the earlier rule that matches all it would."""
    rules = list(rules)
    shadowed = {}
    for index, rule in enumerate(rules):
        earlier = next((r for r in rules[:index] if r.covers(rule)), None)
        if earlier is not None:
            shadowed[rule.pk] = earlier
    return shadowed


@transaction.atomic
def change_joining_rule(*, rule: JoiningRule, by: User, **fields) -> JoiningRule:
    before = _rule_state(rule)
    merged = _clean_rule(
        {"kind": fields.get("kind", rule.kind), "pattern": fields.get("pattern", rule.pattern)}
    )
    fields.update(kind=merged["kind"], pattern=merged["pattern"])
    check_grant(
        tenant=rule.tenant_id,
        by=by,
        role=fields.get("role", rule.role),
        organization=fields.get("organization", rule.organization),
    )
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.save()
    after = _rule_state(rule)
    if after != before:
        record_audit(
            tenant=rule.tenant,
            actor=by,
            action="joining_rule.changed",
            target=rule,
            before=before,
            after=after,
        )
    return rule


@transaction.atomic
def delete_joining_rule(*, rule: JoiningRule, by: User) -> None:
    # A rule is the giver's to remove only if it is theirs to make: what it hands out.
    check_grant(tenant=rule.tenant_id, by=by, role=rule.role, organization=rule.organization)
    record_audit(
        tenant=rule.tenant,
        actor=by,
        action="joining_rule.deleted",
        target=rule,
        before=_rule_state(rule),
    )
    rule.delete()


# --- Roles ----------------------------------------------------------------------------------


def _role_state(role: Role) -> dict:
    return {
        "key": role.key,
        "name": role.name,
        "scope": role.scope,
        "permissions": [a for a in ACTIONS if a in role.permissions],
    }


def _clean_permissions(permissions) -> list[str]:
    unknown = [p for p in permissions if p not in ACTIONS]
    if unknown:
        raise ValidationError(
            {"permissions": [_("Unknown actions: %(names)s.") % {"names": ", ".join(unknown)}]}
        )
    return [a for a in ACTIONS if a in permissions]


def _clean_scope(scope: str) -> str:
    if scope not in dict(SCOPES):
        raise ValidationError({"scope": [_("Choose one of the ticket scopes.")]})
    return scope


@transaction.atomic
def create_role(
    *,
    tenant: Tenant,
    by: User,
    name: str,
    permissions: list[str],
    scope: str,
    description: str = "",
    key: str = "",
) -> Role:
    key = slugify(key or name)[:40]
    if not key or not name.strip():
        raise ValidationError({"name": [_("Give the role a name.")]})
    if Role.objects.for_tenant(tenant).filter(key=key).exists():
        raise ValidationError({"name": [_("A role with this name already exists.")]})
    check_grant(
        tenant=tenant, by=by, permissions=_clean_permissions(permissions), scope=_clean_scope(scope)
    )
    role = Role.objects.create(
        tenant=tenant,
        key=key,
        name=name.strip(),
        description=description,
        permissions=_clean_permissions(permissions),
        scope=_clean_scope(scope),
    )
    record_audit(
        tenant=tenant, actor=by, action="role.created", target=role, after=_role_state(role)
    )
    return role


def check_role_change(role: Role, *, permissions=None, scope=None) -> None:
    """Refuse what a role may not become (asked before its reach is shown, too)."""
    if not (role.is_builtin and role.key == "admin"):
        return
    narrowed = permissions is not None and _clean_permissions(permissions) != list(ACTIONS)
    if narrowed or (scope is not None and _clean_scope(scope) != role.scope):
        raise NotPermitted(_("The admin role keeps every action, so no one is locked out."))


@transaction.atomic
def change_role_template(
    *,
    role: Role,
    by: User,
    name: str | None = None,
    description: str | None = None,
    permissions: list[str] | None = None,
    scope: str | None = None,
) -> Role:
    """Edit a role. Its key never changes; the admin role keeps every action and sees all."""
    before = _role_state(role)
    check_role_change(role, permissions=permissions, scope=scope)
    check_grant(
        tenant=role.tenant_id,
        by=by,
        over=role,
        permissions=None if permissions is None else _clean_permissions(permissions),
        scope=scope,
    )
    if permissions is not None:
        role.permissions = _clean_permissions(permissions)
    if scope is not None:
        role.scope = _clean_scope(scope)
    if name is not None:
        if not name.strip():
            raise ValidationError({"name": [_("Give the role a name.")]})
        role.name = name.strip()
    if description is not None:
        role.description = description
    role.save()
    after = _role_state(role)
    if after != before:
        record_audit(
            tenant=role.tenant,
            actor=by,
            action="role.changed",
            target=role,
            before=before,
            after=after,
        )
    return role


@transaction.atomic
def delete_role(*, role: Role, by: User) -> None:
    if role.is_builtin:
        raise NotPermitted(_("Built-in roles cannot be deleted."))
    if (
        role.memberships.exists()
        or JoiningRule.objects.for_tenant(role.tenant).filter(role=role).exists()
        or Invitation.objects.for_tenant(role.tenant).open().filter(role=role).exists()
    ):
        raise NotPermitted(
            _(
                "This role is in use (by people, joining rules or open invitations); "
                "it cannot be deleted."
            )
        )
    check_grant(tenant=role.tenant_id, by=by, over=role, permissions=[], scope=role.scope)
    record_audit(
        tenant=role.tenant, actor=by, action="role.deleted", target=role, before=_role_state(role)
    )
    role.delete()


# --- Membership changes ---------------------------------------------------------------------

_UNSET = object()


def check_membership_change(
    membership: Membership, *, role: Role | object = _UNSET, status: str | object = _UNSET
) -> None:
    """Refuse a change the helpdesk cannot take (before asking anyone to confirm it, too)."""
    new_role = membership.role if role is _UNSET else role
    new_status = membership.status if status is _UNSET else status
    if status is not _UNSET and status not in Membership.Status.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    pending = Membership.Status.PENDING
    if (
        status is not _UNSET
        and status != membership.status
        and pending in (status, membership.status)
    ):
        raise NotPermitted(
            _("A sign-up waiting for approval is approved or rejected in Approvals.")
        )
    if membership.is_admin and (new_role.key != "admin" or new_status != Membership.Status.ACTIVE):
        tenant = membership.tenant
        others = Membership.objects.for_tenant(tenant).admins().exclude(pk=membership.pk)
        if not others.exists():
            raise NotPermitted(
                _("%(name)s is the last admin of %(tenant)s: make someone else admin first.")
                % {"name": membership.user, "tenant": tenant.name}
            )


@transaction.atomic
def change_membership(
    *,
    membership: Membership,
    by: User,
    role: Role | object = _UNSET,
    organization: Organization | None | object = _UNSET,
    status: str | object = _UNSET,
) -> Membership:
    """Change a member's role, organization or standing; each change is audited once.

    The last active admin can be neither demoted nor deactivated. Deactivation keeps every
    ticket and comment; the person simply can no longer use this tenant.
    """
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("role", "organization", "user", "tenant")
        .get(pk=membership.pk)
    )
    tenant = membership.tenant
    check_membership_change(membership, role=role, status=status)
    if role is not _UNSET or status == Membership.Status.ACTIVE:  # reactivating gives it back
        check_grant(
            tenant=tenant,
            by=by,
            role=membership.role if role is _UNSET else role,
            target=membership,
        )
    elif status is not _UNSET and status != membership.status:
        check_grant(tenant=tenant, by=by, target=membership)
    moved = organization is not _UNSET and (
        (organization.pk if organization else None) != membership.organization_id
    )
    if moved:
        check_grant(tenant=tenant, by=by, target=membership, organization=organization)
    if role is not _UNSET and role.pk != membership.role_id:
        before = membership.role.key
        membership.role = role
        membership.save(update_fields=["role"])
        record_audit(
            tenant=tenant,
            actor=by,
            action="membership.role_changed",
            target=membership,
            before={"role": before},
            after={"role": role.key},
        )
    if moved:
        before = membership.organization.name if membership.organization else None
        membership.organization = organization
        membership.save(update_fields=["organization"])
        record_audit(
            tenant=tenant,
            actor=by,
            action="membership.organization_changed",
            target=membership,
            before={"organization": before},
            after={"organization": organization.name if organization else None},
        )
    if status is not _UNSET and status != membership.status:
        before = membership.status
        membership.status = status
        membership.save(update_fields=["status"])
        action = {
            Membership.Status.DEACTIVATED: "membership.deactivated",
            Membership.Status.ACTIVE: "membership.reactivated",
        }.get(status, "membership.status_changed")
        record_audit(
            tenant=tenant,
            actor=by,
            action=action,
            target=membership,
            before={"status": before},
            after={"status": status},
        )
    return membership


# --- Access requests ------------------------------------------------------------------------


@transaction.atomic
def request_access(
    *,
    membership: Membership,
    action: str,
    ticket_number: int | None = None,
    reason: str = "",
    note: str = "",
) -> AccessRequest:
    """A member asks for a refusal to be lifted; asking twice returns the waiting request."""
    if action not in ACTIONS:
        raise ValidationError({"action": [_("Unknown action.")]})
    if not membership.is_active:
        raise NotPermitted(_("Only active members can ask for access."))
    waiting = (
        AccessRequest.objects.for_tenant(membership.tenant)
        .pending()
        .filter(membership=membership, action=action, ticket_number=ticket_number)
        .first()
    )
    if waiting is not None:
        return waiting
    access_request = AccessRequest.objects.create(
        tenant=membership.tenant,
        membership=membership,
        action=action,
        ticket_number=ticket_number,
        reason=reason[:2000],
        note=note[:500],
    )
    record_audit(
        tenant=membership.tenant,
        actor=membership.user,
        action="access_request.created",
        target=access_request,
        after={"action": action, "ticket": ticket_number, "note": note[:500]},
    )
    return access_request


@transaction.atomic
def decide_access_request(
    *, access_request: AccessRequest, by: User, granted: bool, outcome: str = ""
) -> AccessRequest:
    """Close a request. The grant itself (a role change or a queue) is made by its own service
    before this records the decision."""
    access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if access_request.status != AccessRequest.Status.PENDING:
        raise NotPermitted(_("This request has already been decided."))
    access_request.status = (
        AccessRequest.Status.GRANTED if granted else AccessRequest.Status.DECLINED
    )
    access_request.decided_by = by
    access_request.decided_at = timezone.now()
    access_request.outcome = outcome[:200]
    access_request.save(update_fields=["status", "decided_by", "decided_at", "outcome"])
    record_audit(
        tenant=access_request.tenant,
        actor=by,
        action=f"access_request.{access_request.status}",
        target=access_request,
        before={"status": AccessRequest.Status.PENDING},
        after={"status": access_request.status, "outcome": outcome[:200]},
    )
    return access_request


TENANT_SETTINGS = [
    "name",
    "time_zone",
    "agents_work_all_queues",
    "customers_see_organization_tickets",
]


@transaction.atomic
def update_tenant_settings(*, tenant: Tenant, by: User, **changes) -> Tenant:
    """Change how the helpdesk works; every change is written to the audit log."""
    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    if changes.get("agents_work_all_queues") and not tenant.agents_work_all_queues:
        check_grant(tenant=tenant, by=by, every_queue=True)  # every agent gets every queue
    before = {field: getattr(tenant, field) for field in TENANT_SETTINGS}
    for field, value in changes.items():
        if field not in TENANT_SETTINGS:
            raise ValueError(f"{field} is not a helpdesk setting")
        setattr(tenant, field, value)
    after = {field: getattr(tenant, field) for field in TENANT_SETTINGS}
    if after != before:
        tenant.save(update_fields=list(changes))
        changed = [field for field in TENANT_SETTINGS if before[field] != after[field]]
        record_audit(
            tenant=tenant,
            actor=by,
            action="tenant.settings_changed",
            target=tenant,
            before={field: before[field] for field in changed},
            after={field: after[field] for field in changed},
        )
    return tenant
