"""What a tenant holds about a person, found by introspection, and how erasing treats each part.

A ``User`` is global (one address across helpdesks), so erasing a person in one tenant cannot
change their account: every row of that tenant that names them is re-pointed to a placeholder
person of that tenant ("Erased person 7", an address under the reserved ``.invalid`` domain),
rows that mean nothing without them are deleted, and the copies of their address and name
kept as text (event values, mail senders, audit entries) are replaced. ``ERASURE`` names
every field that points at a user; ``tests/people/test_data_erase.py`` fails when a model
gains one that is not named here, so a model added later cannot keep what was erased.
"""

from __future__ import annotations

import json

from django.apps import apps
from django.db import models
from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Cast, Replace

from accounts.models import User

REPOINT = "repoint"  # the row stays, naming the placeholder: counts and history survive
DELETE = "delete"  # the row is theirs alone (a preference, a grant, a file they sent)
ACCOUNT = "account"  # not a tenant's row at all: the global account's (left alone)
# Not a tenant's row, but about a tenant's object: queue permissions (django-guardian), which
# go with the person's queue grants.
QUEUE_PERMISSION = "queue_permission"

ERASURE: dict[str, str] = {
    "accounts.Membership.user": REPOINT,  # and the membership ends (deactivated)
    "accounts.AccessRequest.decided_by": REPOINT,
    "accounts.Absence.created_by": REPOINT,
    "accounts.AuditEntry.actor": REPOINT,
    "accounts.Invitation.invited_by": REPOINT,
    "accounts.Invitation.accepted_by": REPOINT,
    "accounts.SignUp.user": DELETE,
    "accounts.ApiToken.user": ACCOUNT,
    "admin.LogEntry.user": ACCOUNT,  # the operator's Django admin log
    # The second factor signs the account in everywhere: the person's, not one helpdesk's.
    "otp_totp.TOTPDevice.user": ACCOUNT,
    "otp_static.StaticDevice.user": ACCOUNT,
    # Their link to this helpdesk's identity provider: the next sign-in would bring them back.
    "accounts.SsoIdentity.user": DELETE,
    "guardian.UserObjectPermission.user": QUEUE_PERMISSION,
    "accounts.DataRequest.person": REPOINT,  # their exports are deleted first
    "accounts.DataRequest.requested_by": REPOINT,
    "accounts.DataRequest.placeholder": ACCOUNT,  # names the placeholder itself
    "tickets.Queue.last_assignee": REPOINT,
    "tickets.QueueGrant.user": DELETE,
    "tickets.QueueGrant.granted_by": REPOINT,
    "tickets.Ticket.requester": REPOINT,
    "tickets.Ticket.assignee": REPOINT,
    "tickets.TicketColleague.user": REPOINT,
    "tickets.TicketColleague.added_by": REPOINT,
    "tickets.Comment.author": REPOINT,
    "tickets.TicketEvent.actor": REPOINT,
    "tickets.Attachment.uploaded_by": DELETE,  # the files go too
    "tickets.Macro.owner": DELETE,  # personal macros
    "tickets.Macro.created_by": REPOINT,
    "tickets.TicketMail.author": REPOINT,
    "tickets.Rating.agent": REPOINT,
    "tickets.SavedFilter.owner": DELETE,
    "metrics.ReportSubscription.user": DELETE,
    "knowledge.Announcement.author": REPOINT,
    "knowledge.Article.owner": REPOINT,
    "knowledge.ArticleVersion.edited_by": REPOINT,
    "knowledge.Idea.author": REPOINT,
    "knowledge.Idea.answered_by": REPOINT,
    "knowledge.ThankYouNote.from_user": REPOINT,
    "knowledge.ThankYouNote.to_user": REPOINT,
    "notifications.Notification.recipient": DELETE,
    "notifications.NotificationPreference.user": DELETE,
}

# Text fields that may hold a copy of a person's address or name (not a key to them).
COPIES: dict[str, tuple[str, ...]] = {
    "tickets.TicketEvent": ("old_value", "new_value", "reason_about"),
    "tickets.TicketMail": ("from_address",),
    "mailroom.InboundMessage": ("sender",),
    "accounts.Invitation": ("email",),
    "accounts.SignUp": ("email",),
    "accounts.AuditEntry": ("target_repr", "before", "after"),
}

# Address fields that never name a person.
NOT_A_PERSON = frozenset({"accounts.User.email", "tickets.Mailbox.address"})

PLACEHOLDER_DOMAIN = "erased.invalid"  # RFC 2606: never delivered


def user_fields() -> list[tuple[type[models.Model], models.ForeignKey]]:
    """Every concrete field of every model that points at a user."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is User
    ]


def label(model: type[models.Model], field: models.Field) -> str:
    return f"{model._meta.label}.{field.name}"


def tenant_user_fields(strategy: str | None = None):
    """The user fields of tenant rows, in ``ERASURE`` (an unnamed one raises ``KeyError``)."""
    return [
        (model, field)
        for model, field in user_fields()
        if ERASURE[label(model, field)] not in (ACCOUNT, QUEUE_PERMISSION)
        and (strategy is None or ERASURE[label(model, field)] == strategy)
    ]


def base_rows(model: type[models.Model]) -> models.QuerySet:
    # The plain QuerySet: the audit log's refuses bulk updates, and erasure is the one lawful
    # rewrite of it (GDPR article 17 outranks an append-only log of personal data).
    return models.QuerySet(model)


def replace_copies(*, tenant, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in every copy kept as text in ``tenant``'s rows."""
    if not old:
        return 0
    changed = 0
    for model_label, names in COPIES.items():
        model = apps.get_model(model_label)
        for name in names:
            field = model._meta.get_field(name)
            rows = base_rows(model).filter(tenant=tenant)
            if isinstance(field, models.JSONField):
                # Inside JSON strings the text is escaped as JSON escapes it.
                escaped_old, escaped_new = json.dumps(old)[1:-1], json.dumps(new)[1:-1]
                as_text = Cast(F(name), TextField())
                changed += (
                    rows.filter(**{f"{name}__isnull": False})
                    .annotate(_text=as_text)
                    .filter(_text__contains=escaped_old)
                    .update(
                        **{
                            name: Cast(
                                Replace(as_text, Value(escaped_old), Value(escaped_new)),
                                models.JSONField(),
                            )
                        }
                    )
                )
            else:
                changed += rows.filter(**{f"{name}__icontains": old}).update(
                    **{name: _replace_ci(name, old, new)}
                )
    return changed


def _replace_ci(name: str, old: str, new: str) -> Func:
    """Case-insensitive replace (an address may be copied as its sender wrote it)."""
    return Func(
        F(name),
        Value(_regex_literal(old)),
        Value(new.replace("\\", "\\\\")),
        Value("gi"),
        function="REGEXP_REPLACE",
        output_field=TextField(),
    )


def _regex_literal(text: str) -> str:
    special = set(r"\.^$|?*+()[]{}")
    return "".join("\\" + c if c in special else c for c in text)
