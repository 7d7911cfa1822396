"""Failed sign-ins, limited the same way for every way in (sign-in page, API token; later SSO
and e-mail links): call ``authenticate`` here, never django.contrib.auth's directly.

Three limits, none of which a stranger can turn against someone else:

- per e-mail *and* client address pair: after LOGIN_FAILURE_LIMIT failures in
  LOGIN_FAILURE_WINDOW seconds that pair is refused until the window ends. Guessing from one
  address locks only that address out of that account; failures on other accounts, or from
  other people behind the same address, count elsewhere.
- per account, from anywhere: past LOGIN_ACCOUNT_SLOWDOWN_AFTER failures in the window, an
  address the account never signed in from gets one try per LOGIN_SLOWDOWN_SECONDS.
  Guessing from many addresses is slowed to a crawl, while the owner, from an address they
  signed in from before, is not slowed at all.
- per client address, on any accounts: past LOGIN_ADDRESS_SLOWDOWN_AFTER failures in the
  window, that address gets one try per LOGIN_SLOWDOWN_SECONDS at accounts never signed in
  from it (trying one password on many accounts), again sparing their owners.

A refused attempt checks no password and counts no failure. The second step of a sign-in (a
code from an authenticator app, or a recovery code) shares these limits: a wrong code counts as
a wrong password, and for an account with a second factor a right password alone clears
nothing, so a guesser who knows the password is slowed and locked out of the codes too.
Counts live in the cache; while it is down the limits fail open (nothing is counted, nobody is
refused, a warning is logged): refusing every sign-in would turn a cache outage into an outage,
and the password hasher still makes each guess slow. They resume when the cache returns.
"""

import hashlib
import math

from django.conf import settings
from django.contrib.auth import authenticate as django_authenticate
from django.core.cache import cache

from core import throttles
from core.cache import CacheUnavailable
from core.client import client_ip
from core.throttles import hit

from .models import normal_address
from .two_factor import has_second_factor, match_code

KNOWN_ADDRESS_SECONDS = 30 * 86400  # how long an address stays "signed in from before"


class SignInRefused(Exception):
    """Too many failures: no password was checked. ``wait`` is in whole seconds."""

    def __init__(self, wait: int):
        super().__init__(wait)
        self.wait = max(1, math.ceil(wait))

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.wait / 60))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _keys(email: str, address: str) -> dict[str, str]:
    account = _digest(normal_address(email))
    client = _digest("", address)
    pair = _digest(normal_address(email), address)
    prefix = f"{throttles.NAMESPACE}:signin"
    return {
        "pair": f"{prefix}:fail:pair:{pair}",
        "account": f"{prefix}:fail:account:{account}",
        "address": f"{prefix}:fail:address:{client}",
        "account_slot": f"{prefix}:slot:account:{account}",
        "address_slot": f"{prefix}:slot:address:{client}",
        "known": f"{prefix}:known:{pair}",
    }


def _count(key: str) -> int:
    cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW)
        return 1
    except CacheUnavailable:  # fails open: the failure is not counted (see the docstring)
        return 0


def check(request, email: str) -> None:
    """Raise SignInRefused if this address may not try this e-mail now."""
    keys = _keys(email, client_ip(request))
    counts = cache.get_many([keys["pair"], keys["account"], keys["address"], keys["known"]])
    if counts.get(keys["pair"], 0) >= settings.LOGIN_FAILURE_LIMIT:
        raise SignInRefused(settings.LOGIN_FAILURE_WINDOW)
    if counts.get(keys["known"]):
        return  # the owner's own address: only the pair limit applies
    slowed = [
        slot
        for slot, failures, limit in (
            ("account_slot", "account", settings.LOGIN_ACCOUNT_SLOWDOWN_AFTER),
            ("address_slot", "address", settings.LOGIN_ADDRESS_SLOWDOWN_AFTER),
        )
        if counts.get(keys[failures], 0) >= limit
    ]
    # One try per period for the whole account (or address); the try takes the slot.
    for slot in slowed:
        if not cache.add(keys[slot], 1, settings.LOGIN_SLOWDOWN_SECONDS):
            raise SignInRefused(settings.LOGIN_SLOWDOWN_SECONDS)


def record_failure(request, email: str) -> None:
    keys = _keys(email, client_ip(request))
    _count(keys["pair"])
    _count(keys["account"])
    _count(keys["address"])


def record_success(request, email: str) -> None:
    keys = _keys(email, client_ip(request))
    cache.delete(keys["pair"])
    cache.set(keys["known"], 1, KNOWN_ADDRESS_SECONDS)


def authenticate(request, *, email: str, password: str):
    """The user with this e-mail and password, or None; SignInRefused past the limits.

    For an account with a second factor the sign-in succeeds only with its code
    (``verify_second_factor``), so only that clears the failures."""
    check(request, email)
    user = django_authenticate(request, username=email, password=password)
    if user is None:
        record_failure(request, email)
    elif not has_second_factor(user):
        record_success(request, email)
    return user


def verify_second_factor(request, *, user, code: str):
    """The device that accepts ``code`` for ``user``, or None; SignInRefused past the limits
    (the same counts as passwords: the code is the rest of the sign-in)."""
    check(request, user.email)
    device = match_code(user, code)
    if device is None:
        record_failure(request, user.email)
    else:
        record_success(request, user.email)
    return device


def password_reset_refusal(request, email: str) -> str | None:
    """Count one password-reset request: None if a mail may go, else which limit it passed:
    "client" (this address asks too often) or "email" (that mailbox got enough already)."""
    client = f"password-reset:client:{client_ip(request)}"
    if not hit(client, settings.PASSWORD_RESET_CLIENT_RATE)[0]:
        return "client"
    mailbox = f"password-reset:email:{_digest(normal_address(email))}"
    if not hit(mailbox, settings.PASSWORD_RESET_RATE)[0]:
        return "email"
    return None
