"""Single sign-on: a tenant's OpenID Connect identity providers, and who signed in through
which (the provider's ``sub`` names a person for good; an address can change)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..tenancy import TenantOwned, TenantQuerySet
from .users import User


class IdentityProviderQuerySet(TenantQuerySet):
    def required_for_staff(self):
        return self.filter(required_for_staff=True)


class IdentityProvider(TenantOwned):
    """One OpenID Connect provider a tenant's people sign in with ("Sign in with Acme ID").

    The client secret is kept encrypted (``accounts.sso.encrypt_secret``) or read from the
    environment variable ``client_secret_env`` names; it is never shown again."""

    name = models.CharField(_("name"), max_length=80)
    issuer = models.URLField(_("issuer"), max_length=300)
    client_id = models.CharField(_("client id"), max_length=255)
    client_secret_encrypted = models.TextField(blank=True, editable=False)
    client_secret_env = models.CharField(
        _("environment variable holding the secret"), max_length=100, blank=True
    )
    # Addresses the provider may sign in; empty: any address it vouches for.
    domains = models.JSONField(_("e-mail domains"), default=list, blank=True)
    required_for_staff = models.BooleanField(
        _("staff must sign in with it"),
        default=False,
        help_text=_("Staff who signed in with a password are sent to this provider first."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = IdentityProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def allows_address(self, email: str) -> bool:
        if not self.domains:
            return True
        domain = email.rsplit("@", 1)[-1].lower()
        return any(domain == d or domain.endswith("." + d) for d in self.domains)


class SsoIdentity(TenantOwned):
    """A person as one provider knows them. ``manages_membership``: the membership was made
    by signing in here, so the joining rules are applied again at each sign-in (a membership
    an admin gave by hand, an admin's own among them, is left as the admin set it)."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    groups = models.JSONField(default=list, blank=True)
    manages_membership = models.BooleanField(default=False)
    last_signed_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="sso_identity_unique")
        ]
