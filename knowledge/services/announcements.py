"""Announcements: publishing, who they are for, the e-mail, and reading one."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Tenant, User
from accounts.services import record_audit
from core.mail import subject_line
from outbox.services import enqueue

from ..models import (
    Announcement,
    AnnouncementRead,
)
from .base import KnowledgeError, _absolute


@transaction.atomic
def publish_announcement(
    *,
    tenant: Tenant,
    by: User,
    title: str,
    body: str,
    audience: str = Announcement.Audience.EVERYONE,
    roles=(),
    send_email: bool = False,
) -> Announcement:
    if any(r.tenant_id != tenant.pk for r in roles):
        raise KnowledgeError(_("That role belongs to another helpdesk."))
    if audience == Announcement.Audience.ROLES and not roles:
        raise KnowledgeError(_("Choose at least one role, or send it to everyone."))
    announcement = Announcement.objects.create(
        tenant=tenant,
        title=title,
        body=body,
        audience=audience,
        send_email=send_email,
        author=by,
    )
    announcement.roles.set(roles if audience == Announcement.Audience.ROLES else [])
    record_audit(
        tenant=tenant,
        actor=by,
        action="announcement.published",
        target=announcement,
        after={
            "audience": audience,
            "roles": [r.key for r in roles],
            "email": send_email,
        },
    )
    if send_email:
        from ..tasks import email_announcement_task

        enqueue(email_announcement_task, announcement.pk)
    return announcement


def announcement_recipients(announcement: Announcement):
    members = Membership.objects.for_tenant(announcement.tenant).active()
    if announcement.audience == Announcement.Audience.ROLES:
        members = members.filter(role__in=announcement.roles.all())
    return members.select_related("user")


def email_announcement(*, announcement: Announcement) -> int:
    """Send the announcement to its audience, once (a second run finds it sent)."""
    claimed = Announcement.objects.filter(pk=announcement.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return 0
    url = _absolute(reverse("knowledge:news", args=[announcement.tenant.slug]))
    text = render_to_string(
        "knowledge/email/announcement.txt", {"announcement": announcement, "url": url}
    )
    recipients = [m.user.email for m in announcement_recipients(announcement)]
    for email in recipients:
        send_mail(subject_line(announcement.title), text, None, [email])
    return len(recipients)


def mark_announcement_read(
    *, announcement: Announcement, membership: Membership
) -> AnnouncementRead:
    if not Announcement.objects.visible_to(membership).filter(pk=announcement.pk).exists():
        raise KnowledgeError(_("This announcement is not for you."))
    read, _created = AnnouncementRead.objects.get_or_create(
        tenant_id=membership.tenant_id, announcement=announcement, membership=membership
    )
    return read
