"""Readable text from a sanitized HTML body, for mail that sends no text part.

nh3 has already taken out scripts, styles and anything unsafe; what is left is read with the
stdlib's HTMLParser, keeping the breaks a reader sees (paragraphs, line breaks, list items,
table rows) and the targets of links, which a text reader cannot click otherwise.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {
    "p", "div", "br", "tr", "li", "ul", "ol", "table", "blockquote", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
_SKIPPED = {"head", "title", "style", "script"}


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0
        self.href: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.out.append("\n")
            if tag == "li":
                self.out.append("- ")
        elif tag == "a":
            self.href.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in _BLOCKS:
            self.out.append("\n")
        elif tag == "a" and self.href:
            href = self.href.pop()
            if href.startswith(("http://", "https://", "mailto:")):
                self.out.append(f" ({href.removeprefix('mailto:')})")

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(re.sub(r"\s+", " ", data))


def readable_text(html: str) -> str:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    lines = [line.strip() for line in "".join(reader.out).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
