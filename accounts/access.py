"""The one function that decides what a member may do, and says why.

``decide`` answers "may this member do this action (on this object)?" with the reasons in
words. Views, API endpoints, templates and the "why can't I?" explainer all ask it, so an
explanation can never disagree with the decision. Apps that own objects (tickets, queues)
plug in the object-level part with ``register_object_rule``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .actions import ACTIONS, CUSTOMER_ACTIONS
from .models import Membership

# Model class -> rule(member, action, obj) -> (allowed, reason).
_OBJECT_RULES: dict[type, Callable] = {}


def register_object_rule(model: type, rule: Callable) -> None:
    _OBJECT_RULES[model] = rule


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: list[str] = field(default_factory=list)
    # A refusal an admin could lift (by a role change or a grant): the person may ask.
    can_request: bool = False

    def __bool__(self) -> bool:
        return self.allowed


class Refused(Exception):  # noqa: N818 (a refusal is an outcome, not an error)
    """Raised by ``ensure``; pages render the reasons, the API answers 403 with them."""

    def __init__(self, decision: Decision, action: str | None = None, obj=None):
        super().__init__(" ".join(decision.reasons))
        self.decision = decision
        # What was refused, so that the refusal page can offer to ask for it.
        self.action = action
        self.obj = obj


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action.replace("_", " ")))


def decide(member: Membership | None, action: str, obj=None) -> Decision:
    if action not in ACTIONS:
        return Decision(
            False,
            [_("“%(action)s” is not an action of this helpdesk.") % {"action": action}],
        )
    label = action_label(action)
    if member is None:
        return Decision(False, [_("You are not a member of this helpdesk.")])
    tenant = member.tenant.name
    if member.status == Membership.Status.PENDING:
        return Decision(
            False,
            [
                _(
                    "You can't %(label)s here because your sign-up is waiting for approval "
                    "by an admin of %(tenant)s."
                )
                % {"label": label, "tenant": tenant}
            ],
        )
    if member.status == Membership.Status.DEACTIVATED:
        return Decision(
            False,
            [_("Your access to %(tenant)s was deactivated by an admin.") % {"tenant": tenant}],
        )
    role = member.role
    if not role.allows(action):
        return Decision(
            False,
            [
                _("Your role, %(role)s, does not allow you to %(label)s.")
                % {"role": role, "label": label}
            ],
            # A customer asks only for what customers hold (actions.CUSTOMER_ACTIONS).
            can_request=role.is_staff or action in CUSTOMER_ACTIONS,
        )
    reasons = [_("Your role, %(role)s, allows you to %(label)s.") % {"role": role, "label": label}]
    if obj is None:
        return Decision(True, reasons)
    if getattr(obj, "tenant_id", member.tenant_id) != member.tenant_id:
        return Decision(False, [_("There is no such thing in this helpdesk.")])
    rule = _OBJECT_RULES.get(type(obj))
    if rule is None:
        return Decision(True, reasons)
    allowed, reason, *rest = rule(member, action, obj)
    return Decision(
        allowed,
        [*reasons, reason] if allowed else [reason],
        can_request=bool(rest and rest[0]),
    )


def can(member: Membership | None, action: str, obj=None) -> bool:
    return decide(member, action, obj).allowed


def second_factor_required(member: Membership | None) -> bool:
    """Must this member have given a second factor before using the helpdesk? When it asks
    for it (``two_factor_required_for_staff``), staff must: those whose role lets them use the
    workspace, as decide() says."""
    return bool(
        member is not None
        and member.tenant.two_factor_required_for_staff
        and member.is_active
        and decide(member, "use_workspace").allowed
    )


def second_factor_refusal(member: Membership) -> Decision:
    """What the API answers a staff member whose token (or session) came without a code."""
    return Decision(
        False,
        [
            _(
                "%(tenant)s requires two-factor sign-in for staff: add an authenticator app "
                "on your two-factor sign-in page, then get a new token with its code."
            )
            % {"tenant": member.tenant.name}
        ],
    )


def permissions_of(member: Membership | None) -> list[str]:
    """The tenant-wide actions the member may take (``me/`` lists these).

    ``decide`` without an object, less the words: every page's navigation asks this, and
    building the reasons of every action cost more than the rest of the check.
    """
    if member is None or not member.is_active:
        return []
    return [action for action in ACTIONS if member.role.allows(action)]


def ensure(member: Membership | None, action: str, obj=None) -> Decision:
    """Decide, and raise Refused when the answer is no."""
    decision = decide(member, action, obj)
    if not decision.allowed:
        raise Refused(decision, action, obj)
    return decision
