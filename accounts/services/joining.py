"""Joining a helpdesk: the address check, the one joining decision, sign-ups and their
approval, and the joining rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import subject_line
from outbox.services import enqueue

from ..disposable import is_disposable
from ..granting import check_grant
from ..models import (
    Invitation,
    JoiningRule,
    Membership,
    Role,
    Tenant,
    User,
    normal_address,
)
from .audit import record_audit
from .base import NotPermitted, _membership_of
from .tenants import add_member

# --- Joining rules and sign-up --------------------------------------------------------------


@dataclass(frozen=True)
class JoinOutcome:
    outcome: str  # "active", "pending" or "refused"
    rule: JoiningRule | None
    reason: str

    @property
    def role(self) -> Role | None:
        return self.rule.role if self.rule else None


def joining_outcome(*, tenant: Tenant, email: str, groups=()) -> JoinOutcome:
    """What happens when ``email`` joins, once its owner has proved it. The one decision that
    the dry run (page and API) shows and the sign-up and single sign-on make: an address that
    is not valid or comes from a throw-away provider is refused, an open invitation is the way
    in for its address, else the first matching rule decides. ``groups``: the identity
    provider's groups claim at a single sign-on (a rule with a group needs it there)."""
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
    denied = _denied_by(rules, email, groups)
    if denied is not None:
        return JoinOutcome(
            "refused",
            denied,
            _("Rule %(rule)s turns this address away: ask an admin for an invitation.")
            % {"rule": denied.position},
        )
    for rule in rules:
        if not rule.denies and rule.matches(email, groups):
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


def _denied_by(rules: list[JoiningRule], email: str, groups=()) -> JoiningRule | None:
    """The first deny rule that matches: deny rules come before every allow rule."""
    return next((rule for rule in rules if rule.denies and rule.matches(email, groups)), None)


def split_groups(text: str | None) -> tuple[str, ...]:
    """Groups typed for the dry run ("support-leads, agents"), as a groups claim holds them."""
    return tuple(g.strip() for g in (text or "").split(",") if g.strip())[:50]


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
    if rule.expires_after_days:
        membership.expires_at = timezone.now() + timedelta(days=rule.expires_after_days)
        membership.save(update_fields=["expires_at"])
    if status == Membership.Status.PENDING:
        tell_approvers_of_waiting_sign_up(membership)
    return membership


# Apps above accounts that tell admins of a sign-up waiting for approval (notifications, in
# the app and by e-mail) register here in their AppConfig.ready; accounts imports none of them.
_SIGN_UP_WAITING_LISTENERS: list = []


def register_sign_up_waiting_listener(listener) -> None:
    """``listener(membership)`` runs in the sign-up's transaction (enqueue its side effects)."""
    if listener not in _SIGN_UP_WAITING_LISTENERS:
        _SIGN_UP_WAITING_LISTENERS.append(listener)


def tell_approvers_of_waiting_sign_up(membership: Membership) -> None:
    for listener in _SIGN_UP_WAITING_LISTENERS:
        listener(membership)


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
    from ..tasks import send_registration_decision_task

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


# --- Joining rules --------------------------------------------------------------------------


def _rule_state(rule: JoiningRule) -> dict:
    return {
        "kind": rule.kind,
        "pattern": rule.pattern,
        "role": rule.role.key,
        "organization": rule.organization.name if rule.organization else None,
        "group": rule.group,
        "requires_approval": rule.requires_approval,
        "position": rule.position,
        "effect": rule.effect,
        "expires_after_days": rule.expires_after_days,
    }


def _clean_rule(fields: dict) -> dict:
    kind = fields.get("kind")
    pattern = (fields.get("pattern") or "").strip().lower().lstrip("@")
    if kind == JoiningRule.Kind.DOMAIN:
        if not pattern or "." not in pattern or " " in pattern or "@" in pattern:
            raise ValidationError({"pattern": [_("Enter a domain such as acme.com.")]})
    else:
        pattern = ""
    if "group" in fields:
        fields = {**fields, "group": (fields["group"] or "").strip()}
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
        # An allow rule is shadowed by any deny rule (those are asked first) or an earlier rule.
        earlier = next(
            (r for r in rules if r.denies and r is not rule and r.covers(rule) and not rule.denies),
            None,
        ) or next((r for r in rules[:index] if r.covers(rule) and r.denies == rule.denies), None)
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
