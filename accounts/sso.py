"""Single sign-on through a tenant's OpenID Connect providers: the protocol, done by
mozilla-django-oidc, with the provider taken from an ``IdentityProvider`` row instead of
settings.

The library does the code flow: state, nonce and PKCE kept in the session, the code traded
for tokens at the provider's token endpoint, the ID token's signature checked against the
provider's JWKS (RS256, the key chosen by ``kid``) and its nonce compared. Its ``jwt.decode``
leaves the audience unchecked, so ``ProviderBackend._verify_jws`` asks PyJWT for the audience
(our client id), the issuer and the expiry too. Endpoints come from the issuer's discovery
document (``issuer/.well-known/openid-configuration``), cached. Who the person is, and what
they become in the tenant, is ``accounts.services.sign_in_through_provider``'s to decide.
"""

from __future__ import annotations

import hashlib
import os
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from core.crypto import InvalidToken, decrypt_text, encrypt_text

from .models import IdentityProvider, User

_HKDF_INFO = b"helpdesk identity provider secrets"
CALLBACK_URL_NAME = "sso_callback"
ALGORITHM = "RS256"
# What the library reads from settings, per provider here (defaults are the library's own,
# PKCE on: a code stolen on its way back is of no use without the verifier).
LIBRARY_SETTINGS = {
    "OIDC_AUTHENTICATION_CALLBACK_URL": CALLBACK_URL_NAME,
    "OIDC_RP_SCOPES": "openid email profile",
    "OIDC_USE_NONCE": True,
    "OIDC_USE_PKCE": True,
    "OIDC_VERIFY_SSL": True,
    "OIDC_VERIFY_KID": True,
    "OIDC_ALLOW_UNSECURED_JWT": False,
    "OIDC_TOKEN_USE_BASIC_AUTH": False,
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
    "OIDC_REDIRECT_FIELD_NAME": "next",
}


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be had or is not one we can use."""


def encrypt_secret(secret: str) -> str:
    return encrypt_text(secret, secrets=settings.SSO_ENCRYPTION_KEY, info=_HKDF_INFO)


def secret_of(provider: IdentityProvider) -> str:
    """The client secret: from the environment variable the provider names, else its own."""
    if provider.client_secret_env:
        value = os.environ.get(provider.client_secret_env)
        if value is None:
            raise ProviderUnavailable(
                _("The environment variable %(name)s that holds the client secret is not set.")
                % {"name": provider.client_secret_env}
            )
        return value
    if not provider.client_secret_encrypted:
        return ""
    try:
        return decrypt_text(
            provider.client_secret_encrypted, secrets=settings.SSO_ENCRYPTION_KEY, info=_HKDF_INFO
        )
    except InvalidToken:
        raise ProviderUnavailable(
            _("The client secret cannot be read (SSO_ENCRYPTION_KEY changed?): enter it again.")
        ) from None


def scheme_allowed(url: str) -> bool:
    scheme = urlsplit(url).scheme
    return scheme == "https" or (scheme == "http" and settings.SSO_ALLOW_HTTP_ISSUERS)


def discovery(issuer: str) -> dict:
    """The provider's OpenID configuration, cached SSO_DISCOVERY_CACHE_SECONDS."""
    key = "sso:discovery:" + hashlib.sha256(issuer.encode()).hexdigest()
    document = cache.get(key)
    if document is not None:
        return document
    try:
        response = requests.get(
            issuer.rstrip("/") + "/.well-known/openid-configuration",
            timeout=settings.SSO_TIMEOUT,
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(
            _("The identity provider could not be reached: %(error)s") % {"error": error}
        ) from None
    endpoints = ("authorization_endpoint", "token_endpoint", "jwks_uri")
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise ProviderUnavailable(_("The identity provider names another issuer."))
    if not all(isinstance(document.get(e), str) and scheme_allowed(document[e]) for e in endpoints):
        raise ProviderUnavailable(_("The identity provider's endpoints are not all https."))
    cache.set(key, document, settings.SSO_DISCOVERY_CACHE_SECONDS)
    return document


def state_of(authorization_url: str) -> str:
    """The ``state`` the library put in the URL it sends the browser to."""
    return parse_qs(urlsplit(authorization_url).query)["state"][0]


class ProviderBackend(OIDCAuthenticationBackend):
    """The library's backend for one provider row. Not in AUTHENTICATION_BACKENDS: only the
    callback of accounts.views_sso calls it, with the provider its state was made for."""

    def __init__(self, provider: IdentityProvider):  # no super(): it reads settings
        document = discovery(provider.issuer)
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = document["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = document.get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = document["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = secret_of(provider)
        self.OIDC_RP_SIGN_ALGO = ALGORITHM
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = User

    def get_settings(self, attr, *args):
        if attr in LIBRARY_SETTINGS:
            return LIBRARY_SETTINGS[attr]
        if attr == "OIDC_TIMEOUT":
            return settings.SSO_TIMEOUT
        return args[0] if args else None

    def _verify_jws(self, payload, key):
        """The library's check (the algorithm must be ours), plus PyJWT's checks of the
        audience, issuer and expiry that the library leaves off."""
        try:
            algorithm = jwt.get_unverified_header(payload).get("alg")
            if algorithm != self.OIDC_RP_SIGN_ALGO:
                raise SuspiciousOperation(f"ID token signed with {algorithm!r}")
            return jwt.decode(
                payload,
                key,
                algorithms=[ALGORITHM],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.provider.issuer,
                options={"require": ["exp", "iat", "aud", "iss", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from None

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims (signed and checked), with what the userinfo endpoint adds
        where the token lacks it and the endpoint speaks of the same person."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT and scheme_allowed(self.OIDC_OP_USER_ENDPOINT):
            extra = super().get_userinfo(access_token, id_token, payload)
            if isinstance(extra, dict) and extra.get("sub") == claims.get("sub"):
                claims = {**extra, **claims}
        return claims

    def verify_claims(self, claims):
        return bool(claims.get("sub")) and isinstance(claims.get("email"), str)

    def get_or_create_user(self, access_token, id_token, payload):
        from .services import sign_in_through_provider

        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("The provider sent no subject or address")
        return sign_in_through_provider(provider=self.provider, claims=claims)
