"""Article bodies: sanitized Markdown, with YouTube and Vimeo links turned into players.

The player markup is built here from a video id parsed out of the URL and checked against a
strict pattern; nothing the author wrote is ever put into the page as HTML.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.text import render_markdown

URL_LINE = re.compile(r"^\s*<?(https?://[^\s<>]+?)>?\s*$")
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^\d{1,12}$")
YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


def parse_video(url: str) -> tuple[str, str] | None:
    """("youtube" | "vimeo", id) for a video link, or None for any other URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    video_id = None
    if host == "youtu.be" and segments:
        video_id = segments[0]
    elif host in YOUTUBE_HOSTS:
        if segments[:1] == ["watch"]:
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(segments) >= 2 and segments[0] in ("embed", "shorts", "live", "v"):
            video_id = segments[1]
    if video_id is not None:
        return ("youtube", video_id) if YOUTUBE_ID.match(video_id) else None
    if host in VIMEO_HOSTS and segments and VIMEO_ID.match(segments[-1]):
        return ("vimeo", segments[-1])
    return None


def video_player(kind: str, video_id: str) -> SafeString:
    """A privacy-friendly embed (no tracking cookies until played) for a checked id."""
    if kind == "youtube" and YOUTUBE_ID.match(video_id):
        src = f"https://www.youtube-nocookie.com/embed/{video_id}"
        link = f"https://www.youtube.com/watch?v={video_id}"
        title, link_text = _("YouTube video"), _("Watch on YouTube")
    elif kind == "vimeo" and VIMEO_ID.match(video_id):
        src = f"https://player.vimeo.com/video/{video_id}?dnt=1"
        link = f"https://vimeo.com/{video_id}"
        title, link_text = _("Vimeo video"), _("Watch on Vimeo")
    else:
        return mark_safe("")  # noqa: S308 (empty)
    return format_html(
        '<div class="kb-video"><iframe src="{}" title="{}" loading="lazy" '
        'referrerpolicy="strict-origin-when-cross-origin" '
        'sandbox="allow-scripts allow-same-origin allow-presentation allow-popups" '
        'allow="fullscreen; picture-in-picture" allowfullscreen></iframe></div>'
        '<p class="kb-video__link"><a href="{}" rel="noopener noreferrer nofollow">{}</a></p>',
        src,
        title,
        link,
        link_text,
    )


def render_article_body(text: str) -> SafeString:
    """Markdown (sanitized by core.text) with video links on their own line as players."""
    chunks: list[SafeString] = []
    pending: list[str] = []
    in_code = False
    for line in (text or "").splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        match = None if in_code else URL_LINE.match(line)
        video = parse_video(match.group(1)) if match else None
        if video is None:
            # A bare URL of anything else becomes an ordinary (sanitized) link.
            pending.append(f"<{match.group(1)}>" if match else line)
            continue
        chunks.append(render_markdown("\n".join(pending)))
        pending = []
        chunks.append(video_player(*video))
    chunks.append(render_markdown("\n".join(pending)))
    return mark_safe("".join(chunks))  # noqa: S308 (every part is sanitized or built here)
