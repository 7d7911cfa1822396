"""Single sign-on: a tenant's identity providers (kept by its admins, audited) and what a
sign-in through one makes of a person: which account, and, by the joining rules with the
provider's groups, which role and organization, at the first sign-in and at every one after."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import IdentityProvider, Membership, SsoIdentity, Tenant, User, normal_address
from .audit import record_audit
from .base import NotPermitted
from .joining import _join, joining_outcome
from .memberships import change_membership


class SsoRefused(Exception):
    """The provider vouched for someone this tenant does not let in this way; says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Identity providers ---------------------------------------------------------------------


def check_issuer(issuer: str) -> str:
    """An issuer URL: https (http only where SSO_ALLOW_HTTP_ISSUERS), a host, no query."""
    issuer = (issuer or "").strip()
    parts = urlsplit(issuer)
    allowed = {"https", "http"} if settings.SSO_ALLOW_HTTP_ISSUERS else {"https"}
    if parts.scheme not in allowed or not parts.hostname or parts.query or parts.fragment:
        raise ValidationError(
            {
                "issuer": [
                    _("Enter the provider's issuer, an https address such as https://id.acme.com.")
                ]
            }
        )
    return issuer


def check_domains(domains) -> list[str]:
    cleaned = []
    for domain in domains or ():
        domain = str(domain).strip().lower().lstrip("@")
        if not domain or "." not in domain or "@" in domain or " " in domain:
            raise ValidationError({"domains": [_("Enter domains such as acme.com.")]})
        if domain not in cleaned:
            cleaned.append(domain)
    return cleaned


def _provider_state(provider: IdentityProvider) -> dict:
    return {
        "name": provider.name,
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        # Never the secret itself: only where it is kept.
        "client_secret": "environment" if provider.client_secret_env else "stored",
        "domains": provider.domains,
        "required_for_staff": provider.required_for_staff,
    }


def _sync_requirement(tenant: Tenant) -> None:
    """The tenant row carries whether staff must use SSO: the tenant door reads it with the
    membership, in the query it makes anyway."""
    required = IdentityProvider.objects.for_tenant(tenant).required_for_staff().exists()
    if tenant.staff_sign_in_with_sso != required:
        tenant.staff_sign_in_with_sso = required
        tenant.save(update_fields=["staff_sign_in_with_sso"])


def _apply(provider: IdentityProvider, fields: dict) -> None:
    from ..sso import encrypt_secret

    if "issuer" in fields:
        provider.issuer = check_issuer(fields["issuer"])
    if "domains" in fields:
        provider.domains = check_domains(fields["domains"])
    for name in ("name", "client_id", "required_for_staff"):
        if name in fields:
            setattr(provider, name, fields[name])
    if fields.get("client_secret"):
        provider.client_secret_encrypted = encrypt_secret(fields["client_secret"])
        provider.client_secret_env = ""
    elif fields.get("client_secret_env"):
        provider.client_secret_env = fields["client_secret_env"]
        provider.client_secret_encrypted = ""
    if not (provider.name or "").strip():
        raise ValidationError({"name": [_("Name the provider, as the sign-in button says it.")]})
    if not (provider.client_id or "").strip():
        raise ValidationError({"client_id": [_("Enter the client id the provider gave you.")]})


@transaction.atomic
def add_identity_provider(*, tenant: Tenant, by: User, **fields) -> IdentityProvider:
    if not fields.get("client_secret") and not fields.get("client_secret_env"):
        raise ValidationError(
            {"client_secret": [_("Enter the client secret (or the variable that holds it).")]}
        )
    provider = IdentityProvider(tenant=tenant)
    _apply(provider, fields)
    provider.save()
    _sync_requirement(tenant)
    record_audit(
        tenant=tenant,
        actor=by,
        action="identity_provider.created",
        target=provider,
        after=_provider_state(provider),
    )
    return provider


@transaction.atomic
def change_identity_provider(*, provider: IdentityProvider, by: User, **fields) -> IdentityProvider:
    provider = IdentityProvider.objects.select_for_update().get(pk=provider.pk)
    before = _provider_state(provider)
    secret_changed = bool(fields.get("client_secret") or fields.get("client_secret_env"))
    _apply(provider, fields)
    provider.save()
    _sync_requirement(provider.tenant)
    after = _provider_state(provider)
    if after != before or secret_changed:
        if secret_changed:
            after["client_secret"] += " (new)"
        record_audit(
            tenant=provider.tenant,
            actor=by,
            action="identity_provider.changed",
            target=provider,
            before=before,
            after=after,
        )
    return provider


@transaction.atomic
def delete_identity_provider(*, provider: IdentityProvider, by: User) -> None:
    tenant = provider.tenant
    record_audit(
        tenant=tenant,
        actor=by,
        action="identity_provider.deleted",
        target=provider,
        before=_provider_state(provider),
    )
    provider.delete()
    _sync_requirement(tenant)


# --- Signing in -----------------------------------------------------------------------------


def _groups_of(claims: dict) -> list[str]:
    groups = claims.get("groups")
    if not isinstance(groups, list):
        return []
    return sorted({g for g in groups if isinstance(g, str) and g})[:200]


def _address_verified(claims: dict) -> bool:
    # Some providers send the flag as a string.
    return claims.get("email_verified") in (True, "true")


@transaction.atomic
def sign_in_through_provider(*, provider: IdentityProvider, claims: dict) -> User:
    """The account ``claims`` (checked by accounts.sso) stand for, its membership made or
    brought in line with the joining rules; raises ``SsoRefused`` saying why not.

    A person is known by the provider's ``sub`` once linked; the first time, an existing
    account is theirs only through an address the provider asserts it verified, else a new
    account is made for that (verified) address. An address the provider did not verify
    signs nobody in: it could be anyone's. The joining rules, with the provider's groups,
    decide the newcomer's role and organization, and again at every sign-in for memberships
    made this way (role changes audited; no rule left: deactivated)."""
    tenant = provider.tenant
    subject = str(claims["sub"])[:255]
    email = normal_address(claims.get("email", ""))
    groups = _groups_of(claims)
    identity = (
        SsoIdentity.objects.for_tenant(tenant)
        .select_for_update()
        .filter(provider=provider, subject=subject)
        .select_related("user")
        .first()
    )
    if identity is None:
        if not _address_verified(claims):
            raise SsoRefused(
                _("%(provider)s has not verified the address %(email)s, so it cannot sign you in.")
                % {"provider": provider.name, "email": email}
            )
        if not provider.allows_address(email):
            raise SsoRefused(
                _("%(provider)s may not sign in addresses of this domain here.")
                % {"provider": provider.name}
            )
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=None,  # unusable: this person signs in with the provider
                name=str(claims.get("name") or "")[:150],
                email_verified_at=timezone.now(),
            )
        elif user.email_verified_at is None:
            user.email_verified_at = timezone.now()  # the provider vouches for it
            user.save(update_fields=["email_verified_at"])
        identity = SsoIdentity(tenant=tenant, provider=provider, subject=subject, user=user)
    user = identity.user
    if not user.is_active:
        raise SsoRefused(_("This account is closed."))
    membership = (
        Membership.objects.for_tenant(tenant)
        .filter(user=user)
        .select_related("role", "organization")
        .first()
    )
    outcome = joining_outcome(tenant=tenant, email=user.email, groups=groups)
    if membership is None:
        if outcome.outcome == "refused":
            raise SsoRefused(outcome.reason)
        _join(tenant=tenant, user=user, outcome=outcome)
        identity.manages_membership = True
    elif identity.manages_membership and membership.status == Membership.Status.ACTIVE:
        _apply_rules_again(membership, outcome)
    identity.groups = groups
    identity.last_signed_in_at = timezone.now()
    identity.save()
    return user


def _apply_rules_again(membership: Membership, outcome) -> None:
    """By the installation (no admin's hand): the rules were checked against what their
    makers may give when they were saved (accounts.granting)."""
    try:
        if outcome.outcome == "refused":
            change_membership(membership=membership, by=None, status=Membership.Status.DEACTIVATED)
        else:
            change_membership(
                membership=membership,
                by=None,
                role=outcome.rule.role,
                organization=outcome.rule.organization,
            )
    except NotPermitted:
        pass  # the last admin stays admin: a helpdesk is never left without one
