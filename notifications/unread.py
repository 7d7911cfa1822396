"""The header's unread count, kept in the cache so that a page pays no query for it.

A person's count is read once from the database and then kept until one of their
notifications is made or read (``forget_unread``), or for an hour. The cache failing soft
(core.cache) makes a read a miss: the count is then one small query on the partial index.
"""

from __future__ import annotations

from django.core.cache import cache

from accounts.models import Membership

from .models import Notification

KEPT_SECONDS = 3600


def _key(tenant_id: int, user_id: int) -> str:
    return f"notifications:unread:{tenant_id}:{user_id}"


def unread_count(member: Membership) -> int:
    key = _key(member.tenant_id, member.user_id)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.visible_to(member).unread().count()
        cache.set(key, count, KEPT_SECONDS)
    return count


def forget_unread(tenant_id: int, user_id: int) -> None:
    cache.delete(_key(tenant_id, user_id))
