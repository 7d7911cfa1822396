"""Telling people: one notification per person, by e-mail, in the app, or both, once."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import Membership, Tenant, User
from tickets.models import Ticket, TicketEvent

from .mail import compose
from .models import DEFAULT_CHANNELS, Channel, Kind, Notification, NotificationPreference
from .rules import supervisors, told_of
from .unread import forget_unread

logger = logging.getLogger(__name__)


def channel_for(*, tenant: Tenant, user: User, kind: str) -> str:
    chosen = (
        NotificationPreference.objects.for_tenant(tenant)
        .filter(user=user, kind=kind)
        .values_list("channel", flat=True)
        .first()
    )
    return chosen or DEFAULT_CHANNELS[kind]


def channels_of(*, tenant: Tenant, user: User) -> dict[str, str]:
    """Every kind's channel for one person: their choices over the defaults."""
    chosen = dict(
        NotificationPreference.objects.for_tenant(tenant)
        .filter(user=user)
        .values_list("kind", "channel")
    )
    return {kind: chosen.get(kind, DEFAULT_CHANNELS[kind]) for kind in Kind.values}


def set_notification_channels(*, member: Membership, channels: dict[str, str]) -> None:
    """A person's choice of how to hear of each kind (a kind left out keeps its choice)."""
    for kind, channel in channels.items():
        if kind not in Kind.values or channel not in Channel.values:
            raise ValueError(f"{kind}: {channel}")
        NotificationPreference.objects.update_or_create(
            tenant=member.tenant, user=member.user, kind=kind, defaults={"channel": channel}
        )


def tell(
    *,
    member: Membership,
    kind: str,
    ticket: Ticket,
    event: TicketEvent | None = None,
    note: str = "",
) -> Notification:
    """Tell one person of one thing, once: the row is claimed (and locked) before the mail
    goes out and stamped in the same transaction, so a second run finds it sent. A failed
    send rolls back that person's row only; a retry then tells them, and nobody twice."""
    user = member.user
    channel = channel_for(tenant=ticket.tenant, user=user, kind=kind)
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            tenant=ticket.tenant,
            recipient=user,
            kind=kind,
            ticket=ticket,
            event=event,
            note=note[:200],
            defaults={"shows_in_app": channel in (Channel.IN_APP, Channel.BOTH)},
        )
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if channel in (Channel.EMAIL, Channel.BOTH) and notification.emailed_at is None:
            compose(ticket=ticket, kind=kind, recipient=user, event=event, note=note).send()
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
    if created and notification.shows_in_app:
        forget_unread(ticket.tenant_id, user.pk)
    return notification


def notify_event(*, event_id: int) -> int:
    """Tell everyone one event concerns (rules.told_of); how many were told. Safe to run
    twice: each person's notification is claimed once, and the event is stamped at the end."""
    event = (
        TicketEvent.objects.select_related(
            "ticket__tenant", "ticket__requester", "ticket__queue", "actor", "comment"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.notified_at is not None:
        return 0
    told = told_of(event)
    for member, kind in told:
        tell(member=member, kind=kind, ticket=event.ticket, event=event)
    TicketEvent.objects.filter(pk=event.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    return len(told)


def tell_supervisors_ticket_waits(ticket: Ticket, reason: str) -> int:
    """Tell the supervisors that a ticket waits too long, and why; once per ticket and reason.

    The hook for service levels: a broken target calls this with its own reason."""
    ticket = Ticket.objects.select_related("tenant", "requester", "queue").get(pk=ticket.pk)
    told = supervisors(ticket)
    for member in told:
        tell(member=member, kind=Kind.WAITING, ticket=ticket, note=reason)
    return len(told)


def tickets_waiting_too_long(tenant: Tenant, *, hours: int):
    """Open tickets older than ``hours`` with no staff response yet, not yet reported."""
    reported = Notification.objects.filter(
        ticket_id=OuterRef("pk"), kind=Kind.WAITING, event__isnull=True
    )
    return (
        Ticket.objects.for_tenant(tenant)
        .open()
        .filter(
            first_response_at__isnull=True,
            created_at__lte=timezone.now() - timedelta(hours=hours),
        )
        .exclude(Exists(reported))
        .order_by("created_at")
    )


def report_waiting_tickets() -> int:
    """Beat: tell supervisors of every ticket with no staff response after
    NOTIFY_WAITING_HOURS (0 turns it off). How many tickets were reported."""
    hours = getattr(settings, "NOTIFY_WAITING_HOURS", 24)
    if not hours:
        return 0
    reason = gettext_noop("no response from the helpdesk yet")  # translated for each reader
    count = 0
    for tenant in Tenant.objects.order_by("pk"):
        for ticket in tickets_waiting_too_long(tenant, hours=hours)[:500]:
            tell_supervisors_ticket_waits(ticket, reason)
            count += 1
    return count


def mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        forget_unread(notification.tenant_id, notification.recipient_id)
    return notification


def mark_all_read(*, member: Membership) -> int:
    count = Notification.objects.visible_to(member).unread().update(read_at=timezone.now())
    forget_unread(member.tenant_id, member.user_id)
    return count
