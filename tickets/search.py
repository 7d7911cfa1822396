"""Finding tickets: by number, requester, organization and the words of their conversation.

``search_tickets`` is TicketQuerySet.search: a ticket matches when the typed text is its
number (``147``, ``#147``), is part of its requester's name or e-mail or of its organization's
name, or when every typed word is in its subject, description or a comment the member may read
(Comment.objects.visible_to: internal notes never match for a customer), in English and Hebrew
(core.search). On PostgreSQL every arm is an index scan and the arms are one UNION, which the
list filters with ``pk IN``: an OR of them would scan every ticket of the tenant. On SQLite
(the demo) the words are matched with icontains over their forms.

``with_snippets`` shows where the words matched on one page of rows: the subject cut into
marked pieces and a snippet of the description or of the first matching comment, read for the
whole page in one query.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import and_, or_

from django.conf import settings
from django.db.models import Q, Value

from accounts.models import Membership, Organization
from core.hebrew import word_forms
from core.search import (
    SearchDocument,
    has_match,
    marked_pieces,
    query_words,
    snippet,
    text_query,
    word_query,
)

from .models import Comment, Ticket

NUMBER = re.compile(r"#?(\d{1,9})")
# Shorter text would match most names and addresses.
MIN_NAME_CHARS = 3
# A text that names more people or companies than this is a word, not a name.
MAX_NAMED = 50


def _number(text: str) -> int | None:
    found = NUMBER.fullmatch(text)
    return int(found.group(1)) if found else None


def _by_people_and_number(text: str, member: Membership):
    """The tickets of the typed number and of the requesters and organizations it names."""
    tickets = Ticket.objects.for_tenant(member.tenant).order_by()
    number = _number(text)
    if number is not None:
        return [tickets.filter(number=number).values("pk")]
    if len(text) < MIN_NAME_CHARS:  # a number names nobody, nor do two letters
        return []
    # Read first, in one query, so that the list's plan sees how few they are (as literal ids;
    # a subquery's guessed thousands turned a name search into a scan of every visible ticket).
    people = (
        Membership.objects.for_tenant(member.tenant)
        .filter(Q(user__name__icontains=text) | Q(user__email__icontains=text))
        .order_by()
        .values_list("user_id", Value("person"))
    )
    companies = (
        Organization.objects.for_tenant(member.tenant)
        .filter(name__icontains=text)
        .order_by()
        .values_list("pk", Value("company"))
    )
    found: dict[str, list[int]] = {"person": [], "company": []}
    for pk, kind in people.union(companies):
        found[kind].append(pk)
    arms = []
    if 0 < len(found["person"]) <= MAX_NAMED:
        arms.append(tickets.filter(requester_id__in=found["person"]).values("pk"))
    if 0 < len(found["company"]) <= MAX_NAMED:
        arms.append(tickets.filter(organization_id__in=found["company"]).values("pk"))
    return arms


def _contains_any(field: str, word: str) -> Q:
    return reduce(or_, (Q(**{f"{field}__icontains": form}) for form in word_forms(word)))


def _with_word(word: str, comments):
    """The ids of the tickets with ``word`` in their subject or description or a comment."""
    query = word_query(word)
    in_tickets = (
        Ticket.objects.annotate(_document=SearchDocument("subject", "description"))
        .filter(_document=query)
        .order_by()
        .values("pk")
    )
    in_comments = (
        comments.annotate(_document=SearchDocument("body"))
        .filter(_document=query)
        .values("ticket_id")
    )
    return in_tickets.union(in_comments)


def search_tickets(tickets, text: str, *, member: Membership):
    text = " ".join((text or "").split())
    if not text:
        return tickets
    # "#147" is a number and nothing else; "147" may also be a word of the conversation.
    words = [] if text.startswith("#") and _number(text) is not None else query_words(text)
    comments = Comment.objects.visible_to(member).order_by()
    arms = _by_people_and_number(text, member)
    if settings.IS_POSTGRES:
        if words:
            # Each word in the ticket's own text or in one of its comments, every word somewhere.
            arms.append(
                reduce(lambda a, b: a.intersection(b), (_with_word(w, comments) for w in words))
            )
        if not arms:
            return tickets.none()
        return tickets.filter(pk__in=arms[0].union(*arms[1:]) if len(arms) > 1 else arms[0])
    # SQLite: every word in the subject, the description or a comment the member may read.
    found = Q()
    if words:
        found = reduce(
            and_,
            (
                _contains_any("subject", word)
                | _contains_any("description", word)
                | Q(pk__in=comments.filter(_contains_any("body", word)).values("ticket_id"))
                for word in words
            ),
        )
    for arm in arms:
        found |= Q(pk__in=arm)
    return tickets.filter(found) if words or arms else tickets.none()


def _matching_comments(comments, words: list[str]):
    if settings.IS_POSTGRES:
        query = text_query(words, every_word=False)
        return comments.annotate(_document=SearchDocument("body")).filter(_document=query)
    return comments.filter(reduce(or_, (_contains_any("body", word) for word in words)))


def with_snippets(rows: list[dict], text: str, *, member: Membership) -> list[dict]:
    """Each row's ``subject_pieces`` (the subject as marked pieces, or None where no word of
    ``text`` is in it) and ``snippet`` (marked pieces of the description or of the first
    comment the member may read where a word is; empty where none is)."""
    words = query_words(text)
    for row in rows:
        row["subject_pieces"], row["snippet"] = None, []
    if not rows or not words:
        return rows
    ids = [row["id"] for row in rows]
    descriptions = (
        Ticket.objects.filter(pk__in=ids).order_by().values_list("pk", "description", Value(0))
    )
    comments = _matching_comments(
        Comment.objects.visible_to(member).filter(ticket_id__in=ids).order_by(), words
    ).values_list("ticket_id", "body", "pk")
    texts: dict[int, list[tuple[int, str]]] = {}
    for ticket_id, body, order in descriptions.union(comments, all=True):
        texts.setdefault(ticket_id, []).append((order, body))
    for row in rows:
        pieces = marked_pieces(row["subject"], words)
        row["subject_pieces"] = pieces if has_match(pieces) else None
        for _, body in sorted(texts.get(row["id"], [])):
            row["snippet"] = snippet(body, words)
            if row["snippet"]:
                break
    return rows
