"""Who a mail comes from, and what they may do with it: the same rules as everywhere.

A From header is easy to forge, so mail never gives power:
- a member writes as themself, as far as their membership allows (``decide``);
- a stranger goes through the helpdesk's joining rules (``joining_outcome``): a rule that
  makes them a customer straight away makes an account whose address is not yet proved, keeps
  their request, and mails them a link to prove it and set a password. A rule that would give
  more than a customer holds (a staff role), or that needs an admin's approval, is not applied
  by mail: the mail is refused and the sender is asked to sign up on the portal, where the
  address is proved before the rule decides. An invitation-only helpdesk refuses, saying so;
- a reply joins a ticket's conversation only from the requester's side of that ticket; staff
  answer by mail only from their verified address, to the reply address signed for them
  (the tag only the mail sent to them carried: the requester's tag, or threading by
  Message-ID, never lets a staff From post), and still only as far as ``decide`` allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.access import Refused, can, decide
from accounts.actions import CUSTOMER_ACTIONS, SCOPE_OWN
from accounts.models import Membership, Tenant, User
from accounts.services import add_member, joining_outcome
from tickets.access import ensure_may_write
from tickets.models import Ticket


@dataclass
class Sender:
    """The person a mail is from in one helpdesk, or why they may not write."""

    user: User | None
    member: Membership | None
    refusal: str = ""
    is_new: bool = False  # an account made for this mail: a link to prove it goes out


def member_of(tenant: Tenant, address: str) -> tuple[User | None, Membership | None]:
    user = User.objects.filter(email__iexact=address).first()
    if user is None:
        return None, None
    member = (
        Membership.objects.for_tenant(tenant)
        .filter(user=user)
        .select_related("role", "tenant", "organization", "user")
        .first()
    )
    return user, member


def _gives_only_customer_work(role) -> bool:
    return role.scope == SCOPE_OWN and set(role.permissions) <= CUSTOMER_ACTIONS


def may_open(*, tenant: Tenant, address: str, name: str) -> Sender:
    """May this address open a request by mail? Makes the stranger's customer account when
    a joining rule lets them in straight away (in the caller's transaction)."""
    user, member = member_of(tenant, address)
    if member is not None:
        decision = decide(member, "submit_ticket")
        if not decision.allowed:
            return Sender(user, member, " ".join(decision.reasons))
        return Sender(user, member)
    outcome = joining_outcome(tenant=tenant, email=address)
    if outcome.outcome == "refused":
        return Sender(user, None, outcome.reason)
    rule = outcome.rule
    if outcome.outcome == "pending" or not _gives_only_customer_work(rule.role):
        return Sender(
            user,
            None,
            _(
                "%(tenant)s does not take requests by e-mail from this address yet: sign up "
                "on its portal first, so that your address is confirmed."
            )
            % {"tenant": tenant.name},
        )
    is_new = user is None
    if is_new:
        # No password until the owner of the address follows the link and chooses one.
        user = User.objects.create_user(email=address, password=None, name=name[:150])
    member = add_member(
        tenant=tenant, user=user, role=rule.role, organization=rule.organization, by=None
    )
    member = Membership.objects.select_related("role", "tenant", "organization", "user").get(
        pk=member.pk
    )
    return Sender(user, member, is_new=is_new or not user.email_verified)


def may_reply(*, ticket: Ticket, address: str, tag_owner: int | None) -> Sender:
    """May this address add a public reply to ``ticket`` by mail? ``tag_owner``: the user
    whose signed reply address the mail went to (None: no such address)."""
    user, member = member_of(ticket.tenant, address)
    not_theirs = _(
        "Your reply was not added to request #%(number)s: only its requester's side can "
        "answer it by e-mail."
    ) % {"number": ticket.number}
    if member is None:
        return Sender(user, None, not_theirs)
    if can(member, "work_tickets"):
        # Staff: the forgeable From alone never posts for the helpdesk.
        if not (tag_owner == user.pk and user.email_verified):
            return Sender(
                user,
                member,
                _(
                    "Your reply was not added to request #%(number)s: staff answer by "
                    "replying to the notification sent to their confirmed address."
                )
                % {"number": ticket.number},
            )
    elif not _on_requester_side(member, ticket):
        return Sender(user, member, not_theirs)
    try:
        ensure_may_write(member, ticket, is_public=True)
    except Refused as refusal:
        return Sender(user, member, " ".join(refusal.decision.reasons))
    return Sender(user, member)


def _on_requester_side(member: Membership, ticket: Ticket) -> bool:
    """The requester, or a colleague the request is shared with (those who see it without
    working tickets)."""
    return ticket.requester_id == member.user_id or can(member, "view_ticket", ticket)
