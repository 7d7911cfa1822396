"""Cached reads that a change makes stale at once: every entry carries the version it was made at.

A version is a random token in the cache under a name ("announcements:7"). A write bumps it
(a new token) when it happens and again when its transaction commits: an entry made in
between, from rows read before the commit, carries the middle token and is never served. A
read takes the version and the entry in one round trip and recomputes unless the entry
carries the current version, so an entry is either as fresh as the last change or ignored;
a lost or evicted version gets a new token, which no entry carries. Expiry only frees memory.

Shared between processes when the cache is (Redis: production and tests). The local-memory
cache of the demo is per process, which is right for its single process only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

ENTRY_SECONDS = 24 * 3600


def _key(name: str) -> str:
    return f"version:{name}"


def bump(name: str) -> None:
    """The data behind ``name`` changed: no entry made before now (or before commit) is read."""

    def renew():
        cache.set(_key(name), uuid.uuid4().hex, None)

    renew()
    transaction.on_commit(renew)


def cached(name: str, key: str, compute: Callable, timeout: int = ENTRY_SECONDS):
    """``compute()``, kept under ``key`` while the version ``name`` stays the same."""
    found = cache.get_many([_key(name), key])
    version = found.get(_key(name))
    if version is None:
        cache.add(_key(name), uuid.uuid4().hex, None)
        version = cache.get(_key(name))
        if version is None:  # the cache is not keeping anything: read the data itself
            return compute()
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = compute()
    cache.set(key, (version, value), timeout)
    return value
