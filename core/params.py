"""Whole numbers from query strings, forms and JSON: read in one place, within the columns' range.

``str.isdigit()`` is true for "²" and "٣", which ``int()`` then refuses or reads as another
number, and a number past PostgreSQL's bigint fails in SQL (an OFFSET, an INSERT): both were
500s. Everything that takes an id, a page or a position from a client reads it here.
"""

MAX_ID = 2**63 - 1  # bigint: primary keys, and any OFFSET
MAX_INTEGER = 2**31 - 1  # integer columns: positions, counts


def whole_number(value, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """``value`` (text of ASCII digits, or an int) within [low, high], else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if low <= value <= high else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > len(str(MAX_ID)) or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if low <= number <= high else None


def object_id(value) -> int | None:
    """A primary key as a client may give it, or None."""
    return whole_number(value, low=1)


def page_number(value, *, size: int) -> int | None:
    """A page number from 1 whose rows still lie within a bigint OFFSET, or None."""
    return whole_number(value, low=1, high=MAX_ID // max(size, 1))
