"""Who else has a ticket open right now: a heartbeat per person, kept in the cache.

Each open ticket page posts a heartbeat every few seconds ("viewing" or "replying"); an
entry older than WINDOW seconds has left. No database writes: presence is not history.
"""

from __future__ import annotations

import time

from django.core.cache import cache

WINDOW = 30  # seconds without a heartbeat after which a person has left
STATES = ("viewing", "replying")


def _key(ticket_id: int) -> str:
    return f"tickets:presence:{ticket_id}"


def heartbeat(*, ticket_id: int, user, state: str = "viewing", hold: int = 0) -> list[dict]:
    """Record that ``user`` is on the ticket; return the others there now.

    ``hold`` keeps the entry fresh for that many more seconds (the demo's "being viewed").
    """
    now = time.time()
    entries = {
        k: v for k, v in (cache.get(_key(ticket_id)) or {}).items() if now - v["at"] < WINDOW
    }
    entries[str(user.pk)] = {
        "name": user.get_full_name(),
        "state": state if state in STATES else "viewing",
        "at": now + hold,
    }
    cache.set(_key(ticket_id), entries, WINDOW * 2 + hold)
    return others(ticket_id=ticket_id, user=user, entries=entries)


def others(*, ticket_id: int, user, entries: dict | None = None) -> list[dict]:
    now = time.time()
    entries = entries if entries is not None else (cache.get(_key(ticket_id)) or {})
    return sorted(
        (
            {"name": v["name"], "state": v["state"], "seconds_ago": max(0, int(now - v["at"]))}
            for k, v in entries.items()
            if k != str(user.pk) and now - v["at"] < WINDOW
        ),
        key=lambda e: e["name"],
    )
