"""Macros: canned replies an agent inserts into the reply form, which may also set the
ticket's status, priority, tags or assignee. Personal, shared with a role, or tenant-wide."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import can
from accounts.models import Membership, Role
from accounts.tenancy import TenantOwned, TenantQuerySet

from .conversation import Comment

# What ``shared_with`` says besides a role's key.
PERSONAL = "me"
TENANT_WIDE = "tenant"


class MacroQuerySet(TenantQuerySet):
    def visible_to(self, member: Membership):
        """The macros this member may use: their own, their role's and the tenant-wide ones;
        none to those who do not work in the workspace (customers)."""
        macros = self.for_tenant(member.tenant)
        if not member.is_active or not can(member, "use_workspace"):
            return macros.none()
        return macros.filter(
            Q(owner_id=member.user_id)
            | Q(owner__isnull=True, role__isnull=True)
            | Q(owner__isnull=True, role_id=member.role_id)
        )

    def managed_by(self, member: Membership):
        """The macros listed on the member's macros page: those they use, and every shared one
        for those who manage the shared macros (a role's macros are the admin's to keep)."""
        macros = self.visible_to(member)
        if member.is_active and can(member, "manage_macros"):
            macros = self.for_tenant(member.tenant).filter(
                Q(pk__in=macros.values("pk")) | Q(owner__isnull=True)
            )
        return macros


class Macro(TenantOwned):
    """A canned reply. ``owner`` set: personal; ``role`` set: shared with that role's members;
    neither: every staff member of the helpdesk. ``sets`` holds the changes made on applying
    it (``status``, ``priority``, ``tags`` to add, ``assignee``: a user id or "me")."""

    name = models.CharField(_("name"), max_length=100)
    body = models.TextField(_("text"), max_length=Comment._meta.get_field("body").max_length)
    is_public = models.BooleanField(_("public reply"), default=True)
    sets = models.JSONField(_("changes"), default=dict, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = MacroQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=True) | Q(role__isnull=True),
                name="macro_personal_or_shared",
            )
        ]
        indexes = [
            # The picker and the macros page: a tenant's macros by name.
            models.Index(fields=["tenant", "name"], name="macro_by_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_personal(self) -> bool:
        return self.owner_id is not None

    @property
    def shared_with(self) -> str:
        """ "me", "tenant" or the role's key, as the API says it (reads ``role`` when shared)."""
        if self.owner_id is not None:
            return PERSONAL
        if self.role_id is None:
            return TENANT_WIDE
        return self.role.key
