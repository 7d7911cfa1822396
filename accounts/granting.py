"""No one grants more than they hold: the one function that decides what a member may give.

``decide`` answers "may this member do this?"; ``may_grant`` answers "may this member give
this power?" wherever power is given: a role to a person (page, API, approvals), a role made or
edited, an invitation with a role (one or a CSV file), a joining rule that hands out a role, a
queue grant and its expiry. What is given must be a subset of what the giver holds: the
actions, the ticket scope (own < queues < all) and the queues (only a member who sees every
ticket may give work on a queue they do not work themselves). The admin role is given only by
admins. The services ask it (``check_grant``), so no door can skip it; the explainer asks it
too, so it can say why a change was refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .access import Decision, action_label, decide
from .actions import ACTIONS, SCOPE_ALL, SCOPE_OWN, SCOPE_QUEUES
from .models import Membership, Role, Tenant, User

SCOPE_RANK = {SCOPE_OWN: 0, SCOPE_QUEUES: 1, SCOPE_ALL: 2}
_NOT_GIVEN = object()  # ``organization=None`` means "out of every organization"
# Completes "sees ..." in refusals.
SCOPE_WORDS = {
    SCOPE_OWN: gettext_lazy("only their own requests"),
    SCOPE_QUEUES: gettext_lazy("the tickets of the queues they work"),
    SCOPE_ALL: gettext_lazy("every ticket"),
}

# Queues live in the tickets app, which plugs in how a member works one:
# rule(member, queue) -> (works it, until when or None for no end).
_queue_rule: Callable | None = None


def register_queue_rule(rule: Callable) -> None:
    global _queue_rule
    _queue_rule = rule


def _is_admin_role(role: Role) -> bool:
    return role.is_builtin and role.key == "admin"


def _holds_all_of(member: Membership, other: Membership) -> bool:
    theirs = other.role
    if _is_admin_role(theirs):
        return member.is_admin
    return set(member.role.permissions) >= set(theirs.permissions) and (
        SCOPE_RANK[member.role.scope] >= SCOPE_RANK[theirs.scope]
    )


def _actions_list(actions: Iterable[str]) -> str:
    return ", ".join(action_label(a) for a in ACTIONS if a in set(actions))


def may_grant(
    member: Membership | None,
    *,
    role: Role | None = None,
    permissions: Iterable[str] | None = None,
    scope: str | None = None,
    over: Role | None = None,
    target: Membership | None = None,
    organization=_NOT_GIVEN,
    queue=None,
    expires_at=None,
    queue_taken=None,
    every_queue: bool = False,
) -> Decision:
    """May ``member`` give this power, and why (not)?

    - ``role``: the role is given to someone (a role change, an invitation, a joining rule,
      an approval). ``target`` is the person, when there is one: giving someone the role they
      already hold, active, gives nothing; a person who holds more than ``member`` is changed
      (role or standing) by no one below them.
    - ``permissions`` / ``scope``: a role is made with these, or ``over`` (an existing role) is
      edited to them. An edit changes everyone who holds the role, so only someone who holds
      all it holds may edit it, and a built-in role is edited by admins only.
    - ``organization``: someone is put in an organization (or out of one, None): its members
      may see its requests, so only someone who sees every ticket, or who is in it, gives it.
    - ``queue`` (and ``expires_at``, None for no end): someone is let work a queue.
    - ``queue_taken``: someone is taken off a queue, or the queue itself is changed.
    - ``every_queue``: every agent is let work every queue (a setting of the helpdesk).
    """
    if member is None:
        return Decision(False, [_("You are not a member of this helpdesk.")])
    if not member.is_active:
        return Decision(False, decide(member, "change_role").reasons)
    mine = member.role
    held = set(mine.permissions)
    reasons: list[str] = []
    if target is not None and target.pk != member.pk and not _holds_all_of(member, target):
        # Taking power away is giving too: the person may be demoted or deactivated only by
        # someone who holds everything they hold (else a people manager could demote an admin).
        reasons.append(
            _(
                "%(name)s holds more than your role, %(role)s, allows: only someone who holds "
                "everything they hold can change their role or standing."
            )
            % {"name": target.user, "role": mine}
        )
    if role is not None:
        if not reasons and target is not None and target.role_id == role.pk and target.is_active:
            return Decision(True, [_("%(name)s already has this role.") % {"name": target.user}])
        if _is_admin_role(role) and not member.is_admin:
            reasons.append(_("Only admins can give the admin role."))
        permissions, scope = role.permissions, role.scope
        if target is not None and target.pk == member.pk and not held >= set(permissions):
            reasons.append(_("You cannot raise your own role."))
    gained = set(permissions or [])
    scope_before = None
    if over is not None:
        if (permissions is not None and set(permissions) != set(over.permissions)) or (
            scope is not None and scope != over.scope
        ):
            reasons.extend(_role_edit_refusals(member, over))  # a rename changes no power
        gained -= set(over.permissions)
        scope_before = over.scope
        if over.pk == mine.pk and gained:
            reasons.append(_("You hold this role: you cannot add actions to it yourself."))
    lacking = gained - held
    if lacking:
        reasons.append(
            _(
                "You can't give what you don't hold: your role, %(role)s, does not allow you "
                "to %(actions)s."
            )
            % {"role": mine, "actions": _actions_list(lacking)}
        )
    if (
        scope in SCOPE_RANK
        and SCOPE_RANK[scope] > SCOPE_RANK.get(scope_before, -1)  # an edit that narrows gives none
        and SCOPE_RANK[scope] > SCOPE_RANK[mine.scope]
    ):
        reasons.append(
            _("Your role, %(role)s, sees %(mine)s, so you can't give a role that sees %(given)s.")
            % {"role": mine, "mine": SCOPE_WORDS[mine.scope], "given": SCOPE_WORDS[scope]}
        )
    if organization is not _NOT_GIVEN:
        reasons.extend(_organization_refusals(member, organization, target))
    if queue is not None:
        reasons.extend(_queue_refusals(member, queue, expires_at))
    if queue_taken is not None:
        reasons.extend(_queue_refusals(member, queue_taken, None, taking=True))
    if every_queue and mine.scope != SCOPE_ALL:
        reasons.append(
            _("Your role, %(role)s, sees %(mine)s, so you can't let agents work every queue.")
            % {"role": mine, "mine": SCOPE_WORDS[mine.scope]}
        )
    if reasons:
        return Decision(False, reasons)
    return Decision(True, [_("You hold everything you are giving.")])


def _role_edit_refusals(member: Membership, role: Role) -> list[str]:
    if role.is_builtin and not member.is_admin:
        return [_("Only admins can change the built-in roles.")]
    if not _holds_all_of(member, Membership(role=role)):
        return [
            _(
                "The role %(other)s holds more than your role, %(role)s, allows: only someone "
                "who holds everything it holds can change it."
            )
            % {"other": role, "role": member.role}
        ]
    return []


def _organization_refusals(member: Membership, organization, target) -> list[str]:
    current = target.organization if target is not None else None
    if member.role.scope == SCOPE_ALL or organization == current:
        return []
    # Into an organization or out of one: either way only someone who sees its requests,
    # as a member of it, may decide who else does (taking away is giving too).
    return [
        _(
            "Your role, %(role)s, does not see every ticket, so you can't put anyone in "
            "%(org)s or take them out of it: its members may see its requests."
        )
        % {"role": member.role, "org": org.name}
        for org in (current, organization)
        if org is not None and org.pk != member.organization_id
    ]


def _queue_refusals(member: Membership, queue, expires_at, *, taking=False) -> list[str]:
    role = member.role
    if role.scope == SCOPE_ALL:
        return []
    if role.scope == SCOPE_OWN:
        return [
            _("Your role, %(role)s, works no queue, so you can't let others work %(queue)s.")
            % {"role": role, "queue": queue.name}
        ]
    works, until = _queue_rule(member, queue) if _queue_rule else (False, None)
    if not works and taking:
        return [
            _("You don't work the %(queue)s queue, so you can't change who works it.")
            % {"queue": queue.name}
        ]
    if not works:
        return [
            _("You don't work the %(queue)s queue, so you can't let others work it.")
            % {"queue": queue.name}
        ]
    if taking:
        return []
    if until is not None and (expires_at is None or expires_at > until):
        return [
            _(
                "You work the %(queue)s queue only until %(until)s, so you can't let others "
                "work it longer."
            )
            % {"queue": queue.name, "until": until.date().isoformat()}
        ]
    return []


def giver(tenant: Tenant | int, user: User | None) -> Membership | None:
    tenant_id = getattr(tenant, "pk", tenant)
    return (
        Membership.objects.filter(tenant_id=tenant_id, user=user)
        .select_related("role", "tenant", "user")
        .first()
    )


def check_grant(*, tenant: Tenant | int, by: User | None, **what) -> None:
    """Raise NotPermitted (with the reasons) when ``by`` may not give ``what``.

    ``by=None`` is the installation itself (demo data, commands, expiry jobs): not a person.
    """
    if by is None:
        return
    decision = may_grant(giver(tenant, by), **what)
    if not decision.allowed:
        from .services import NotPermitted

        raise NotPermitted(" ".join(decision.reasons), reasons=decision.reasons)


def explain_grant(member: Membership | None, action: str, **what) -> Decision:
    """The explainer's answer about giving: may ``member`` do ``action`` at all, and then give
    ``what`` (a role, a queue) through it."""
    decision = decide(member, action)
    if not decision.allowed:
        return decision
    granting = may_grant(member, **what)
    if not granting.allowed:
        return Decision(False, granting.reasons)
    return Decision(True, [*decision.reasons, *granting.reasons])
