"""Invitations: one by one or from a CSV file, accepted, withdrawn and mailed."""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import subject_line
from outbox.services import enqueue

from ..granting import check_grant
from ..models import (
    Invitation,
    Membership,
    Organization,
    Role,
    Tenant,
    User,
)
from .audit import record_audit
from .base import NotPermitted, _membership_of
from .joining import check_address
from .tenants import add_member

# --- Invitations ----------------------------------------------------------------------------

INVITATION_DAYS = 7


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invite(
    *,
    tenant: Tenant,
    email: str,
    role: Role,
    by: User | None,
    organization: Organization | None = None,
    days: int = INVITATION_DAYS,
    notify: bool = True,
) -> tuple[Invitation, str]:
    """Invite one person with a role; returns the invitation and its (unstored) token.

    ``notify=False`` skips the e-mail (the demo prints no mail); the token is then the only
    way in.
    """
    email = check_address(email)
    check_grant(tenant=tenant, by=by, role=role, organization=organization)
    member = Membership.objects.for_tenant(tenant).filter(user__email__iexact=email).first()
    if member is not None and member.status != Membership.Status.PENDING:
        raise ValidationError({"email": [_("This person already belongs to this helpdesk.")]})
    # Inviting again replaces an open invitation: one working link per person, the newest.
    for earlier in Invitation.objects.for_tenant(tenant).open().filter(email__iexact=email):
        revoke_invitation(invitation=earlier, by=by)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        tenant=tenant,
        email=email,
        role=role,
        organization=organization,
        token_hash=hash_token(token),
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=days),
    )
    record_audit(
        tenant=tenant,
        actor=by,
        action="invitation.sent",
        target=invitation,
        after={
            "email": email,
            "role": role.key,
            "organization": organization.name if organization else None,
            "expires_at": invitation.expires_at.isoformat(),
        },
    )
    if notify:
        from ..tasks import send_invitation_task

        enqueue(send_invitation_task, invitation.pk, token)
    return invitation, token


def parse_invitation_csv(*, tenant: Tenant, text: str) -> tuple[list[dict], list[str]]:
    """Rows of ``email,role[,organization]`` (role by key or name, organization by name).

    Returns the rows and the errors, line by line; nothing is invited when there are errors.
    """
    roles = {}
    for role in Role.objects.for_tenant(tenant):
        roles[role.key.lower()] = role
        roles[role.name.lower()] = role
    organizations = {o.name.lower(): o for o in Organization.objects.for_tenant(tenant)}
    rows, errors, seen = [], [], set()
    for number, record in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in record]
        if not any(cells) or (number == 1 and cells[0].lower() in ("email", "e-mail")):
            continue
        if len(cells) < 2:
            errors.append(_("Line %(n)s: expected e-mail,role[,organization].") % {"n": number})
            continue
        email, role_name = cells[0].lower(), cells[1].lower()
        org_name = cells[2].lower() if len(cells) > 2 else ""
        try:
            email = check_address(email)
        except ValidationError:
            errors.append(
                _("Line %(n)s: “%(email)s” is not a usable address.")
                % {"n": number, "email": email}
            )
            continue
        if email in seen:
            errors.append(_("Line %(n)s: %(email)s appears twice.") % {"n": number, "email": email})
            continue
        seen.add(email)
        if role_name not in roles:
            errors.append(
                _("Line %(n)s: there is no role “%(role)s”.") % {"n": number, "role": cells[1]}
            )
            continue
        if org_name and org_name not in organizations:
            errors.append(
                _("Line %(n)s: there is no organization “%(org)s”.")
                % {"n": number, "org": cells[2]}
            )
            continue
        rows.append(
            {"email": email, "role": roles[role_name], "organization": organizations.get(org_name)}
        )
    if not rows and not errors:
        errors.append(_("The file has no rows."))
    return rows, errors


@transaction.atomic
def invite_many(*, tenant: Tenant, rows: list[dict], by: User | None) -> list[Invitation]:
    """Invite every row, or nobody: one bad row refuses the whole upload."""
    return [invite(tenant=tenant, by=by, **row)[0] for row in rows]


def find_invitation(*, tenant: Tenant, token: str) -> Invitation | None:
    return (
        Invitation.objects.for_tenant(tenant)
        .select_related("role", "organization", "tenant")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )


def invitation_refusal(invitation: Invitation | None) -> str | None:
    """Why this link can no longer be used, or None when it can."""
    if invitation is None:
        return _("This invitation link is not valid. Ask an admin for a new one.")
    status = invitation.status
    if status == "accepted":
        return _("This invitation has already been used. Sign in instead.")
    if status == "revoked":
        return _("This invitation was withdrawn. Ask an admin for a new one.")
    if status == "expired":
        return _("This invitation has expired. Ask an admin for a new one.")
    return None


@transaction.atomic
def accept_invitation(
    *, invitation: Invitation, name: str = "", password: str = "", user: User | None = None
) -> Membership:
    """Join through an invitation: a new person sets a password; an existing one signs in.

    ``user`` is the signed-in person (their e-mail must be the invited one); without it, an
    existing account proves itself with its password.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    refusal = invitation_refusal(invitation)
    if refusal:
        raise NotPermitted(refusal)
    tenant = invitation.tenant
    if user is not None:
        if user.email.lower() != invitation.email.lower():
            raise NotPermitted(
                _("This invitation is for %(email)s; you are signed in as someone else.")
                % {"email": invitation.email}
            )
    else:
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is not None:
            if not user.check_password(password):
                raise ValidationError(
                    {
                        "password": [
                            _(
                                "You already have an account: enter its password (or sign in "
                                "first) to accept."
                            )
                        ]
                    }
                )
        else:
            if not name.strip():
                raise ValidationError({"name": [_("Tell us your name.")]})
            try:
                validate_password(password, User(email=invitation.email, name=name))
            except ValidationError as error:
                raise ValidationError({"password": error.messages}) from None
            user = User.objects.create_user(
                email=invitation.email, password=password, name=name.strip()
            )
    if not user.email_verified:
        # The invitation link went to this address: following it proves the address.
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    membership = _membership_of(tenant, user)
    if membership is None:
        membership = add_member(
            tenant=tenant,
            user=user,
            role=invitation.role,
            organization=invitation.organization,
            by=invitation.invited_by,
        )
    elif membership.status == Membership.Status.PENDING:
        before = {"status": membership.status, "role": membership.role.key}
        membership.status = Membership.Status.ACTIVE
        membership.role = invitation.role
        membership.organization = invitation.organization or membership.organization
        membership.joined_at = timezone.now()
        membership.save(update_fields=["status", "role", "organization", "joined_at"])
        record_audit(
            tenant=tenant,
            actor=user,
            action="membership.activated_by_invitation",
            target=membership,
            before=before,
            after={"status": membership.status, "role": membership.role.key},
        )
    else:
        raise NotPermitted(_("You already belong to %(tenant)s.") % {"tenant": tenant.name})
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_audit(
        tenant=tenant,
        actor=user,
        action="invitation.accepted",
        target=invitation,
        before={"status": "open"},
        after={"status": "accepted", "role": invitation.role.key},
    )
    return membership


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by: User) -> Invitation:
    if invitation.status != "open":
        raise NotPermitted(_("Only an open invitation can be withdrawn."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record_audit(
        tenant=invitation.tenant,
        actor=by,
        action="invitation.revoked",
        target=invitation,
        before={"status": "open"},
        after={"status": "revoked"},
    )
    return invitation


def send_invitation(*, invitation: Invitation, token: str) -> None:
    tenant = invitation.tenant
    link = settings.SITE_URL + reverse("accounts:invitation_accept", args=[tenant.slug, token])
    context = {"invitation": invitation, "tenant": tenant, "link": link}
    send_mail(
        subject_line(_("You are invited to %(tenant)s") % {"tenant": tenant.name}),
        render_to_string("accounts/email/invitation.txt", context),
        None,
        [invitation.email],
    )
