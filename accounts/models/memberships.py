"""Memberships (a user's role and standing in one tenant) and the access requests members
send their admins."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..actions import ACTIONS, SCOPE_ALL, SCOPE_OWN, SCOPE_QUEUES
from ..tenancy import TenantOwned, TenantQuerySet
from .roles import Role
from .tenants import Organization
from .users import User


class MembershipQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(status=Membership.Status.ACTIVE)

    def staff(self):
        return self.exclude(role__scope=SCOPE_OWN)

    def admins(self):
        return self.active().filter(role__key="admin")

    def expired(self, now):
        return self.active().filter(expires_at__lte=now)

    def held_by(self, user):
        """A person's memberships in every helpdesk: the one read not scoped to a tenant, for
        the caller's own list (GET /api/v1/me/)."""
        return self.filter(user=user).select_related("tenant", "role").order_by("tenant__slug")


class Membership(TenantOwned):
    """A user's place in one tenant: their role, organization and standing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        ACTIVE = "active", _("Active")
        DEACTIVATED = "deactivated", _("Deactivated")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="memberships")
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    joined_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    # At most this many open tickets come to them by automatic assignment (none: no limit);
    # fewer while they are onboarding (tickets.assignment's capacity rules).
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Most open tickets automatic assignment gives them; empty: no limit."),
    )

    # Set by a joining rule for temporary contractors: the membership ends then (a beat job).
    expires_at = models.DateTimeField(_("membership ends"), null=True, blank=True)
    # When the admins were told that this sign-up waits for them (told once, not per retry).
    approvers_told_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["tenant", "user"], name="membership_unique")]
        indexes = [
            # People directory: one tenant's members filtered by status.
            models.Index(fields=["tenant", "status"], name="membership_directory"),
        ]

    def __str__(self):
        return f"{self.user} ({self.role.key})"  # what the audit log names it by

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_admin(self) -> bool:
        return self.is_active and self.role.key == "admin"

    @property
    def is_staff(self) -> bool:
        return self.is_active and self.role.is_staff

    @property
    def sees_all_tickets(self) -> bool:
        return self.role.scope == SCOPE_ALL

    @property
    def works_queues(self) -> bool:
        return self.role.scope == SCOPE_QUEUES


class AccessRequestQuerySet(TenantQuerySet):
    def pending(self):
        return self.filter(status=AccessRequest.Status.PENDING)


class AccessRequest(TenantOwned):
    """A member asks an admin to lift a refusal (by a role change or a queue grant)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        GRANTED = "granted", _("Granted")
        DECLINED = "declined", _("Declined")

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="access_requests"
    )
    action = models.CharField(_("action"), max_length=40)
    # The ticket the refusal was about, by its number (tickets live in another app).
    ticket_number = models.PositiveIntegerField(null=True, blank=True)
    reason = models.TextField(_("why it was refused"), blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The approvals page: a tenant's waiting requests.
            models.Index(fields=["tenant", "status"], name="access_request_waiting"),
        ]

    def __str__(self):
        return f"{self.membership.user} asks to {self.action}"

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, self.action))
