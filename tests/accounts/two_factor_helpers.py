"""Helpers of the two-factor tests: a code computed as an authenticator app computes it."""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import confirm_authenticator, start_authenticator

LOGIN_URL = "/accounts/login/"
CODE_URL = "/accounts/login/code/"
SETTINGS_URL = "/accounts/two-factor/"


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the app shows now (or a step later: still accepted, and not yet used)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def fresh_code(device: TOTPDevice) -> str:
    """A code the device has not accepted yet (a used one is refused: no replay)."""
    device.refresh_from_db()
    return code_of(device, steps_ahead=1)


def with_authenticator(user) -> tuple[TOTPDevice, list[str]]:
    """The person adds and confirms an authenticator: its device and recovery codes."""
    device = start_authenticator(user=user)
    codes = confirm_authenticator(device=device, code=code_of(device))
    assert codes is not None
    device.refresh_from_db()
    return device, codes


def sign_in_with_password(client, email: str, password: str):
    return client.post(LOGIN_URL, {"username": email, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def verified(client) -> bool:
    return "otp_device_id" in client.session
