"""The ideas box: suggesting, voting and answering."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.access import can, ensure
from accounts.models import Membership
from accounts.services import record_audit

from ..models import (
    Idea,
    IdeaVote,
)
from .base import KnowledgeError


def suggest_idea(
    *, membership: Membership, title: str, body: str = "", audience: str | None = None
) -> Idea:
    """A member's idea. Staff ideas are staff-only unless they say otherwise; a customer's
    idea is for everyone (a customer cannot hide an idea from the staff who answer it)."""
    if not can(membership, "view_staff_content"):
        audience = Idea.Audience.EVERYONE
    elif audience is None:
        audience = Idea.Audience.STAFF
    return Idea.objects.create(
        tenant_id=membership.tenant_id,
        author=membership.user,
        title=title,
        body=body,
        audience=audience,
    )


def toggle_vote(*, idea: Idea, membership: Membership) -> bool:
    """Vote for the idea, or take the vote back. Returns whether the member now votes for it."""
    if not Idea.objects.visible_to(membership).filter(pk=idea.pk).exists():
        raise KnowledgeError(_("There is no such idea in this helpdesk."))
    deleted, _rows = IdeaVote.objects.filter(idea=idea, membership=membership).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            IdeaVote.objects.create(tenant_id=idea.tenant_id, idea=idea, membership=membership)
    except IntegrityError:  # a double click raced us; the vote is there either way
        pass
    return True


def answer_idea(*, idea: Idea, by: Membership, status: str, answer: str) -> Idea:
    ensure(by, "answer_ideas", idea)
    before = {"status": idea.status, "answer": idea.answer}
    idea.status, idea.answer, idea.answered_by = status, answer, by.user
    idea.save(update_fields=["status", "answer", "answered_by"])
    record_audit(
        tenant=idea.tenant,
        actor=by.user,
        action="idea.answered",
        target=idea,
        before=before,
        after={"status": status, "answer": answer},
    )
    return idea
