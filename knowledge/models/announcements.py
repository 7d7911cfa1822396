"""Announcements (the news banner) and who has read them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role
from accounts.tenancy import TenantOwned, TenantQuerySet


class AnnouncementQuerySet(TenantQuerySet):
    def visible_to(self, member: Membership | None):
        """Published announcements for everyone or for the member's role."""
        if member is None or not member.is_active:
            return self.none()
        for_my_role = Exists(
            Announcement.roles.through.objects.filter(
                announcement_id=OuterRef("pk"), role_id=member.role_id
            )
        )
        return self.for_tenant(member.tenant).filter(
            Q(audience=Announcement.Audience.EVERYONE) | for_my_role
        )

    def unread_by(self, member: Membership):
        return self.exclude(
            Exists(AnnouncementRead.objects.filter(announcement=OuterRef("pk"), membership=member))
        )

    def with_read_state(self, member: Membership):
        return (
            self.select_related("author")
            .annotate(
                is_read=Exists(
                    AnnouncementRead.objects.filter(announcement=OuterRef("pk"), membership=member)
                ),
                n_reads=Count("reads", distinct=True),
            )
            .order_by("-published_at", "-pk")
        )


class Announcement(TenantOwned):
    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        ROLES = "roles", _("Chosen roles")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), max_length=20_000, help_text=_("Markdown."))
    audience = models.CharField(
        _("audience"),
        max_length=10,
        choices=Audience.choices,
        default=Audience.EVERYONE,
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="+", verbose_name=_("roles"))
    send_email = models.BooleanField(_("also send by e-mail"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["tenant", "-published_at"], name="announcement_recent")]

    def __str__(self):
        return self.title


class AnnouncementRead(TenantOwned):
    """A member read (or dismissed) an announcement: the banner goes away for them."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["announcement", "membership"], name="read_once")
        ]

    def __str__(self):
        return f"{self.membership_id} read {self.announcement_id}"


# --------------------------------------------------------------- the banner's cached answer


def announcements_version(tenant_id: int) -> str:
    """The version name of what the banner reads: the tenant's announcements and their reads."""
    return f"announcements:{tenant_id}"


def _announcements_changed(sender, instance, **kwargs) -> None:
    from core.versions import bump

    bump(announcements_version(instance.tenant_id))


def _audience_changed(sender, instance, action, **kwargs) -> None:
    """An announcement's roles set, added to or cleared (instance: the announcement)."""
    from core.versions import bump

    if action.startswith("post_"):
        bump(announcements_version(instance.tenant_id))


def _audience_row_deleted(sender, instance, **kwargs) -> None:
    """A role removed from an announcement's audience (a role deleted takes its rows along)."""
    from core.versions import bump

    tenant_id = Announcement.objects.filter(pk=instance.announcement_id).values("tenant_id")
    for row in tenant_id:
        bump(announcements_version(row["tenant_id"]))


for _model in (Announcement, AnnouncementRead):
    post_save.connect(_announcements_changed, sender=_model, dispatch_uid=f"kb-{_model.__name__}")
    post_delete.connect(
        _announcements_changed, sender=_model, dispatch_uid=f"kb-del-{_model.__name__}"
    )
m2m_changed.connect(_audience_changed, sender=Announcement.roles.through, dispatch_uid="kb-roles")
post_delete.connect(
    _audience_row_deleted, sender=Announcement.roles.through, dispatch_uid="kb-roles-del"
)
