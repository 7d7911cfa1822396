"""The audit log in words: what each recorded action means, and the subjects to filter by.

Entries store a stable code (``role.changed``); the API returns it as is, pages show these words.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .actions import ACTIONS as ROLE_ACTIONS
from .actions import BUILTIN_ROLES, SCOPES
from .models import AccessRequest, JoiningRule, Membership

SUBJECTS = {
    "membership": _("People"),
    "registration": _("Sign-up approvals"),
    "invitation": _("Invitations"),
    "role": _("Roles"),
    "grant": _("Queue grants"),
    "access_request": _("Access requests"),
    "joining_rule": _("Joining rules"),
    "tenant": _("Helpdesk settings"),
    "queue": _("Queues"),
    "notification_template": _("E-mail wording"),
    "article": _("Articles"),
    "knowledge": _("Knowledge base settings"),
    "onboarding": _("Onboarding"),
    "announcement": _("Announcements"),
    "idea": _("Ideas"),
    "mailbox": _("Support addresses"),
    "identity_provider": _("Single sign-on"),
    "inbound_mail": _("Received mail"),
    "macro": _("Shared macros"),
    "absence": _("Absences"),
    "team_view": _("Team views"),
    "person": _("Personal data"),
    "calendar": _("Business hours"),
    "sla_policy": _("Service levels"),
}

ACTIONS = {
    "membership.created": _("joined"),
    "membership.activated_by_invitation": _("joined by invitation"),
    "membership.role_changed": _("role changed"),
    "membership.organization_changed": _("organization changed"),
    "membership.deactivated": _("deactivated"),
    "membership.reactivated": _("reactivated"),
    "membership.status_changed": _("standing changed"),
    "membership.capacity_changed": _("capacity changed"),
    "membership.two_factor_reset": _("two-factor sign-in reset"),
    "registration.approved": _("sign-up approved"),
    "registration.rejected": _("sign-up rejected"),
    "invitation.sent": _("invitation sent"),
    "invitation.accepted": _("invitation accepted"),
    "invitation.revoked": _("invitation withdrawn"),
    "role.created": _("role created"),
    "role.changed": _("role changed"),
    "role.deleted": _("role deleted"),
    "grant.added": _("queue granted"),
    "grant.revoked": _("queue grant removed"),
    "grant.expired": _("queue grant expired"),
    "access_request.created": _("access asked for"),
    "access_request.granted": _("access request granted"),
    "access_request.declined": _("access request declined"),
    "joining_rule.created": _("joining rule added"),
    "joining_rule.changed": _("joining rule changed"),
    "joining_rule.deleted": _("joining rule deleted"),
    "tenant.settings_changed": _("settings changed"),
    "queue.created": _("queue created"),
    "queue.changed": _("queue changed"),
    "notification_template.saved": _("e-mail wording saved"),
    "notification_template.reset": _("e-mail wording reset"),
    "article.created": _("article written"),
    "article.changed": _("article changed"),
    "article.reviewed": _("article reviewed"),
    "knowledge.settings": _("knowledge base settings changed"),
    "onboarding.changed": _("onboarding checklist changed"),
    "announcement.published": _("announcement published"),
    "idea.answered": _("idea answered"),
    "identity_provider.created": _("identity provider connected"),
    "identity_provider.changed": _("identity provider changed"),
    "identity_provider.deleted": _("identity provider removed"),
    "mailbox.created": _("support address added"),
    "mailbox.changed": _("support address changed"),
    "mailbox.deleted": _("support address deleted"),
    "inbound_mail.retried": _("received mail tried again"),
    "inbound_mail.discarded": _("received mail discarded"),
    "macro.created": _("shared macro added"),
    "macro.changed": _("shared macro changed"),
    "macro.deleted": _("shared macro deleted"),
    "absence.set": _("absence set"),
    "absence.cancelled": _("absence cancelled"),
    "team_view.shared": _("team view shared"),
    "team_view.removed": _("team view removed"),
    "person.export_requested": _("personal data export asked for"),
    "person.erase_requested": _("erasure of a person asked for"),
    "person.erased": _("person erased"),
    "membership.expired": _("membership expired"),
    "calendar.created": _("business hours added"),
    "calendar.changed": _("business hours changed"),
    "calendar.deleted": _("business hours deleted"),
    "calendar.holidays_loaded": _("holidays loaded"),
    "sla_policy.created": _("service-level policy added"),
    "sla_policy.changed": _("service-level policy changed"),
    "sla_policy.deleted": _("service-level policy deleted"),
}


# The keys of an entry's before/after, as the page names them (the API keeps the keys).
FIELDS = {
    "action": _("action"),
    "address": _("address"),
    "added": _("added"),
    "calendar": _("calendar"),
    "conditions": _("conditions"),
    "country": _("country"),
    "first_response_minutes": _("first response (minutes)"),
    "holidays": _("holidays"),
    "hours": _("hours"),
    "next_response_minutes": _("next response (minutes)"),
    "pause_when_pending": _("pause while pending"),
    "warn_minutes_before": _("warn minutes before"),
    "resolution_minutes": _("resolution (minutes)"),
    "year": _("year"),
    "agents_work_all_queues": _("agents work every queue"),
    "answer": _("answer"),
    "articles": _("articles"),
    "audience": _("audience"),
    "auto_close_days": _("close solved tickets after (days)"),
    "capacity": _("capacity"),
    "comments": _("their comments"),
    "effect": _("effect"),
    "expires_after_days": _("memberships expire after (days)"),
    "placeholder": _("now shown as"),
    "request": _("request"),
    "ends": _("last day away"),
    "hands_over": _("hands over open tickets"),
    "reason": _("reason"),
    "starts": _("first day away"),
    "substitute": _("covered by"),
    "client_id": _("client id"),
    "client_secret": _("client secret kept"),
    "customers_see_organization_tickets": _("customers see their organization's tickets"),
    "days": _("days"),
    "description": _("description"),
    "domains": _("e-mail domains"),
    "email": _("e-mail"),
    "expires_at": _("until"),
    "group": _("group"),
    "imap": _("read by IMAP"),
    "issuer": _("issuer"),
    "is_public": _("public"),
    "assignment": _("assignment"),
    "key": _("key"),
    "language": _("language"),
    "kind": _("kind"),
    "name": _("name"),
    "note": _("note"),
    "organization": _("organization"),
    "outcome": _("outcome"),
    "password": _("password set"),
    "pattern": _("pattern"),
    "permissions": _("permissions"),
    "position": _("position"),
    "query": _("filters"),
    "queue": _("queue"),
    "queues": _("queues"),
    "required_for_staff": _("staff must sign in with it"),
    "requires_approval": _("requires approval"),
    "role": _("role"),
    "roles": _("roles"),
    "scope": _("scope"),
    "stale_after_days": _("review after (days)"),
    "status": _("status"),
    "subject": _("subject"),
    "ticket": _("ticket"),
    "time_zone": _("time zone"),
    "title": _("title"),
    "two_factor": _("two-factor sign-in"),
    "two_factor_required_for_staff": _("staff must use two-factor sign-in"),
    "user": _("person"),
}


# The codes recorded as values (role keys, statuses, scopes, actions...), in words: by field,
# and by subject (the action's first part) where one field's codes differ between subjects.
# Apps above accounts add theirs with register_value_words in their AppConfig.ready.
_ROLE_NAMES = {key: spec["name"] for key, spec in BUILTIN_ROLES.items()}
_VALUES: dict[tuple[str | None, str], dict] = {
    (None, "role"): _ROLE_NAMES,
    (None, "roles"): _ROLE_NAMES,
    (None, "scope"): dict(SCOPES),
    (None, "permissions"): ROLE_ACTIONS,
    (None, "action"): ROLE_ACTIONS,
    (None, "language"): dict(settings.LANGUAGES),
    ("membership", "status"): dict(Membership.Status.choices),
    ("registration", "status"): dict(Membership.Status.choices),
    ("access_request", "status"): dict(AccessRequest.Status.choices),
    ("invitation", "status"): {
        "open": _("open"),
        "accepted": _("accepted"),
        "revoked": _("withdrawn"),
    },
    ("joining_rule", "kind"): dict(JoiningRule.Kind.choices),
    ("person", "comments"): {"kept": _("kept"), "removed": _("removed")},
}


def register_value_words(field: str, words: dict, *, subject: str | None = None) -> None:
    """Say the codes of ``field`` (in entries of ``subject``, or of any) in words."""
    _VALUES[(subject, field)] = {**_VALUES.get((subject, field), {}), **words}


def value_in_words(field: str, value, subject: str | None = None) -> str:
    """One recorded value as the reader says it; a code no list knows is shown as it is."""
    words = _VALUES.get((subject, field)) or _VALUES.get((None, field)) or {}
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(words.get(value, value)) if isinstance(value, str) else str(value)


def describe(action: str) -> str:
    """The action in words; a code this list does not know yet is shown as it is."""
    return str(ACTIONS.get(action, action))


def in_words(values, subject: str | None = None) -> list[tuple[str, str]]:
    """An entry's before or after as (field, value) lines for a page, codes said in words in
    the active language (the API keeps the codes)."""
    if not isinstance(values, dict):
        return []
    lines = []
    for key, value in values.items():
        if value is None or value == "" or value == []:
            shown = "—"
        elif isinstance(value, list):
            shown = ", ".join(value_in_words(key, v, subject) for v in value)
        else:
            shown = value_in_words(key, value, subject)
        lines.append((str(FIELDS.get(key, key)), shown))
    return lines
