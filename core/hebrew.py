"""Hebrew words with and without their one-letter prefixes.

Hebrew writes "the", "and", "in", "to", "from", "that" and "as" as a letter glued to the next
word (ה ו ב ל מ ש כ): המדפסת is "the printer", במשרד "in the office". PostgreSQL's parsers
keep such a word whole, so a search for מדפסת would miss המדפסת. A word's *forms* are the word
and the word without one or two leading prefix letters (והמדפסת: המדפסת, מדפסת), as long as
two letters are left. Search documents hold the forms of their words and a query word matches
any of its own forms, so a word is found with or without its prefixes, whichever side has them.

The SQL function ``helpdesk_search_document`` (migration tickets 0010) computes the same forms
in the database; ``word_forms`` is its Python twin, for queries and highlighting.
"""

from __future__ import annotations

import re

PREFIX_LETTERS = frozenset("והבלמשכ")
# The Hebrew letters, final forms included (א to ת).
HEBREW_WORD = re.compile(r"^[\u05d0-\u05ea]+$")


def is_hebrew(word: str) -> bool:
    return bool(HEBREW_WORD.match(word))


def word_forms(word: str) -> list[str]:
    """The word, then the word without one and two leading prefix letters (Hebrew only).

    The rule of helpdesk_search_document: a form drops a prefix letter only while at least
    two Hebrew letters follow it.
    """
    if not is_hebrew(word):
        return [word]
    return [word] + [
        word[cut:]
        for cut in (1, 2)
        if len(word) - cut >= 2 and all(letter in PREFIX_LETTERS for letter in word[:cut])
    ]
