"""Every write to tickets and queues, one function per move in the helpdesk's language.

One module per concern; every name is here too, so callers write ``from tickets.services
import ...`` whichever module holds it.
"""

from .attachments import (
    AttachmentRefused,
    attach_file,
    attach_files,
    check_attachable,
    check_upload,
    upload_refusals,
)
from .base import REOPENED_BY_CUSTOMER_REPLY, InvalidTransition, TicketClosed
from .conversation import add_comment
from .lifecycle import change_status, rate_ticket, reopen_ticket
from .notification_templates import reset_notification_template, save_notification_template
from .opening import open_ticket
from .properties import (
    FIELD_ACTIONS,
    assign_ticket,
    change_priority,
    move_to_queue,
    set_tags,
    update_ticket,
)
from .queues import create_queue, expire_grants, grant_queue, revoke_queue, update_queue
from .service_levels import (
    PolicyTerms,
    applicable_policy,
    preview_service_levels,
    recompute_open_tickets,
    recompute_service_levels,
)
from .sla_settings import (
    create_calendar,
    create_sla_policy,
    delete_calendar,
    delete_sla_policy,
    load_country_holidays,
    remove_holiday,
    update_calendar,
    update_sla_policy,
)
from .workspace import delete_filter, save_filter

__all__ = [
    "PolicyTerms",
    "applicable_policy",
    "create_calendar",
    "create_sla_policy",
    "delete_calendar",
    "delete_sla_policy",
    "load_country_holidays",
    "preview_service_levels",
    "recompute_open_tickets",
    "recompute_service_levels",
    "remove_holiday",
    "update_calendar",
    "update_sla_policy",
    "FIELD_ACTIONS",
    "REOPENED_BY_CUSTOMER_REPLY",
    "AttachmentRefused",
    "InvalidTransition",
    "TicketClosed",
    "add_comment",
    "assign_ticket",
    "attach_file",
    "attach_files",
    "change_priority",
    "change_status",
    "check_attachable",
    "check_upload",
    "create_queue",
    "delete_filter",
    "expire_grants",
    "grant_queue",
    "move_to_queue",
    "open_ticket",
    "rate_ticket",
    "reopen_ticket",
    "reset_notification_template",
    "revoke_queue",
    "save_filter",
    "save_notification_template",
    "set_tags",
    "update_queue",
    "update_ticket",
    "upload_refusals",
]
