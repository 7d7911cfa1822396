"""Saved filters: a member's own named views of the workspace list, and the team's views an
admin shares with roles or queues."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import can
from accounts.models import Membership, Role
from accounts.tenancy import TenantOwned, TenantQuerySet

from .queues import Queue, granted_queue_ids, works_every_queue


class SavedFilterQuerySet(TenantQuerySet):
    def owned_by(self, member: Membership):
        """The member's own views (never a team view, even one they made)."""
        return self.for_tenant(member.tenant).filter(owner_id=member.user_id, is_team=False)

    def team_views(self, tenant):
        return self.for_tenant(tenant).filter(is_team=True)

    def shown_to(self, member: Membership):
        """The views the workspace lists for this member, in one query: their own, then the
        team views shared with their role or a queue they work (every team view to those who
        manage them, so that they can check and remove them)."""
        team = Q(is_team=True)
        if not can(member, "manage_team_views"):
            # Joins, not subqueries: a plain statement that costs the page no more to build.
            shared = Q(shared_with_roles__id=member.role_id)
            if works_every_queue(member):
                shared |= Q(shared_with_queues__isnull=False)
            elif granted_queue_ids(member):
                shared |= Q(shared_with_queues__id__in=granted_queue_ids(member))
            team &= shared
        own = Q(owner_id=member.user_id, is_team=False)
        views = self.for_tenant(member.tenant).filter(own | team)
        return views.distinct().order_by("is_team", "name", "pk")


class SavedFilter(TenantOwned):
    """A workspace view: a name and the query string of the list's filters. A member's own,
    or (``is_team``) one an admin shares with roles or queues, beside each person's own."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    is_team = models.BooleanField(default=False)
    # Whom a team view is shown to: members of these roles, and those who work these queues.
    shared_with_roles = models.ManyToManyField(Role, blank=True, related_name="+")
    shared_with_queues = models.ManyToManyField(Queue, blank=True, related_name="+")

    objects = SavedFilterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "owner", "name"],
                condition=Q(is_team=False),
                name="saved_filter_name_unique",
            ),
            models.UniqueConstraint(
                fields=["tenant", "name"], condition=Q(is_team=True), name="team_view_name_unique"
            ),
        ]

    def __str__(self):
        return self.name
