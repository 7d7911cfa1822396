"""Onboarding lowers capacity: tickets' automatic assignment asks this rule (registered in
KnowledgeConfig.ready, since tickets, a layer below, may not import knowledge)."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Membership

from .models import onboarding_status


def onboarding_capacity(member: Membership, capacity: int) -> int:
    """While the member's onboarding checklist is not complete, half their capacity (rounded
    up, so a capacity of one stays one): a newcomer is given work, but less of it."""
    status = onboarding_status(member, now=timezone.now())
    if status is None or status.is_complete:
        return capacity
    return (capacity + 1) // 2
