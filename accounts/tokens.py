"""API tokens: issued named and expiring, kept as a SHA-256 only, refused once revoked, expired,
or issued before the owner's last password change, or when the owner is deactivated.

A membership removed or deactivated needs nothing here: the tenant door
(accounts.viewsets.TenantScopedViewSet) refuses non-members whatever authenticated them.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .models import ApiToken, User

# last_used_at is written at most this often per token: a busy client costs no write per call.
TOUCH_EVERY = timedelta(minutes=5)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _password_state(user: User) -> str:
    # Django's own session hash: an HMAC of the password hash, so it changes with the password.
    return user.get_session_auth_hash()


def _password_unchanged(token: ApiToken) -> bool:
    user = token.user
    if constant_time_compare(token.password_state, user.get_session_auth_hash()):
        return True
    return any(
        constant_time_compare(token.password_state, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    )


def token_status(token: ApiToken) -> str:
    """ "active", "revoked", "expired" or "password_changed"."""
    if token.revoked_at:
        return "revoked"
    if token.expires_at <= timezone.now():
        return "expired"
    if not _password_unchanged(token):
        return "password_changed"
    return "active"


def issue_token(
    *, user: User, name: str = "", days: int | None = None, second_factor: bool = False
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and its key, which is shown once and never kept.
    ``second_factor``: the caller gave a code (helpdesks that require one for staff ask it)."""
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or _("API token"),
        prefix=key[:8],
        key_hash=hash_key(key),
        password_state=_password_state(user),
        created_at=now,
        expires_at=now + timedelta(days=days or settings.API_TOKEN_DAYS),
        second_factor=second_factor,
    )
    return token, key


@transaction.atomic
def revoke_token(*, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate_key(key: str) -> ApiToken | None:
    """The active token with this key (its user loaded and active), or None."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    if token is None or not token.user.is_active or token_status(token) != "active":
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, looked up by the key's hash."""

    def authenticate_credentials(self, key):
        token = authenticate_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        return token.user, token
