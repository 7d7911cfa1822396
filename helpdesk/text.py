"""User-written text on pages: stored as written, rendered as sanitized Markdown."""

import html
import threading

import markdown as md
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
}


_converters = threading.local()


def _converter() -> md.Markdown:
    """One Markdown converter per thread, reset before each text as Markdown's docs advise:
    building one (its extensions, patterns and processors) cost more than most conversions."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = md.Markdown(
            extensions=["extra", "sane_lists"], output_format="html"
        )
    return converter


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML with every script, handler and unknown tag removed."""
    html = _converter().reset().convert(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 (sanitized by nh3 just above)


def plain_excerpt(text: str, chars: int = 160) -> str:
    """Markdown as a line of plain words (for previews): no markup, no doubled spaces."""
    plain = " ".join(html.unescape(strip_tags(render_markdown(text))).split())
    return Truncator(plain).chars(chars)
