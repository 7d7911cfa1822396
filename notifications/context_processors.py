from functools import cache

from .unread import unread_count


def unread(request):
    """``unread_notifications()`` for the header: read only when a member's page calls it."""
    membership = getattr(request, "membership", None)

    @cache
    def count() -> int:
        return unread_count(membership) if membership is not None else 0

    return {"unread_notifications": count}
