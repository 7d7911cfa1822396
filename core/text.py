"""User-written text on pages: stored as written, rendered as sanitized Markdown."""

import html
import threading
from urllib.parse import urlsplit
from xml.etree import ElementTree

import markdown as md
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

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


def is_remote(url: str) -> bool:
    """An address on another server (or any absolute one): only this server's images load."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return True
    return bool(parts.scheme or parts.netloc)


class _RemoteImagesAsLinks(Treeprocessor):
    """![x](https://elsewhere/p.gif) becomes a link to it: reading the text never tells
    another server who read it, and when (the page's img-src allows only this server)."""

    def run(self, root):
        for parent in root.iter():
            for index, child in enumerate(parent):
                if child.tag == "img" and is_remote(child.get("src", "")):
                    link = ElementTree.Element("a", {"href": child.get("src", "")})
                    link.text = child.get("alt") or child.get("src", "")
                    link.tail = child.tail
                    parent[index] = link


class _LocalImagesOnly(Extension):
    def extendMarkdown(self, md_instance):  # noqa: N802 (Markdown's API)
        md_instance.treeprocessors.register(_RemoteImagesAsLinks(md_instance), "remote_images", 0)


class _HtmlAsText(Extension):
    """Markup typed by a person is text: "<my order id>", "press <Enter>" or a pasted "<b>"
    read as written (escaped), instead of being taken as HTML and stripped by the sanitizer."""

    def extendMarkdown(self, md_instance):  # noqa: N802 (Markdown's API)
        md_instance.preprocessors.deregister("html_block")
        md_instance.inlinePatterns.deregister("html")


def _drop_remote_src(tag: str, attribute: str, value: str):
    # A second guard: raw HTML is text (_HtmlAsText), but an <img> that reached the HTML by
    # another way would escape the tree above; it loses a remote source here.
    if tag == "img" and attribute == "src" and is_remote(value):
        return None
    return value


def _converter() -> md.Markdown:
    """One Markdown converter per thread, reset before each text as Markdown's docs advise:
    building one (its extensions, patterns and processors) cost more than most conversions."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = md.Markdown(
            extensions=["extra", "sane_lists", _LocalImagesOnly(), _HtmlAsText()],
            output_format="html",
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
        attribute_filter=_drop_remote_src,
    )
    return mark_safe(clean)  # noqa: S308 (sanitized by nh3 just above)


def plain_excerpt(text: str, chars: int = 160) -> str:
    """Markdown as a line of plain words (for previews): no markup, no doubled spaces."""
    plain = " ".join(html.unescape(strip_tags(render_markdown(text))).split())
    return Truncator(plain).chars(chars)


def bidi_isolate(value) -> str:
    """Text people typed, set in its own direction where no element can hold it (a page's
    <title>, a phrase of our wording): Unicode's first-strong isolate around it, the <bdi> of
    plain text, so that "#136 How do I…?" keeps its order inside Hebrew."""
    if value is None or value == "":
        return ""
    return f"\u2068{value}\u2069"
