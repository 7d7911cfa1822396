"""What a search looks for: the meaningful words of what someone typed."""

from __future__ import annotations

import re

SEARCH_CONFIG = "english"
# Words too common to say anything about an article (the SQLite fallback has no stemmer).
STOP_WORDS = set(
    [
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "from",
        "have",
        "has",
        "had",
        "not",
        "but",
        "you",
        "your",
        "our",
        "are",
        "was",
        "were",
        "can",
        "could",
        "how",
        "what",
        "when",
        "where",
        "why",
        "who",
        "will",
        "would",
        "into",
        "out",
        "about",
        "there",
        "their",
        "them",
        "they",
        "its",
        "it's",
        "dont",
        "don't",
        "cant",
        "can't",
        "does",
        "did",
        "doing",
        "been",
        "being",
        "please",
        "thanks",
        "thank",
        "hello",
        "help",
        "need",
        "want",
        "get",
        "got",
        "just",
        "also",
        "any",
        "all",
        "some",
    ]
)
WORD = re.compile(r"[\w']{3,}", re.UNICODE)


def search_words(text: str, limit: int = 8) -> list[str]:
    """The distinct, meaningful words of what someone typed, in order."""
    words: list[str] = []
    for word in WORD.findall((text or "").lower()):
        if word not in STOP_WORDS and word not in words:
            words.append(word)
    return words[:limit]
