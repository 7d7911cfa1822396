"""The actions a member may be allowed, and the built-in role templates made of them.

Action names are part of the published API (``me/`` lists them, ``access/explain/`` takes one).
"""

from django.utils.translation import gettext_lazy as _

# key -> a phrase that completes "allowed to ..." in explanations.
ACTIONS = {
    "submit_ticket": _("submit requests"),
    "view_ticket": _("see tickets"),
    # The requester's own moves on their request (tickets.access.REQUESTER_ACTIONS).
    "solve_own_request": _("mark their own requests solved"),
    "add_colleague": _("add colleagues of their organization to their requests"),
    "reply_public": _("reply publicly to requesters"),
    "add_internal_note": _("write internal notes"),
    "assign_ticket": _("assign tickets"),
    "change_ticket_status": _("change the status of tickets"),
    "view_people": _("see the people directory"),
    "manage_people": _("invite, approve and deactivate people"),
    "change_role": _("change people's roles"),
    "manage_joining_rules": _("change the joining rules"),
    "manage_queues": _("manage queues and who works them"),
    "manage_articles": _("write and publish articles"),
    "view_metrics": _("see the helpdesk's metrics"),
    "view_own_metrics": _("see their own figures"),
    "view_audit_log": _("read the audit log"),
    "manage_settings": _("change the helpdesk's settings"),
    "manage_mailboxes": _("manage support addresses and the mail they could not take"),
    "view_kudos": _("see kudos and thank-you notes"),
    "thank_agents": _("send thank-you notes to agents"),
    "publish_announcements": _("publish announcements"),
    "manage_onboarding": _("set onboarding checklists"),
    "answer_ideas": _("answer ideas and set their status"),
    "manage_macros": _("manage the macros shared with a role or the whole helpdesk"),
    "manage_absences": _("say when others are away and who covers for them"),
    "manage_team_views": _("share workspace views with roles and queues"),
    "manage_service_levels": _("set business hours and service-level targets"),
    # What being staff stands for, each asked of decide() where it matters.
    "use_workspace": _("work in the agents' workspace"),
    "work_tickets": _("be assigned tickets and work queues"),
    "view_internal_notes": _("read and search internal notes"),
    "view_all_queues": _("see every queue (those not offered in the portal too) and who works it"),
    "view_staff_content": _("read the articles and ideas meant for staff"),
}

# The actions that made a role staff before they were actions: every staff role holds them
# (migration accounts 0005 gave them to the roles that existed then).
STAFF_WORK = [
    "use_workspace",
    "work_tickets",
    "view_internal_notes",
    "view_all_queues",
    "view_staff_content",
]

# What a customer role holds. Every other action is staff work: a customer is never offered to ask
# for it (accounts.access.decide), since granting it would make them staff, which an admin does by
# choosing their role, not by approving a request.
CUSTOMER_ACTIONS = frozenset({"submit_ticket", "view_ticket", "solve_own_request", "add_colleague"})

# How far a role sees tickets: its own requests, the queues it works, or everything.
SCOPE_OWN = "own"
SCOPE_QUEUES = "queues"
SCOPE_ALL = "all"
SCOPES = [
    (SCOPE_OWN, _("Their own requests (and their organization's where shared)")),
    (SCOPE_QUEUES, _("Tickets in the queues they work")),
    (SCOPE_ALL, _("Every ticket of the helpdesk")),
]

_STAFF = [
    "submit_ticket",
    "view_ticket",
    # A requester's own moves, held with submit_ticket so that whoever gives the customer role
    # (granting.may_grant: what one gives is a subset of what one holds) still may.
    "solve_own_request",
    "add_colleague",
    "reply_public",
    "add_internal_note",
    "assign_ticket",
    "change_ticket_status",
    "view_people",
    "view_kudos",
    *STAFF_WORK,
]

BUILTIN_ROLES = {
    "admin": {
        "name": _("Admin"),
        "scope": SCOPE_ALL,
        "permissions": list(ACTIONS),
        "description": _(
            "Runs the helpdesk: sets the joining rules, invites, approves and deactivates "
            "people, assigns roles, manages queues, articles and settings, and sees every "
            "ticket and every figure."
        ),
    },
    "supervisor": {
        "name": _("Supervisor"),
        "scope": SCOPE_ALL,
        "permissions": [
            *_STAFF,
            "manage_queues",
            "manage_articles",
            "view_metrics",
            "view_own_metrics",
            "thank_agents",
            "manage_absences",
        ],
        "description": _(
            "Leads the agents: sees and works every ticket, assigns work, manages queues and "
            "articles, and reads the metrics. Cannot change roles, joining rules or settings."
        ),
    },
    "agent": {
        "name": _("Agent"),
        "scope": SCOPE_QUEUES,
        "permissions": [*_STAFF, "view_own_metrics"],
        "description": _(
            "Works tickets in the queues granted to them: replies to requesters, writes "
            "internal notes, takes and assigns tickets and changes their status. Sees the "
            "people directory, not the metrics of others."
        ),
    },
    "customer": {
        "name": _("Customer"),
        "scope": SCOPE_OWN,
        "permissions": ["submit_ticket", "view_ticket", "solve_own_request", "add_colleague"],
        "description": _(
            "Submits requests in the portal and follows their own (and their organization's, "
            "where the helpdesk shares them). Never sees internal notes or other customers."
        ),
    },
}
