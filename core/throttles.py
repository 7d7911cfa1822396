"""API rate limits, counted per client address (core.client) or per signed-in person.

DRF's own throttles key anonymous callers on ``X-Forwarded-For`` whoever sent it, and keep a
list of every request's time in the cache; these count in fixed windows (two small cache
operations a request) and read their rates at each request, so a changed setting applies.
While the cache is down every limit here lets requests through (fails open, logged).
"""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from .cache import CacheUnavailable
from .client import client_ip

_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Every counter of every limit lives under this prefix (tests give each test its own).
NAMESPACE = "limits"


def parse_rate(rate: str) -> tuple[int, int]:
    """ "10/hour" -> (10, 3600)."""
    count, _slash, period = rate.partition("/")
    return int(count), _SECONDS[period[0]]


def hit(key: str, rate: str) -> tuple[bool, float]:
    """Count one event under ``key``: whether it is within ``rate``, and the seconds to wait."""
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    key = f"{NAMESPACE}:rate:{key}:{window}"
    try:
        try:
            count = cache.incr(key)  # one round trip once the window has its counter
        except ValueError:
            count = 1
            if not cache.add(key, 1, period + 1):  # another request started it meanwhile
                count = cache.incr(key)
    except CacheUnavailable:
        # Fail open: limits guard against abuse, and refusing everyone while Redis is down
        # would turn a cache outage into an outage of the helpdesk (docs/architecture.md).
        return True, 0.0
    return count <= limit, (window + 1) * period - now


class _WindowThrottle(SimpleRateThrottle):
    def get_rate(self):
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get(self.scope)

    def get_ident(self, request):
        return client_ip(request)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        allowed, self._wait = hit(key, self.rate)
        return allowed

    def wait(self):
        return self._wait


class AnonThrottle(_WindowThrottle):
    """THROTTLE_ANON, per client address, for callers not signed in."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return f"anon:{self.get_ident(request)}"


class UserThrottle(_WindowThrottle):
    """THROTTLE_USER, per person (per client address before sign-in)."""

    scope = "user"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return f"user:ip:{self.get_ident(request)}"


class ScopedThrottle(_WindowThrottle):
    """The rate named by the view's ``throttle_scope``, per person or per client address."""

    def __init__(self):
        pass  # the scope comes from the view, at each request

    def allow_request(self, request, view):
        self.scope = getattr(view, "throttle_scope", None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            ident = request.user.pk
        else:
            ident = self.get_ident(request)
        return f"{self.scope}:{ident}"
