"""Admins hear that a sign-up waits for their approval: by e-mail, in their own language.

accounts (below this app) calls the listener this app registers (``apps.py``) in the
sign-up's transaction; the telling is a task, so it happens once the sign-up is committed.
The membership's ``approvers_told_at`` is claimed under its row lock with the mails, so a
task run twice tells the admins once."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.services import approvers_of
from core.mail import subject_line
from outbox.services import enqueue

from .mail import language_of


def sign_up_waits(membership: Membership) -> None:
    """The listener accounts calls when a sign-up waits for approval."""
    enqueue("notifications.tasks.tell_approvers_task", membership.pk)


def tell_approvers(*, membership_id: int) -> int:
    """Mail every active admin of the helpdesk; answers how many were told."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("tenant", "user")
            .filter(pk=membership_id, status=Membership.Status.PENDING)
            .first()
        )
        if membership is None or membership.approvers_told_at is not None:
            return 0  # decided meanwhile, or already told
        tenant = membership.tenant
        link = settings.SITE_URL.rstrip("/") + reverse("accounts:approvals", args=[tenant.slug])
        admins = approvers_of(tenant)
        for admin in admins:
            with translation.override(language_of(admin)):
                send_mail(
                    subject_line(
                        _("A sign-up to %(tenant)s waits for your approval")
                        % {"tenant": tenant.name}
                    ),
                    render_to_string(
                        "notifications/email/approval_waiting.txt",
                        {
                            "recipient": admin,
                            "person": membership.user,
                            "tenant": tenant,
                            "link": link,
                        },
                    ),
                    None,
                    [admin.email],
                )
        membership.approvers_told_at = timezone.now()
        membership.save(update_fields=["approvers_told_at"])
    return len(admins)
