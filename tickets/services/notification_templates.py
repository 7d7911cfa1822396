"""The wording of the e-mails a helpdesk sends."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Tenant, User
from accounts.services import record_audit

from ..models import (
    NotificationTemplate,
)


def save_notification_template(
    *,
    tenant: Tenant,
    kind: str,
    subject: str,
    body: str,
    by: User | None,
    language: str = "en",
) -> NotificationTemplate:
    """The tenant's wording of one kind in one language (the others keep theirs)."""
    template, _created = NotificationTemplate.objects.update_or_create(
        tenant=tenant,
        kind=kind,
        language=language,
        defaults={"subject": subject, "body": body, "updated_at": timezone.now()},
    )
    record_audit(
        tenant=tenant,
        actor=by,
        action="notification_template.saved",
        target=template,
        after={"kind": kind, "language": language, "subject": subject},
    )
    return template


def reset_notification_template(
    *, tenant: Tenant, kind: str, by: User | None, language: str = "en"
) -> None:
    template = (
        NotificationTemplate.objects.for_tenant(tenant).filter(kind=kind, language=language).first()
    )
    if template is not None:
        record_audit(
            tenant=tenant,
            actor=by,
            action="notification_template.reset",
            target=template,
            before={"kind": kind, "language": language, "subject": template.subject},
        )
        template.delete()
