"""What a search looks for: the meaningful words of what someone typed, and the document of an
article it is matched against (core.search: English and Hebrew, with or without prefixes)."""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchVectorField
from django.db.models import Func, Value

from core.search import CONFIG, SearchDocument

SEARCH_CONFIG = CONFIG
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


def article_document() -> Func:
    """The stored ``search_document`` of an article: the title's words weigh A, the body's B
    (SearchRank ranks a title match first), each with its Hebrew forms."""
    return Func(
        Func(SearchDocument("title"), Value("A"), function="setweight"),
        Func(SearchDocument("body"), Value("B"), function="setweight"),
        template="(%(expressions)s)",
        arg_joiner=" || ",
        output_field=SearchVectorField(),
    )
