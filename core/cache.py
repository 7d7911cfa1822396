"""Django's Redis cache, kept client and failing soft.

Kept client: Django's client makes a new ``redis.Redis`` for every cache operation, and
redis-py fills a table of about 170 response callbacks for each new one: about 0.2 ms of CPU
per operation, 1 ms on a page that reads the session, a few versions and the banner. The
client holds no state of its own beyond its pool (the connections are the pool's), and Django
gives each thread its own cache object, so keeping the client changes nothing but the cost.

Failing soft: the cache only ever holds what can be recomputed or forgotten (cached pages,
versions, presence, session copies, rate counters), so a Redis outage must not stop the
helpdesk. While Redis cannot be reached a read is a miss and a write is dropped, with a
warning in the log; counters raise ``CacheUnavailable`` so that each limit decides by its own
stated rule (docs/architecture.md, "Delivery guarantees"). After a failure the cache is left
alone for ``RETRY_AFTER_SECONDS``, so a hung Redis costs one socket timeout, not one a call.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 2.0


class CacheUnavailable(Exception):  # noqa: N818
    """A counter could not be read or moved: the cache is down."""


class KeptClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class _Down:
    """Until when this process leaves Redis alone (shared by every thread's cache object)."""

    until = 0.0


def _soft(fallback):
    """Run a cache method; while Redis is unreachable, log and answer ``fallback(*args)``."""

    def wrap(method):
        def call(self, *args, **kwargs):
            if time.monotonic() < _Down.until:
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                _Down.until = time.monotonic() + RETRY_AFTER_SECONDS
                logger.warning(
                    "cache unreachable, %s answered without it: %s", method.__name__, error
                )
                return fallback(*args, **kwargs)

        call.__name__ = method.__name__
        call.__doc__ = method.__doc__
        return call

    return wrap


def _counter_down(*args, **kwargs):
    raise CacheUnavailable


class KeptClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient

    get = _soft(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many = _soft(lambda keys, version=None: {})(RedisCache.get_many)
    has_key = _soft(lambda *a, **k: False)(RedisCache.has_key)
    set = _soft(lambda *a, **k: None)(RedisCache.set)
    add = _soft(lambda *a, **k: False)(RedisCache.add)  # nothing was stored
    touch = _soft(lambda *a, **k: False)(RedisCache.touch)
    delete = _soft(lambda *a, **k: False)(RedisCache.delete)
    set_many = _soft(lambda data, *a, **k: list(data))(RedisCache.set_many)
    delete_many = _soft(lambda *a, **k: None)(RedisCache.delete_many)
    incr = _soft(_counter_down)(RedisCache.incr)

    def ping(self) -> None:
        """Reach Redis itself (readiness), raising when it cannot be reached."""
        self._cache.get_client(write=True).ping()
