"""Queues, who works them (guardian's grants and their QueueGrant record), and the grants'
cache: which queues a member works and whether they see every ticket."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import get_objects_for_user

from accounts.access import can
from accounts.models import Membership, User
from accounts.tenancy import TenantOwned, TenantQuerySet
from core import versions


class _GrantChanges:
    """Counts object-permission writes in this process, so that grants cached on a
    membership object are read again after a grant or a revocation (tests and jobs hold a
    membership across such changes; a web request resolves a fresh one anyway), and bumps
    the shared version of grants, under which every process keeps each member's queue ids."""

    count = 0

    @classmethod
    def bump(cls, **kwargs) -> None:
        cls.count += 1
        versions.bump(GRANTS_VERSION)

    @classmethod
    def groups_changed(cls, action, **kwargs) -> None:
        """Someone joined or left a group: its object permissions came or went with it."""
        if action.startswith("post_"):
            cls.bump()


GRANTS_VERSION = "queue-grants"
for _model in (UserObjectPermission, GroupObjectPermission):
    post_save.connect(_GrantChanges.bump, sender=_model, dispatch_uid=f"grants-{_model.__name__}")
    post_delete.connect(
        _GrantChanges.bump, sender=_model, dispatch_uid=f"grants-del-{_model.__name__}"
    )
m2m_changed.connect(
    _GrantChanges.groups_changed,
    sender=User.groups.through,
    dispatch_uid="grants-groups",
)


def sees_every_ticket(member: Membership) -> bool:
    """Whether the member's tickets are all of the tenant's (their role's scope, or agents where
    the tenant lets agents work every queue)."""
    return member.sees_all_tickets or (member.works_queues and member.tenant.agents_work_all_queues)


def works_every_queue(member: Membership) -> bool:
    """Supervisors and admins work every queue, and so do agents where the tenant says so."""
    return member.sees_all_tickets or member.tenant.agents_work_all_queues


def granted_queue_ids(member: Membership) -> list[int]:
    """Ids of the queues granted to the member, read once per membership object.

    Guardian holds the grant; QueueGrant only adds who granted it and its expiry. A request
    resolves its membership once, so this is one cache read per request (one small query
    after a grant changed anywhere); lists then filter on literal ids, which the planner can
    estimate (a guardian subquery it cannot, and at a million tickets it then walks every
    ticket of the queues instead of the newest few).
    """
    cached = getattr(member, "_granted_queue_ids", None)
    if cached is None or cached[0] != _GrantChanges.count:
        user = member.user

        def read():
            queues = get_objects_for_user(
                user,
                "tickets.work_queue",
                klass=Queue.objects.for_tenant(member.tenant),
                accept_global_perms=False,
            )
            return sorted(queues.values_list("pk", flat=True))

        # Kept between requests under the version every grant and revocation bumps; what
        # guardian also weighs of the person (superuser, active) is in the key.
        key = f"grants:{member.tenant_id}:{user.pk}:{user.is_superuser:d}{user.is_active:d}"
        cached = (_GrantChanges.count, versions.cached(GRANTS_VERSION, key, read))
        member._granted_queue_ids = cached
    return cached[1]


class QueueQuerySet(TenantQuerySet):
    def visible_to(self, member: Membership):
        """Queues the member sees: every one with "view_all_queues", else the portal's."""
        queues = self.for_tenant(member.tenant)
        if can(member, "view_all_queues"):
            return queues
        return queues.filter(is_public=True)

    def worked_by(self, member: Membership):
        """Queues the member works: all for supervisors/admins or where the tenant says so."""
        queues = self.for_tenant(member.tenant)
        if works_every_queue(member):
            return queues
        return queues.filter(pk__in=granted_queue_ids(member))


class Queue(TenantOwned):
    class Assignment(models.TextChoices):
        MANUAL = "manual", _("Manual: agents take tickets or are given them")
        ROUND_ROBIN = "round_robin", _("Round robin: each available agent in turn")
        LEAST_LOADED = (
            "least_loaded",
            _("Least loaded: the available agent with the fewest open tickets"),
        )

    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    is_public = models.BooleanField(
        _("offered in the portal"),
        default=True,
        help_text=_("Customers may choose this queue when they submit a request."),
    )
    assignment = models.CharField(
        _("assignment"),
        max_length=12,
        choices=Assignment.choices,
        default=Assignment.MANUAL,
        help_text=_("How new tickets of this queue get an assignee."),
    )
    # The round robin's cursor: whom it gave the last ticket to. Read and moved under the
    # queue's row lock (tickets.services.assignment), so two tickets never take one turn.
    last_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = QueueQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [("work_queue", "Work tickets in this queue")]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="queue_name_unique")]

    def __str__(self):
        return self.name

    @property
    def assigns_automatically(self) -> bool:
        return self.assignment != self.Assignment.MANUAL


class QueueGrant(TenantOwned):
    """A member works a queue. Mirrors guardian's ``work_queue`` object permission, adding
    who granted it and when it expires (an expired grant is removed by a Celery job)."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["queue", "user"], name="queue_grant_unique")]
        indexes = [
            # The expiry job: grants whose time has come.
            models.Index(
                fields=["expires_at"],
                name="queue_grant_expiry",
                condition=Q(expires_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.user} works {self.queue}"
