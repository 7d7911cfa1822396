"""Path converters: ``<id:...>``, a primary key as a URL may carry it, and ``<uslug:...>``, a
slug in letters of any script.

Django's ``int`` converter takes any run of digits, and a number past a bigint then fails in
the database (SQLite raises OverflowError: a 500) instead of finding nothing. Eighteen digits
stay below 2**63, so a longer number is simply no route: the 404 every unknown id gets.
"""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")


class UnicodeSlugConverter:
    """Django's ``slug`` takes ASCII only, so a Hebrew article's address would be no route;
    this takes what ``slugify(..., allow_unicode=True)`` makes (and every ASCII slug)."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(UnicodeSlugConverter, "uslug")
