"""What the mailroom itself says to senders: a refusal, once, and the link a customer made
from a mail follows to prove the address and choose a password.

Both go through the outbox (tasks below, registered by MailroomConfig.ready), so they leave
only if the record of the message committed. Both carry the marks of an automatic mail, so
that autoresponders stay quiet and our own mailroom drops them if they come back.
"""

from __future__ import annotations

from datetime import timedelta
from email.utils import formataddr
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import Tenant, User
from core.mail import subject_line
from outbox.services import enqueue
from tickets.models import Ticket

from .models import InboundMessage

# A sender hears of a refusal at most once in this many hours, whatever they send meanwhile.
TOLD_ONCE_HOURS = 24


def loop_mark() -> str:
    """The host of SITE_URL: the same mark notifications.mail.loop_mark() puts on our mail
    (a sibling app, so the one line is repeated rather than imported)."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def automatic_headers(in_reply_to: str = "") -> dict[str, str]:
    headers = {
        "Auto-Submitted": "auto-replied",
        "X-Auto-Response-Suppress": "All",
        "X-Helpdesk-Loop": loop_mark(),
    }
    if in_reply_to:
        headers["In-Reply-To"] = f"<{in_reply_to}>"
        headers["References"] = f"<{in_reply_to}>"
    return headers


def tell_refusal_once(inbound: InboundMessage) -> bool:
    """Queue the refusal notice unless this sender was told within TOLD_ONCE_HOURS (or the
    message came from a machine, which never gets an answer). True when queued."""
    since = timezone.now() - timedelta(hours=TOLD_ONCE_HOURS)
    told = (
        InboundMessage.objects.filter(
            sender=inbound.sender, tenant_id=inbound.tenant_id, told_at__gte=since
        )
        .exclude(pk=inbound.pk)
        .exists()
    )
    if told or not inbound.sender:
        return False
    InboundMessage.objects.filter(pk=inbound.pk).update(told_at=timezone.now())
    enqueue(send_refusal_task, inbound.pk)
    return True


def send_refusal(inbound: InboundMessage) -> None:
    tenant = inbound.tenant
    helpdesk = tenant.name if tenant else settings.DEFAULT_FROM_EMAIL
    context = {
        "helpdesk": helpdesk,
        "subject": inbound.subject or _("(no subject)"),
        "reason": inbound.reason,
    }
    EmailMessage(
        subject=subject_line(_("Not received: %(subject)s") % {"subject": context["subject"]}),
        body=render_to_string("mailroom/email/refused.txt", context),
        from_email=formataddr((helpdesk, settings.DEFAULT_FROM_EMAIL)),
        to=[inbound.sender],
        headers=automatic_headers(inbound.message_id),
    ).send()


def welcome(*, tenant: Tenant, user: User, ticket: Ticket) -> None:
    enqueue(send_welcome_task, tenant.pk, user.pk, ticket.pk)


def send_welcome(*, tenant: Tenant, user: User, ticket: Ticket) -> None:
    # Django's reset token: it stops working once a password is set (it hashes the password).
    path = reverse(
        "password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    context = {
        "name": user.get_full_name() or user.email,
        "helpdesk": tenant.name,
        "number": ticket.number,
        "link": settings.SITE_URL.rstrip("/") + path,
    }
    EmailMessage(
        subject=subject_line(_("Confirm your address at %(helpdesk)s") % {"helpdesk": tenant.name}),
        body=render_to_string("mailroom/email/welcome.txt", context),
        from_email=formataddr((tenant.name, settings.DEFAULT_FROM_EMAIL)),
        to=[user.email],
        headers=automatic_headers(),
    ).send()


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_refusal_task(inbound_id: int) -> None:
    inbound = InboundMessage.objects.select_related("tenant").filter(pk=inbound_id).first()
    if inbound is None:
        return
    send_refusal(inbound)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_welcome_task(tenant_id: int, user_id: int, ticket_id: int) -> None:
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    user = User.objects.filter(pk=user_id).first()
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if tenant is None or user is None or ticket is None or user.has_usable_password():
        return  # gone, or the person chose a password meanwhile
    send_welcome(tenant=tenant, user=user, ticket=ticket)
