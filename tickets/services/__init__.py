"""Every write to tickets and queues, one function per move in the helpdesk's language.

One module per concern; every name is here too, so callers write ``from tickets.services
import ...`` whichever module holds it.
"""

from .assignment import assign_automatically, available_agents, register_capacity_rule
from .attachments import (
    AttachmentRefused,
    attach_file,
    attach_files,
    check_attachable,
    check_upload,
    upload_refusals,
)
from .base import REOPENED_BY_CUSTOMER_REPLY, InvalidTransition, TicketClosed
from .closing import close_solved_tickets
from .colleagues import ColleagueRefused, add_colleague, colleagues_to_add
from .conversation import add_comment, answer_ticket
from .cover import cover_absences, cover_for
from .lifecycle import change_status, rate_ticket, reopen_ticket, solve_own_request
from .macros import (
    PLACEHOLDERS as MACRO_PLACEHOLDERS,
)
from .macros import (
    MacroRefused,
    add_macro,
    apply_macro,
    change_macro,
    delete_macro,
    fill_macro,
    macro_action,
    macro_changes,
)
from .notification_templates import reset_notification_template, save_notification_template
from .opening import RequesterRefused, open_ticket, open_ticket_for, requester_for
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
from .workspace import delete_filter, remove_team_view, save_filter, share_team_view

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
    "AttachmentRefused",
    "ColleagueRefused",
    "FIELD_ACTIONS",
    "InvalidTransition",
    "MACRO_PLACEHOLDERS",
    "MacroRefused",
    "PolicyTerms",
    "REOPENED_BY_CUSTOMER_REPLY",
    "RequesterRefused",
    "TicketClosed",
    "add_colleague",
    "add_comment",
    "add_macro",
    "answer_ticket",
    "applicable_policy",
    "apply_macro",
    "assign_automatically",
    "assign_ticket",
    "attach_file",
    "attach_files",
    "available_agents",
    "change_macro",
    "change_priority",
    "change_status",
    "check_attachable",
    "check_upload",
    "close_solved_tickets",
    "colleagues_to_add",
    "cover_absences",
    "cover_for",
    "create_calendar",
    "create_queue",
    "create_sla_policy",
    "delete_calendar",
    "delete_filter",
    "delete_macro",
    "delete_sla_policy",
    "expire_grants",
    "fill_macro",
    "grant_queue",
    "load_country_holidays",
    "macro_action",
    "macro_changes",
    "move_to_queue",
    "open_ticket",
    "open_ticket_for",
    "preview_service_levels",
    "rate_ticket",
    "recompute_open_tickets",
    "recompute_service_levels",
    "register_capacity_rule",
    "remove_holiday",
    "remove_team_view",
    "reopen_ticket",
    "requester_for",
    "reset_notification_template",
    "revoke_queue",
    "save_filter",
    "save_notification_template",
    "set_tags",
    "share_team_view",
    "solve_own_request",
    "update_calendar",
    "update_queue",
    "update_sla_policy",
    "update_ticket",
    "upload_refusals",
]
