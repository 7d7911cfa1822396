"""Full-text search shared by the apps: the words of a query, the query, and where it matched.

One rule for tickets and articles alike, in English and Hebrew: a query word matches a word of
the text when their English stems agree (PostgreSQL's ``english`` configuration, Snowball's
stemmer here) or, for Hebrew, when they share a form (``core.hebrew.word_forms``: with or
without one-letter prefixes). PostgreSQL reads documents through ``helpdesk_search_document``
(migration tickets 0010), whose GIN indexes serve ``SearchDocument``; ``marked_pieces`` and
``snippet`` apply the same rule in Python to show where the words matched.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache, reduce
from operator import and_, or_

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db.models import F, Func, Value
from django.db.models.functions import Coalesce

from .hebrew import is_hebrew, word_forms

CONFIG = "english"
WORD = re.compile(r"\w+")
MAX_WORDS = 10
# PostgreSQL's english.stop: words its english configuration drops (no lexeme, so a query of
# one would match nothing); a search for all the words leaves them out.
_ENGLISH_STOP = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did doing
    a an the and but if or because as until while of at by for with about against between into
    through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now
"""
ENGLISH_STOP_WORDS = frozenset(_ENGLISH_STOP.split())
SNIPPET_CHARS = 160


def query_words(text: str, limit: int = MAX_WORDS) -> list[str]:
    """The distinct words of what someone typed, lower-cased, in order, without the English
    stop words (unless there is nothing else)."""
    words: list[str] = []
    for word in WORD.findall((text or "").lower()):
        if word not in words:
            words.append(word)
    meaningful = [word for word in words if word not in ENGLISH_STOP_WORDS]
    return (meaningful or words)[:limit]


class SearchDocument(Func):
    """``helpdesk_search_document(COALESCE(a, '') || ' ' || COALESCE(b, ''))``: the words of
    the fields with their Hebrew forms, written exactly as the GIN indexes of migration
    tickets 0010 hold it, so that the planner uses them."""

    function = "helpdesk_search_document"
    template = "%(function)s(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = SearchVectorField()

    def __init__(self, *fields: str):
        super().__init__(*(Coalesce(F(field), Value("")) for field in fields))


def word_query(word: str) -> SearchQuery:
    """One typed word: any of its forms, each stemmed as English."""
    forms = word_forms(word)
    query = SearchQuery(forms[0], config=CONFIG)
    for form in forms[1:]:
        query |= SearchQuery(form, config=CONFIG)
    return query


def text_query(words: list[str], *, every_word: bool) -> SearchQuery | None:
    """The words as one tsquery: all of them (``every_word``) or any of them."""
    parts = [word_query(word) for word in words]
    if not parts:
        return None
    return reduce(and_ if every_word else or_, parts)


@cache
def _stemmer():
    return snowballstemmer.stemmer(CONFIG)


@lru_cache(maxsize=50_000)
def _keys(word: str) -> frozenset[str]:
    """What a word is matched by: its Hebrew forms, or its English stem."""
    if is_hebrew(word):
        return frozenset(word_forms(word))
    return frozenset([_stemmer().stemWord(word)])


def _matcher(words: list[str]):
    wanted = frozenset().union(*(_keys(w) for w in words))
    # A stem keeps its word's first letter: most words of a text are told apart without one.
    initials = {w[0] for w in words if not is_hebrew(w)}

    def matches(token: str) -> bool:
        token = token.lower()
        if not is_hebrew(token) and token[0] not in initials:
            return False
        return not wanted.isdisjoint(_keys(token))

    return matches


def marked_pieces(text: str, words: list[str]) -> list[tuple[str, bool]]:
    """``text`` cut into ``(piece, matched)`` pairs: the template marks the matched ones (no
    markup is made here, and every piece is escaped as it is printed)."""
    matches = _matcher(words)
    pieces: list[tuple[str, bool]] = []
    at = 0
    for found in WORD.finditer(text or ""):
        if matches(found.group()):
            if found.start() > at:
                pieces.append((text[at : found.start()], False))
            pieces.append((found.group(), True))
            at = found.end()
    if at < len(text or ""):
        pieces.append((text[at:], False))
    return pieces


def has_match(pieces: list[tuple[str, bool]]) -> bool:
    return any(matched for _, matched in pieces)


def snippet(text: str, words: list[str], width: int = SNIPPET_CHARS) -> list[tuple[str, bool]]:
    """About ``width`` characters of ``text`` around its first matched word, as marked pieces
    (with "…" where the text was cut); empty when no word matches."""
    text = " ".join((text or "").split())
    matches = _matcher(words)
    first = next((m for m in WORD.finditer(text) if matches(m.group())), None)
    if first is None:
        return []
    start = max(0, first.start() - width // 3)
    if start:
        # Start at a word's beginning, not in the middle of one.
        space = text.find(" ", start, first.start())
        start = space + 1 if space != -1 else first.start()
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", first.end(), end)
        end = space if space != -1 else max(end, first.end())
    pieces = marked_pieces(text[start:end], words)
    if start:
        pieces.insert(0, ("…", False))
    if end < len(text):
        pieces.append(("…", False))
    return _merged(pieces)


def _merged(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    merged: list[tuple[str, bool]] = []
    for piece in pieces:
        if merged and not piece[1] and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + piece[0], False)
        else:
            merged.append(piece)
    return merged
