"""Roles: the list, creating and editing one (its reach shown first, in the queues its
holders work), deleting one.

Thin: every write is a service call."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import decide
from accounts.actions import ACTIONS, SCOPE_ALL, SCOPE_QUEUES
from accounts.forms import RoleForm, add_errors
from accounts.granting import check_grant
from accounts.models import Membership, Role
from accounts.services import (
    NotPermitted,
    change_role_template,
    check_role_change,
    create_role,
    delete_role,
)
from accounts.views_access import member_required
from tickets.models import QueueGrant

# Actions that change tickets: a role with these "writes" in the queues it works.
WRITE_ACTIONS = {"reply_public", "add_internal_note", "assign_ticket", "change_ticket_status"}


@member_required()
def roles(request, slug):
    listed = (
        Role.objects.for_tenant(request.tenant)
        .annotate(
            n_members=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE))
        )
        .order_by("pk")
    )
    return render(
        request,
        "accounts/roles.html",
        {"roles": listed, "can_edit": decide(request.membership, "change_role").allowed},
    )


def role_reach(*, role: Role | None, permissions: list[str], scope: str) -> list[str]:
    """What saving this role would do, in sentences: who gains or loses what, and where."""
    if role is None:
        return [_("No one has this new role yet; it gives nothing until you give it to someone.")]
    members = Membership.objects.for_tenant(role.tenant).active().filter(role=role)
    count = members.count()
    if count == 0:
        return [_("No one has this role now: the change reaches whoever you give it to later.")]
    before = set(role.permissions)
    after = set(permissions)
    added = [ACTIONS[a] for a in ACTIONS if a in after - before]
    removed = [ACTIONS[a] for a in ACTIONS if a in before - after]
    lines = []
    people = ngettext("%(n)s person", "%(n)s people", count) % {"n": count}
    if added:
        lines.append(
            _("This gives %(people)s the right to %(actions)s.")
            % {"people": people, "actions": ", ".join(str(a) for a in added)}
        )
    if removed:
        lines.append(
            _("This takes from %(people)s the right to %(actions)s.")
            % {"people": people, "actions": ", ".join(str(a) for a in removed)}
        )
    writes = bool(after & WRITE_ACTIONS)
    gains_write = bool((after - before) & WRITE_ACTIONS) or (writes and scope != role.scope)
    if gains_write and scope == SCOPE_ALL:
        lines.append(
            _("This gives %(people)s write access to every ticket of the helpdesk.")
            % {"people": people}
        )
    elif gains_write and scope == SCOPE_QUEUES:
        worked = (
            QueueGrant.objects.for_tenant(role.tenant)
            .filter(user_id__in=members.values("user_id"))
            .values("queue__name")
            .annotate(n=Count("user_id", distinct=True))
            .order_by("queue__name")
        )
        lines.extend(
            ngettext(
                "This gives %(n)s person write access to the %(queue)s queue.",
                "This gives %(n)s people write access to the %(queue)s queue.",
                row["n"],
            )
            % {"n": row["n"], "queue": row["queue__name"]}
            for row in worked
        )
    if scope != role.scope:
        lines.append(_("Which tickets they see changes for %(people)s.") % {"people": people})
    if not lines:
        lines.append(_("This changes only the name or the description."))
    return lines


@member_required("change_role")
def role_edit(request, slug, role_id=None):
    """Create or edit a role. Saving first shows its reach; a second click confirms."""
    role = (
        get_object_or_404(Role.objects.for_tenant(request.tenant), pk=role_id) if role_id else None
    )
    initial = (
        {
            "name": role.name,
            "description": role.description,
            "scope": role.scope,
            "permissions": role.permissions,
        }
        if role
        else {"scope": "queues", "permissions": ["view_ticket", "add_internal_note"]}
    )
    form = RoleForm(request.POST or None, initial=initial)
    reach = None
    signature = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # What the admin saw the reach of; if they changed the role since, show it again.
        signature = ",".join(sorted(data["permissions"])) + "|" + data["scope"]
        try:
            if role is not None:
                # A change the role can't take is refused before its reach is shown.
                check_role_change(role, permissions=data["permissions"], scope=data["scope"])
            # Giving more than one holds is refused before the reach is shown, too.
            check_grant(
                tenant=request.tenant,
                by=request.user,
                over=role,
                permissions=data["permissions"],
                scope=data["scope"],
            )
            if request.POST.get("confirm") != "yes" or request.POST.get("reviewed") != signature:
                reach = role_reach(role=role, permissions=data["permissions"], scope=data["scope"])
            elif role is None:
                role = create_role(tenant=request.tenant, by=request.user, **data)
            else:
                change_role_template(role=role, by=request.user, **data)
        except ValidationError as error:
            add_errors(form, error)
        except NotPermitted as refusal:
            form.add_error(None, refusal.message)
        else:
            if reach is None:
                messages.success(request, _("Role %(name)s saved.") % {"name": role})
                return redirect("accounts:roles", slug=slug)
    return render(
        request,
        "accounts/role_form.html",
        {"form": form, "role": role, "reach": reach, "signature": signature},
    )


@require_POST
@member_required("change_role")
def role_delete(request, slug, role_id):
    role = get_object_or_404(Role.objects.for_tenant(request.tenant), pk=role_id)
    try:
        delete_role(role=role, by=request.user)
        messages.success(request, _("Role deleted."))
    except NotPermitted as refusal:
        messages.error(request, refusal.message)
    return redirect("accounts:roles", slug=slug)
