"""What the services of every concern share: the refusal they raise and a member lookup."""

from __future__ import annotations

from ..models import (
    Membership,
    Tenant,
    User,
)

# --- Refusals -------------------------------------------------------------------------------


class NotPermitted(Exception):  # noqa: N818 (a refusal with words, not a crash)
    """A write the rules refuse; ``message`` says why in words a person understands."""

    def __init__(self, message: str, reasons: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.reasons = reasons or [message]


def _membership_of(tenant: Tenant, user: User) -> Membership | None:
    return Membership.objects.for_tenant(tenant).filter(user=user).first()
