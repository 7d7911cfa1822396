"""Queues and their grants, tickets, their conversation, ratings, tags, saved filters,
notification templates, mailboxes and mail, service levels: data and reads.

One module per concern; every name is re-exported here, so ``from tickets.models import X``
works wherever X lives (and Django finds every model under the ``tickets`` app)."""

from __future__ import annotations

from .colleagues import TicketColleague, TicketColleagueQuerySet
from .conversation import (
    Attachment,
    AttachmentQuerySet,
    Comment,
    CommentQuerySet,
    TicketEvent,
    attachment_path,
)
from .macros import PERSONAL, TENANT_WIDE, Macro, MacroQuerySet
from .mail import Mailbox, MailboxQuerySet, TicketMail
from .notifications import NotificationTemplate
from .queues import (
    GRANTS_VERSION,
    Queue,
    QueueGrant,
    QueueQuerySet,
    granted_queue_ids,
    sees_every_ticket,
    works_every_queue,
)
from .ratings import Rating
from .saved_filters import SavedFilter, SavedFilterQuerySet
from .service_levels import (
    BREACH_COLUMNS,
    TARGETS,
    Calendar,
    CalendarQuerySet,
    Holiday,
    SlaPolicy,
    SlaPolicyQuerySet,
    TicketServiceLevels,
    breached_targets,
)
from .tags import Tag
from .tickets import (
    PRIORITY_LABELS,
    STATUS_LABELS,
    Ticket,
    TicketQuerySet,
    priority_label,
    status_label,
)

__all__ = [
    "BREACH_COLUMNS",
    "TARGETS",
    "Calendar",
    "CalendarQuerySet",
    "Holiday",
    "SlaPolicy",
    "SlaPolicyQuerySet",
    "TicketServiceLevels",
    "GRANTS_VERSION",
    "PERSONAL",
    "TENANT_WIDE",
    "PRIORITY_LABELS",
    "STATUS_LABELS",
    "Attachment",
    "AttachmentQuerySet",
    "Comment",
    "CommentQuerySet",
    "Macro",
    "MacroQuerySet",
    "Mailbox",
    "MailboxQuerySet",
    "NotificationTemplate",
    "Queue",
    "QueueGrant",
    "QueueQuerySet",
    "Rating",
    "SavedFilter",
    "SavedFilterQuerySet",
    "Tag",
    "Ticket",
    "TicketColleague",
    "TicketColleagueQuerySet",
    "TicketEvent",
    "TicketMail",
    "TicketQuerySet",
    "attachment_path",
    "breached_targets",
    "granted_queue_ids",
    "priority_label",
    "sees_every_ticket",
    "status_label",
    "works_every_queue",
]
