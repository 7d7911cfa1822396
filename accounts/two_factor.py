"""Two-factor sign-in, through django-otp: an authenticator app (TOTP) and recovery codes.

A person adds an authenticator (``start_authenticator``: a new secret, shown as a QR code and
as text), which counts only once a code from it confirms it (``confirm_authenticator``); then
ten recovery codes are made and shown once. Recovery codes are django-otp's static tokens, but
kept as a digest (django-otp keeps them as typed): whoever reads the database cannot sign in
with them. Codes are checked by ``accounts.signin.verify_second_factor``, which limits guesses
as it limits passwords.
"""

from __future__ import annotations

import hashlib
import secrets
from base64 import b32encode

import segno
from django.db import transaction
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_RECOVERY_LENGTH = 16  # about 78 bits: a digest of one cannot be reversed by trying them all


def has_second_factor(user: User) -> bool:
    """Has the person a confirmed authenticator (then sign-in asks for a code)? Recovery codes
    exist only beside one (made on confirming, removed with it): one query, not one per kind."""
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_verified(request) -> bool:
    """Did this request's session (or its API token) come with a second factor?"""
    token = getattr(request, "auth", None)
    if token is not None and hasattr(token, "second_factor"):
        return token.second_factor
    is_verified = getattr(request.user, "is_verified", None)  # django_otp's OTPMiddleware
    return bool(is_verified and is_verified())


def authenticator_of(user: User, *, confirmed: bool | None) -> TOTPDevice | None:
    found = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        found = found.filter(confirmed=confirmed)
    return found.order_by("-pk").first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def start_authenticator(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator (any earlier unconfirmed one is dropped)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// link as an SVG QR code, a data: URI for an <img> (CSP allows data:)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def _normal_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _digest(code: str) -> str:
    # StaticToken.token holds 16 characters: the first 64 bits of the SHA-256, in hex.
    return hashlib.sha256(_normal_code(code).encode()).hexdigest()[:16]


def _new_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@transaction.atomic
def new_recovery_codes(*, user: User) -> list[str]:
    """Ten new single-use codes (the old ones stop working); returned to be shown once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [_new_code() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=_digest(c)) for c in codes)
    return codes


@transaction.atomic
def confirm_authenticator(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the new authenticator with a code from it: its recovery codes, or None if the
    code is not right. A confirmed one replaces any earlier authenticator."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(_normal_code(code)):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(user=device.user)


@transaction.atomic
def match_code(user: User, code: str) -> Device | None:
    """The device that accepts ``code`` (an authenticator's, or a recovery code, used up), or
    None. Each device is locked while it checks, so one code is never accepted twice."""
    code = _normal_code(code)
    if not code or len(code) > 64:
        return None
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        token = _digest(code) if isinstance(device, StaticDevice) else code
        if device.verify_token(token):
            return device
    return None


@transaction.atomic
def remove_second_factor(*, user: User) -> int:
    """Remove every authenticator and recovery code of ``user``; how many devices went."""
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    return removed
