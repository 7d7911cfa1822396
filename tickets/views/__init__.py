"""Pages of tickets, under /t/<slug>/: the portal, the workspace, ticket pages, history.

One module per concern; every name is re-exported here, so ``from tickets.views import X`` and
``views.X`` in the URL conf work wherever X lives."""

from __future__ import annotations

# The private helpers (``_x as _x``) stay importable here as before; __all__ lists the rest.
from .agent_workspace import _back as _back
from .agent_workspace import bulk, delete_workspace_filter, save_workspace_filter, workspace
from .base import _find_ticket as _find_ticket
from .configuration import _queues_with_agents as _queues_with_agents
from .configuration import notification_settings, queue_edit, queues
from .customer_portal import portal, submit
from .history import _history as _history
from .history import _history_summary as _history_summary
from .history import organization_history, person_history
from .macros import macro_delete, macro_edit, macro_preview, macros, open_on_behalf
from .rating import _rate as _rate
from .rating import rate, rate_by_link
from .service_levels import (
    calendar_delete,
    calendar_edit,
    calendar_holidays,
    policy_delete,
    policy_edit,
    service_levels,
)
from .ticket import _add_to_conversation as _add_to_conversation
from .ticket import _changes_since as _changes_since
from .ticket import _conflict as _conflict
from .ticket import _customer_ticket as _customer_ticket
from .ticket import _set_version as _set_version
from .ticket import _staff_reply as _staff_reply
from .ticket import _staff_ticket as _staff_ticket
from .ticket import _staff_update as _staff_update
from .ticket import _version as _version
from .ticket import attachment, ticket_page, ticket_presence

__all__ = [
    "calendar_delete",
    "calendar_edit",
    "calendar_holidays",
    "policy_delete",
    "policy_edit",
    "service_levels",
    "attachment",
    "bulk",
    "delete_workspace_filter",
    "macro_delete",
    "macro_edit",
    "macro_preview",
    "macros",
    "notification_settings",
    "open_on_behalf",
    "organization_history",
    "person_history",
    "portal",
    "queue_edit",
    "queues",
    "rate",
    "rate_by_link",
    "save_workspace_filter",
    "submit",
    "ticket_page",
    "ticket_presence",
    "workspace",
]
