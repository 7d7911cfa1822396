"""What the knowledge services share: their refusal, and links for e-mails."""

from __future__ import annotations

from django.conf import settings


class KnowledgeError(Exception):
    """A write the rules do not allow; the message says why in words."""


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
