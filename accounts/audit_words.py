"""The audit log in words: what each recorded action means, and the subjects to filter by.

Entries store a stable code (``role.changed``); the API returns it as is, pages show these words.
"""

from django.utils.translation import gettext_lazy as _

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
    "added": _("added"),
    "calendar": _("calendar"),
    "conditions": _("conditions"),
    "country": _("country"),
    "first_response_minutes": _("first response (minutes)"),
    "holidays": _("holidays"),
    "hours": _("hours"),
    "next_response_minutes": _("next response (minutes)"),
    "pause_when_pending": _("pause while pending"),
    "resolution_minutes": _("resolution (minutes)"),
    "year": _("year"),
    "agents_work_all_queues": _("agents work every queue"),
    "answer": _("answer"),
    "articles": _("articles"),
    "audience": _("audience"),
    "customers_see_organization_tickets": _("customers see their organization's tickets"),
    "days": _("days"),
    "description": _("description"),
    "email": _("e-mail"),
    "expires_at": _("until"),
    "is_public": _("public"),
    "key": _("key"),
    "language": _("language"),
    "kind": _("kind"),
    "name": _("name"),
    "note": _("note"),
    "organization": _("organization"),
    "outcome": _("outcome"),
    "pattern": _("pattern"),
    "permissions": _("permissions"),
    "position": _("position"),
    "queue": _("queue"),
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
    "user": _("person"),
}


def describe(action: str) -> str:
    """The action in words; a code this list does not know yet is shown as it is."""
    return str(ACTIONS.get(action, action))


def in_words(values) -> list[tuple[str, str]]:
    """An entry's before or after as (field, value) lines for a page."""
    if not isinstance(values, dict):
        return []
    lines = []
    for key, value in values.items():
        if value is None or value == "" or value == []:
            shown = "—"
        elif isinstance(value, bool):
            shown = str(_("yes") if value else _("no"))
        elif isinstance(value, list):
            shown = ", ".join(str(v) for v in value)
        else:
            shown = str(value)
        lines.append((str(FIELDS.get(key, key)), shown))
    return lines
