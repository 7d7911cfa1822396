"""A person's second factor, reset by an admin of a helpdesk they belong to (lost device)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from core.mail import subject_line
from outbox.services import enqueue

from ..access import can, decide
from ..granting import check_grant, giver, may_grant
from ..models import Membership, Tenant, User
from ..two_factor import has_second_factor, remove_second_factor
from .audit import record_audit
from .base import NotPermitted


@transaction.atomic
def reset_two_factor(*, membership: Membership, by: User) -> None:
    """Remove the authenticator and recovery codes of ``membership``'s person, so that they
    sign in with their password and add a new one. Only someone who may manage people and
    holds everything the person holds may do it, never to themselves (their own page asks
    for a code); it is audited and the person is told by e-mail."""
    me = giver(membership.tenant_id, by)
    decision = decide(me, "manage_people")
    if not decision.allowed:
        raise NotPermitted(" ".join(decision.reasons), reasons=decision.reasons)
    if membership.user_id == by.pk:
        raise NotPermitted(
            _("Remove your own second factor on your two-factor sign-in page: it asks for a code.")
        )
    check_grant(tenant=membership.tenant_id, by=by, target=membership)
    _check_other_helpdesks(membership, by)
    user = membership.user
    if not has_second_factor(user):
        raise NotPermitted(
            _("%(name)s has no second factor to reset.") % {"name": user},
        )
    remove_second_factor(user=user)
    record_audit(
        tenant=membership.tenant,
        actor=by,
        action="membership.two_factor_reset",
        target=membership,
        before={"two_factor": True},
        after={"two_factor": False},
    )
    from ..tasks import send_two_factor_reset_mail_task

    enqueue(send_two_factor_reset_mail_task, membership.tenant_id, user.pk, by.pk)


def _check_other_helpdesks(membership: Membership, by: User) -> None:
    """The second factor guards the person everywhere: where they are staff in another
    helpdesk, ``by`` must be someone who could reset them there too (else an admin of any
    helpdesk a person joined could weaken their staff account elsewhere)."""
    others = (
        Membership.objects.filter(user_id=membership.user_id)
        .exclude(tenant_id=membership.tenant_id)
        .select_related("tenant", "role")
    )
    for other in others:
        if not (other.is_active and can(other, "use_workspace")):
            continue
        mine = giver(other.tenant, by)
        if not (can(mine, "manage_people") and may_grant(mine, target=other).allowed):
            raise NotPermitted(
                _(
                    "%(name)s also works in another helpdesk, where you may not reset their "
                    "second factor: its admins (or the operator) can."
                )
                % {"name": membership.user}
            )


def send_two_factor_reset_mail(*, tenant: Tenant, user: User, by: User) -> None:
    """Tell the person their second factor was removed, and by whom (a reset they did not ask
    for is someone else's doing: they should know at once)."""
    context = {
        "tenant": tenant,
        "user": user,
        "by": by,
        "link": settings.SITE_URL + reverse("two_factor"),
    }
    send_mail(
        subject_line(_("Your two-factor sign-in was reset")),
        render_to_string("accounts/email/two_factor_reset.txt", context),
        None,
        [user.email],
    )
