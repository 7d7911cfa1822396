"""The API's JSON parser: a body is one JSON object, and no text in it holds a NUL.

Every endpoint reads its input as named fields, so a list or a bare string is a client's
mistake (400), not a TypeError deep in a view; PostgreSQL refuses NUL in text, so it is
refused here, before anything is written.
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def holds_nul(value) -> bool:
    """Whether a NUL is in any text (key or value) of parsed JSON."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_nul(item) for item in value)
    return False


class JSONObjectParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError(_("Send a JSON object: the fields by name."))
        if holds_nul(data):
            raise ParseError(_("Text may not contain NUL characters."))
        return data
