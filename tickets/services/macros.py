"""Macros: keeping them (personal, shared with a role, tenant-wide), filling their text for
one ticket, and applying one (its text as a comment and its changes, in one step)."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import ensure
from accounts.actions import SCOPE_OWN
from accounts.models import Membership, Role, User
from accounts.services import record_audit
from core.params import MAX_ID

from ..models import PERSONAL, TENANT_WIDE, Comment, Macro, Ticket
from .conversation import answer_ticket

# What a macro's text may say, filled for the ticket it is applied to. Substituted as plain
# text, never rendered as a template: a macro's text is what a person typed.
PLACEHOLDERS = ("requester.name", "ticket.number", "agent.name")
_PLACEHOLDER = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")
SETS = ("status", "priority", "tags", "assignee")
ASSIGN_TO_ME = "me"


class MacroRefused(Exception):  # noqa: N818 (a refusal, like TicketClosed)
    """A macro that cannot be kept as given; ``errors`` maps each field to what is wrong."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def fill_macro(macro: Macro, *, ticket: Ticket, agent: User) -> str:
    """The macro's text for this ticket, its placeholders replaced by plain values."""
    values = {
        "requester.name": ticket.requester.get_full_name(),
        "ticket.number": str(ticket.number),
        "agent.name": agent.get_full_name(),
    }
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), macro.body)


def macro_action(macro: Macro) -> str:
    """What changing this macro needs: one's own personal macro, the workspace; a shared one,
    the right to manage the shared macros (its object rule says whose personal one it is)."""
    return "use_workspace" if macro.is_personal else "manage_macros"


def _audience(member: Membership, shared_with: str) -> tuple[User | None, Role | None]:
    if shared_with == PERSONAL:
        return member.user, None
    if shared_with == TENANT_WIDE:
        return None, None
    # Shared with a role that works tickets (a customer role never sees macros).
    staff_roles = Role.objects.for_tenant(member.tenant).exclude(scope=SCOPE_OWN)
    role = staff_roles.filter(key=shared_with).first()
    if role is None:
        raise MacroRefused(
            {"shared_with": _("Say “me”, “tenant” or the key of a staff role of this helpdesk.")}
        )
    return None, role


def _clean_sets(member: Membership, sets: dict) -> dict:
    """The changes a macro makes, checked as far as they can be before a ticket is known."""
    if not isinstance(sets, dict):
        raise MacroRefused({"sets": _("A set of changes: status, priority, tags, assignee.")})
    unknown = sorted(set(sets) - set(SETS))
    if unknown:
        raise MacroRefused(
            {"sets": _("A macro cannot set %(fields)s.") % {"fields": ", ".join(unknown)}}
        )
    clean = {}
    status, priority = sets.get("status"), sets.get("priority")
    if status not in (None, ""):
        if status not in Ticket.Status.values or status == Ticket.Status.NEW:
            raise MacroRefused({"status": _("Not a status a macro can set.")})
        clean["status"] = status
    if priority not in (None, ""):
        if priority not in Ticket.Priority.values:
            raise MacroRefused({"priority": _("Not a priority of this helpdesk.")})
        clean["priority"] = priority
    tags = sets.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise MacroRefused({"tags": _("A list of tag names.")})
    tags = sorted({t.strip().lower()[:50] for t in tags if t.strip()})
    if tags:
        clean["tags"] = tags
    assignee = sets.get("assignee")
    if assignee not in (None, ""):
        if assignee != ASSIGN_TO_ME and _staff_user(member.tenant, assignee) is None:
            raise MacroRefused(
                {"assignee": _("Say “me” or the id of an active staff member of this helpdesk.")}
            )
        clean["assignee"] = assignee
    return clean


def _staff_user(tenant, user_id) -> User | None:
    if isinstance(user_id, bool) or not isinstance(user_id, int) or not 0 < user_id <= MAX_ID:
        return None
    staff = Membership.objects.for_tenant(tenant).active().staff()
    return User.objects.filter(pk=user_id, pk__in=staff.values("user_id")).first()


def _clean(member: Membership, *, name: str, body: str) -> tuple[str, str]:
    name, errors = name.strip(), {}
    if not name:
        errors["name"] = _("A macro needs a name.")
    if not body.strip():
        errors["body"] = _("A macro needs its text.")
    unknown = unknown_placeholders(body)
    if unknown:
        errors["body"] = _(
            "Not something a macro can fill in: %(unknown)s. Use only: %(known)s."
        ) % {
            "unknown": ", ".join(unknown),
            "known": ", ".join(f"{{{{ {p} }}}}" for p in PLACEHOLDERS),
        }
    if errors:
        raise MacroRefused(errors)
    return name, body


@transaction.atomic
def add_macro(
    *,
    member: Membership,
    name: str,
    body: str,
    is_public: bool = True,
    sets: dict | None = None,
    shared_with: str = PERSONAL,
) -> Macro:
    """A new macro: one's own (any agent), or shared (who manages the shared macros)."""
    ensure(member, "use_workspace" if shared_with == PERSONAL else "manage_macros")
    name, body = _clean(member, name=name, body=body)
    owner, role = _audience(member, shared_with)
    macro = Macro.objects.create(
        tenant=member.tenant,
        name=name,
        body=body,
        is_public=is_public,
        sets=_clean_sets(member, sets or {}),
        owner=owner,
        role=role,
        created_by=member.user,
    )
    _audit(member, "macro.created", macro, after=_said(macro))
    return macro


def _said(macro: Macro) -> dict:
    return {"name": macro.name, "audience": macro.shared_with, "is_public": macro.is_public}


def _audit(member: Membership, action: str, macro: Macro, before=None, after=None) -> None:
    """Shared macros speak for everyone who uses them: their changes are in the audit log (a
    personal one is its owner's business)."""
    if any(said and said["audience"] != PERSONAL for said in (before, after)):
        record_audit(
            tenant=member.tenant,
            actor=member.user,
            action=action,
            target=macro,
            before=before,
            after=after,
        )


@transaction.atomic
def change_macro(
    *,
    macro: Macro,
    member: Membership,
    name: str | None = None,
    body: str | None = None,
    is_public: bool | None = None,
    sets: dict | None = None,
    shared_with: str | None = None,
) -> Macro:
    """Change what is given. Moving a macro between personal and shared needs the right to
    manage the shared ones for both sides of the move."""
    ensure(member, macro_action(macro), macro)
    before = _said(macro)
    name, body = _clean(
        member,
        name=macro.name if name is None else name,
        body=macro.body if body is None else body,
    )
    macro.name, macro.body = name, body
    if is_public is not None:
        macro.is_public = is_public
    if sets is not None:
        macro.sets = _clean_sets(member, sets)
    if shared_with is not None and shared_with != macro.shared_with:
        ensure(member, "manage_macros")
        macro.owner, macro.role = _audience(member, shared_with)
    macro.updated_at = timezone.now()
    macro.save()
    _audit(member, "macro.changed", macro, before=before, after=_said(macro))
    return macro


@transaction.atomic
def delete_macro(*, macro: Macro, member: Membership) -> None:
    ensure(member, macro_action(macro), macro)
    _audit(member, "macro.deleted", macro, before=_said(macro))
    macro.delete()


def macro_changes(macro: Macro, *, ticket: Ticket, member: Membership) -> dict:
    """The macro's changes in the form update_ticket takes, for this ticket: its tags are
    added to the ticket's, "me" is the member applying it."""
    sets, changes = macro.sets or {}, {}
    for field in ("status", "priority"):
        if sets.get(field):
            changes[field] = sets[field]
    if sets.get("tags"):
        changes["tags"] = sorted({tag.name for tag in ticket.tags.all()} | set(sets["tags"]))
    assignee = sets.get("assignee")
    if assignee == ASSIGN_TO_ME:
        changes["assignee"] = member.user
    elif assignee:
        changes["assignee"] = _staff_user(ticket.tenant, assignee)
        if changes["assignee"] is None:
            raise MacroRefused(
                {"assignee": _("The person this macro assigns to no longer works here.")}
            )
    return changes


def apply_macro(
    *,
    macro: Macro,
    ticket: Ticket,
    member: Membership,
    body: str | None = None,
    is_public: bool | None = None,
    status: str | None = None,
) -> Comment:
    """Post the macro's text (filled for this ticket, or as the agent edited it: ``body``) and
    make its changes, in one step (answer_ticket). ``status`` overrides the macro's ("Send and
    set solved" after picking a macro that sets pending)."""
    ensure(member, "use_workspace", macro)
    changes = macro_changes(macro, ticket=ticket, member=member)
    if status:
        changes["status"] = status
    return answer_ticket(
        ticket=ticket,
        member=member,
        body=fill_macro(macro, ticket=ticket, agent=member.user) if body is None else body,
        is_public=macro.is_public if is_public is None else is_public,
        changes=changes,
    )
