"""The Redis cache keeps one client per connection pool (core/cache.py)."""

from django.conf import settings
from django.core.cache import caches

from core.cache import KeptClientRedisCache


def test_the_redis_cache_in_use_keeps_its_client_and_works_as_django_s():
    assert settings.CACHES["default"]["BACKEND"] == "core.cache.KeptClientRedisCache"
    cache = caches["default"]
    assert isinstance(cache, KeptClientRedisCache)
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b", write=True) is client  # one server: one pool, one client
    cache.set("kept-client", {"n": 1}, 30)
    assert cache.get_many(["kept-client", "absent"]) == {"kept-client": {"n": 1}}
    assert cache.add("kept-client", 2) is False
    assert cache.add("kept-counter", 1) is True and cache.incr("kept-counter") == 2
    cache.delete_many(["kept-client", "kept-counter"])
    assert cache.get("kept-client") is None
