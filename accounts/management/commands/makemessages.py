"""``makemessages`` that also reads our Jinja2 templates into the same catalogue.

Django's extractor reads templates in its own syntax. Before it reads one of ours, each Jinja2
tag is replaced by what Django would extract the same message from: ``{% trans %}`` blocks by
``{% blocktranslate %}`` blocks (same msgid, ``%(name)s`` for ``{{ name }}``), and every
``_("...")`` or ``pgettext("...", "...")`` inside an expression by a ``{% translate %}`` tag.
Text and line numbers stay as they are, so the catalogue's references point at real lines.
"""

from __future__ import annotations

import re

from django.core.management.commands import makemessages
from django.utils.translation import template

_TAG = re.compile(r"\{\{.*?\}\}|\{%-?\s*(.*?)\s*-?%\}", re.S)
_STRING = r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
_GETTEXT = re.compile(r"\b_\(\s*" + _STRING + r"\s*[,)]")
_PLURAL_BLOCK = re.compile(
    r"(\{% blocktranslate(?: trimmed)? %\})"
    r"((?:(?!\{% endblocktranslate %\}).)*?\{% plural %\})",
    re.S,
)
_PGETTEXT = re.compile(r"\bpgettext\(\s*" + _STRING + r"\s*,\s*" + _STRING)


def _messages(expression: str) -> str:
    found = [f"{{% translate {m.group(1)} %}}" for m in _GETTEXT.finditer(expression)]
    found += [
        f"{{% translate {m.group(2)} context {m.group(1)} %}}"
        for m in _PGETTEXT.finditer(expression)
    ]
    return "".join(found)


def _as_django(src: str) -> str:
    inside_trans = False

    def replace(match: re.Match) -> str:
        nonlocal inside_trans
        whole, statement = match.group(0), match.group(1)
        newlines = "\n" * whole.count("\n")
        if statement is None:  # {{ expression }}: a placeholder inside a trans block
            return whole if inside_trans else _messages(whole) + newlines
        name, _, rest = statement.partition(" ")
        if name == "trans":
            inside_trans = True
            trimmed = " trimmed" if rest.startswith("trimmed") else ""
            return f"{{% blocktranslate{trimmed} %}}{newlines}"
        if name == "pluralize":
            return f"{{% plural %}}{newlines}"
        if name == "endtrans":
            inside_trans = False
            return f"{{% endblocktranslate %}}{newlines}"
        return _messages(statement) + newlines

    return _TAG.sub(replace, src)


def _plural_counts(source: str) -> str:
    """``{% blocktranslate %}…{% plural %}`` needs ``count`` on its opening tag."""

    def counted(block: re.Match) -> str:
        head, body = block.group(1), block.group(2)
        return head.replace("blocktranslate", "blocktranslate count counter=1", 1) + body

    return _PLURAL_BLOCK.sub(counted, source)


def jinja_templatize(src, origin=None):
    return django_templatize(_plural_counts(_as_django(src)), origin=origin)


django_templatize = template.templatize


class Command(makemessages.Command):
    def handle(self, *args, **options):
        makemessages.templatize = jinja_templatize
        try:
            return super().handle(*args, **options)
        finally:
            makemessages.templatize = django_templatize
