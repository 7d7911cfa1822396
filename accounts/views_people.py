"""Pages for the people of a tenant: directory, person, approvals, invitations, roles,
joining rules and the audit log. Thin: every write is a service call."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from helpdesk.params import object_id

from .access import decide, ensure
from .actions import ACTIONS, SCOPE_ALL, SCOPE_QUEUES
from .api import audit_entries
from .directory import SORTS, directory
from .forms import (
    AuditFilterForm,
    ExplainForm,
    InviteCsvForm,
    InviteForm,
    JoiningRuleForm,
    MembershipForm,
    RoleForm,
)
from .granting import check_grant, explain_grant
from .models import (
    AccessRequest,
    AuditEntry,
    Invitation,
    JoiningRule,
    Membership,
    Organization,
    Role,
)
from .services import (
    NotPermitted,
    add_joining_rule,
    approve_registration,
    change_joining_rule,
    change_membership,
    change_role_template,
    check_membership_change,
    check_role_change,
    create_role,
    decide_access_request,
    delete_joining_rule,
    delete_role,
    invite,
    invite_many,
    joining_outcome,
    parse_invitation_csv,
    reject_registration,
    revoke_invitation,
    unreachable_rules,
)
from .views_access import member_required

PAGE_SIZE = 25
# Actions that change tickets: a role with these "writes" in the queues it works.
WRITE_ACTIONS = {"reply_public", "add_internal_note", "assign_ticket", "change_ticket_status"}


def _add_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- Directory and person -------------------------------------------------------------------


@member_required("view_people")
def people(request, slug):
    params = request.GET
    sort = params.get("sort", "name")
    members = directory(
        request.tenant,
        q=params.get("q", "").strip(),
        role=params.get("role", ""),
        status=params.get("status", ""),
        organization=params.get("organization", ""),
        sort=sort,
    )
    page = Paginator(members, PAGE_SIZE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/people.html",
        {
            "page": page,
            "roles": Role.objects.for_tenant(request.tenant),
            "organizations": Organization.objects.for_tenant(request.tenant),
            "statuses": Membership.Status.choices,
            "sorts": list(SORTS),
            "sort": sort,
            "params": params,
            "query": query.urlencode(),
            "now": timezone.now(),
        },
    )


def _member_or_404(request, user_id) -> Membership:
    return get_object_or_404(
        Membership.objects.for_tenant(request.tenant).select_related(
            "user", "role", "organization", "tenant"
        ),
        user_id=user_id,
    )


@member_required("view_people")
def person(request, slug, user_id):
    """One person: details, role and standing (admins change them), grants, and why."""
    from tickets.models import Queue, QueueGrant

    member = _member_or_404(request, user_id)
    me = request.membership
    is_admin = decide(me, "manage_people").allowed
    form = MembershipForm(
        tenant=request.tenant,
        initial={
            "role": member.role,
            "organization": member.organization,
            "status": member.status if member.status != Membership.Status.PENDING else "active",
        },
    )
    explain_form = ExplainForm(
        request.GET if "action" in request.GET else None, tenant=request.tenant
    )
    decision = ticket = None
    if explain_form.is_bound and explain_form.is_valid():
        from .views_join import _ticket_by_number

        number = explain_form.cleaned_data["ticket"]
        ticket = _ticket_by_number(request.tenant, number)
        if number and ticket is None:
            explain_form.add_error("ticket", _("There is no ticket with this number here."))
        elif explain_form.cleaned_data["role"] is not None:
            decision = explain_grant(
                member, explain_form.cleaned_data["action"], role=explain_form.cleaned_data["role"]
            )
        else:
            decision = decide(member, explain_form.cleaned_data["action"], ticket)
    grants = (
        QueueGrant.objects.for_tenant(request.tenant)
        .filter(user_id=member.user_id)
        .select_related("queue", "granted_by")
        .order_by("queue__name")
    )
    return render(
        request,
        "accounts/person.html",
        {
            "member": member,
            "is_admin": is_admin,
            "can_change_role": decide(me, "change_role").allowed,
            "form": form,
            "grants": grants,
            "queues": Queue.objects.for_tenant(request.tenant).exclude(
                pk__in=grants.values("queue_id")
            ),
            "explain_form": explain_form,
            "decision": decision,
            "ticket": ticket,
            "now": timezone.now(),
        },
    )


@require_POST
@member_required("manage_people")
def person_change(request, slug, user_id):
    """Change role / organization / standing: a confirmation step first, then the change."""
    member = _member_or_404(request, user_id)
    form = MembershipForm(request.POST, tenant=request.tenant)
    if not form.is_valid():
        messages.error(request, _("Choose a role and a status."))
        return redirect("accounts:person", slug=slug, user_id=user_id)
    data = form.cleaned_data
    changes = {}
    if data["role"] != member.role:
        ensure(request.membership, "change_role")
        changes["role"] = data["role"]
    if data["organization"] != member.organization:
        changes["organization"] = data["organization"]
    if member.status != Membership.Status.PENDING and data["status"] != member.status:
        changes["status"] = data["status"]
    if not changes:
        messages.info(request, _("Nothing to change."))
        return redirect("accounts:person", slug=slug, user_id=user_id)
    try:
        # Refused before the confirmation step, not after it.
        check_membership_change(member, **{k: v for k, v in changes.items() if k != "organization"})
        if "role" in changes or changes.get("status") == Membership.Status.ACTIVE:
            check_grant(
                tenant=request.tenant,
                by=request.user,
                role=changes.get("role", member.role),
                target=member,
            )
        if request.POST.get("confirm") != "yes":
            return render(
                request,
                "accounts/person_confirm.html",
                {"member": member, "changes": changes, "form": form},
            )
        change_membership(membership=member, by=request.user, **changes)
    except NotPermitted as refusal:
        messages.error(request, refusal.message)
        return redirect("accounts:person", slug=slug, user_id=user_id)
    messages.success(request, _("Saved. The change is in the audit log."))
    return redirect("accounts:person", slug=slug, user_id=user_id)


@require_POST
@member_required("manage_queues")
def person_grant(request, slug, user_id):
    """Let this person work a queue, until an optional date."""
    from tickets.models import Queue
    from tickets.services import grant_queue, revoke_queue

    member = _member_or_404(request, user_id)
    queue = get_object_or_404(
        Queue.objects.for_tenant(request.tenant), pk=object_id(request.POST.get("queue"))
    )
    if request.POST.get("revoke"):
        try:
            revoke_queue(queue=queue, user=member.user, by=request.user)
        except NotPermitted as refusal:
            messages.error(request, refusal.message)
            return redirect("accounts:person", slug=slug, user_id=user_id)
        messages.success(
            request,
            _("%(name)s no longer works %(queue)s.") % {"name": member.user, "queue": queue.name},
        )
        return redirect("accounts:person", slug=slug, user_id=user_id)
    if not member.role.is_staff:
        messages.error(
            request,
            _("%(name)s is a customer: customers do not work queues. Give a staff role first.")
            % {"name": member.user},
        )
        return redirect("accounts:person", slug=slug, user_id=user_id)
    expires_at = None
    until = request.POST.get("expires_on", "").strip()
    if until:
        try:
            day = datetime.strptime(until, "%Y-%m-%d").date()  # noqa: DTZ007 (a date only)
        except ValueError:
            messages.error(request, _("Enter the end date as YYYY-MM-DD."))
            return redirect("accounts:person", slug=slug, user_id=user_id)
        if day <= timezone.localdate():
            messages.error(request, _("The end date must be in the future."))
            return redirect("accounts:person", slug=slug, user_id=user_id)
        expires_at = timezone.make_aware(datetime.combine(day, time.min))
    try:
        grant_queue(queue=queue, user=member.user, by=request.user, expires_at=expires_at)
    except NotPermitted as refusal:
        messages.error(request, refusal.message)
        return redirect("accounts:person", slug=slug, user_id=user_id)
    messages.success(
        request, _("%(name)s now works %(queue)s.") % {"name": member.user, "queue": queue.name}
    )
    return redirect("accounts:person", slug=slug, user_id=user_id)


# --- Approvals ------------------------------------------------------------------------------


@member_required("manage_people")
def approvals(request, slug):
    tenant = request.tenant
    pending = (
        Membership.objects.for_tenant(tenant)
        .filter(status=Membership.Status.PENDING)
        .select_related("user", "role", "organization")
        .order_by("joined_at", "pk")
    )
    requests_ = (
        AccessRequest.objects.for_tenant(tenant)
        .pending()
        .select_related("membership__user", "membership__role")
        .order_by("created_at")
    )
    return render(
        request,
        "accounts/approvals.html",
        {
            "pending": pending,
            "access_requests": requests_,
            "roles": Role.objects.for_tenant(tenant),
            "decided": AccessRequest.objects.for_tenant(tenant)
            .exclude(status=AccessRequest.Status.PENDING)
            .select_related("membership__user", "decided_by")[:10],
            # Sign-ups leave no row of their own once decided: the audit log keeps them.
            "decided_signups": AuditEntry.objects.for_tenant(tenant)
            .filter(action__in=["registration.approved", "registration.rejected"])
            .select_related("actor")[:10],
        },
    )


@require_POST
@member_required("manage_people")
def approval_decide(request, slug, membership_id):
    membership = get_object_or_404(
        Membership.objects.for_tenant(request.tenant).select_related("user", "role"),
        pk=membership_id,
    )
    try:
        if request.POST.get("decision") == "approve":
            approve_registration(membership=membership, by=request.user)
            messages.success(
                request, _("%(name)s is in. They got an e-mail.") % {"name": membership.user}
            )
        else:
            reject_registration(membership=membership, by=request.user)
            messages.success(
                request,
                _("%(name)s was turned down. They got an e-mail.") % {"name": membership.user},
            )
    except NotPermitted as refusal:
        messages.error(request, refusal.message)
    return redirect("accounts:approvals", slug=slug)


@require_POST
@member_required("manage_people")
def access_request_decide(request, slug, request_id):
    """Grant (by a role change or a queue grant) or decline a member's request."""
    from tickets.models import Ticket
    from tickets.services import grant_queue

    access_request = get_object_or_404(
        AccessRequest.objects.for_tenant(request.tenant).select_related(
            "membership__user", "membership__role"
        ),
        pk=request_id,
    )
    member = access_request.membership
    how = request.POST.get("grant", "")
    try:
        if how == "queue":
            ticket = (
                Ticket.objects.for_tenant(request.tenant)
                .select_related("queue")
                .filter(number=access_request.ticket_number)
                .first()
            )
            if ticket is None or ticket.queue is None:
                raise NotPermitted(_("That ticket is in no queue: choose a role instead."))
            ensure(request.membership, "manage_queues")
            grant_queue(queue=ticket.queue, user=member.user, by=request.user)
            outcome = _("now works the %(queue)s queue") % {"queue": ticket.queue.name}
            decide_access_request(
                access_request=access_request, by=request.user, granted=True, outcome=outcome
            )
        elif how == "role":
            role = get_object_or_404(
                Role.objects.for_tenant(request.tenant), pk=request.POST.get("role")
            )
            ensure(request.membership, "change_role")
            change_membership(membership=member, by=request.user, role=role)
            outcome = _("role changed to %(role)s") % {"role": role}
            decide_access_request(
                access_request=access_request, by=request.user, granted=True, outcome=outcome
            )
        else:
            decide_access_request(access_request=access_request, by=request.user, granted=False)
            outcome = _("declined")
    except NotPermitted as refusal:
        messages.error(request, refusal.message)
        return redirect("accounts:approvals", slug=slug)
    messages.success(
        request, _("%(name)s: %(outcome)s.") % {"name": member.user, "outcome": outcome}
    )
    return redirect("accounts:approvals", slug=slug)


# --- Invitations ----------------------------------------------------------------------------


@member_required("manage_people")
def invitations(request, slug):
    tenant = request.tenant
    form = InviteForm(tenant=tenant, initial={"role": "agent"})
    csv_form = InviteCsvForm()
    csv_errors = []
    if request.method == "POST" and "file" in request.FILES:
        csv_form = InviteCsvForm(request.POST, request.FILES)
        if csv_form.is_valid():
            upload = csv_form.cleaned_data["file"]
            try:
                text = upload.read(200_000).decode("utf-8-sig")
            except UnicodeDecodeError:
                text, csv_errors = "", [_("The file must be UTF-8 text.")]
            if text:
                rows, csv_errors = parse_invitation_csv(tenant=tenant, text=text)
                if not csv_errors:
                    try:
                        sent = invite_many(tenant=tenant, rows=rows, by=request.user)
                    except ValidationError as error:
                        csv_errors = [m for ms in error.message_dict.values() for m in ms]
                    except NotPermitted as refusal:
                        csv_errors = refusal.reasons
                    else:
                        messages.success(
                            request,
                            ngettext("%(n)s invitation sent.", "%(n)s invitations sent.", len(sent))
                            % {"n": len(sent)},
                        )
                        return redirect("accounts:invitations", slug=slug)
    elif request.method == "POST":
        form = InviteForm(request.POST, tenant=tenant)
        if form.is_valid():
            try:
                invite(tenant=tenant, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            except NotPermitted as refusal:
                form.add_error("role", refusal.reasons)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect("accounts:invitations", slug=slug)
    listed = Invitation.objects.for_tenant(tenant).select_related(
        "role", "invited_by", "organization"
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/invitations.html",
        {"form": form, "csv_form": csv_form, "csv_errors": csv_errors, "page": page},
    )


@require_POST
@member_required("manage_people")
def invitation_revoke(request, slug, invitation_id):
    invitation = get_object_or_404(Invitation.objects.for_tenant(request.tenant), pk=invitation_id)
    try:
        revoke_invitation(invitation=invitation, by=request.user)
        messages.success(request, _("The invitation was withdrawn."))
    except NotPermitted as refusal:
        messages.error(request, refusal.message)
    return redirect("accounts:invitations", slug=slug)


# --- Roles ----------------------------------------------------------------------------------


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
    from tickets.models import QueueGrant

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
            _add_errors(form, error)
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


# --- Joining rules --------------------------------------------------------------------------


@member_required("manage_joining_rules")
def joining_rules(request, slug, rule_id=None):
    tenant = request.tenant
    rule = (
        get_object_or_404(JoiningRule.objects.for_tenant(tenant), pk=rule_id) if rule_id else None
    )
    rules = JoiningRule.objects.for_tenant(tenant).in_order()
    last = rules.last()
    form = JoiningRuleForm(
        request.POST or None,
        instance=rule,
        tenant=tenant,
        initial={"position": (last.position + 1) if last else 1},
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if rule is None:
                saved = add_joining_rule(tenant=tenant, by=request.user, **fields)
            else:
                # A fresh copy: the bound form has already changed ``rule`` in memory.
                saved = change_joining_rule(
                    rule=JoiningRule.objects.for_tenant(tenant).get(pk=rule.pk),
                    by=request.user,
                    **fields,
                )
        except ValidationError as error:
            _add_errors(form, error)
        except NotPermitted as refusal:
            form.add_error("role", refusal.reasons)
        else:
            messages.success(request, _("Joining rule saved."))
            _warn_about(request, saved)
            return redirect("accounts:joining_rules", slug=slug)
    rules = list(rules)
    shadowed = unreachable_rules(rules)
    for r in rules:
        r.never_decides = shadowed.get(r.pk)  # the earlier rule that takes all its addresses
    test_email = request.GET.get("email", "").strip()
    outcome = joining_outcome(tenant=tenant, email=test_email) if "@" in test_email else None
    return render(
        request,
        "accounts/joining_rules.html",
        {
            "rules": rules,
            "form": form,
            "rule": rule,
            "test_email": test_email,
            "outcome": outcome,
        },
    )


def _warn_about(request, saved: JoiningRule) -> None:
    """Say so when a rule just saved can never decide, or lets staff in unchecked."""
    rules = JoiningRule.objects.for_tenant(saved.tenant).in_order()
    earlier = unreachable_rules(rules).get(saved.pk)
    if earlier is not None:
        messages.warning(
            request,
            _("“%(rule)s” never decides: “%(earlier)s” comes first and matches every such address.")
            % {"rule": saved, "earlier": earlier},
        )
    if saved.lets_staff_in_unchecked:
        messages.warning(
            request,
            _("“%(rule)s” makes people staff with no admin approving them first.")
            % {"rule": saved},
        )


@require_POST
@member_required("manage_joining_rules")
def joining_rule_delete(request, slug, rule_id):
    rule = get_object_or_404(
        JoiningRule.objects.for_tenant(request.tenant).select_related("role"), pk=rule_id
    )
    delete_joining_rule(rule=rule, by=request.user)
    messages.success(request, _("Joining rule deleted."))
    return redirect("accounts:joining_rules", slug=slug)


# --- Audit log ------------------------------------------------------------------------------


@member_required("view_audit_log")
def audit_log(request, slug):
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        form.is_valid()  # the valid filters apply; a bad one is named on the form
        data = form.cleaned_data
        filters = {
            "action": data.get("action"),
            "actor": data.get("actor"),
            "from": data.get("date_from"),
            "to": data.get("date_to"),
        }
    entries = audit_entries(request.tenant, filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
