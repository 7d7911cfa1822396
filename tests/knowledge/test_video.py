"""Video links become players built from a checked id; author HTML never reaches the page."""

import re

import pytest

from knowledge.rendering import parse_video, render_article_body

from .conftest import write


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://youtu.be/jNQXAC9IVRw", ("youtube", "jNQXAC9IVRw")),
        ("https://www.youtube.com/embed/jNQXAC9IVRw", ("youtube", "jNQXAC9IVRw")),
        ("https://vimeo.com/76979871", ("vimeo", "76979871")),
        ("https://player.vimeo.com/video/76979871", ("vimeo", "76979871")),
        ('https://www.youtube.com/watch?v=dQw4w9WgXcQ"onload="x', None),
        ("https://youtu.be/short", None),
        ("https://vimeo.com/76979871abc", None),
        ("javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ", None),
        ("https://evil.example/watch?v=dQw4w9WgXcQ", None),
    ],
)
def test_parse_video(url, expected):
    assert parse_video(url) == expected


def test_video_line_becomes_a_nocookie_player_and_other_links_stay_links():
    html = render_article_body(
        "Intro\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nhttps://example.com/docs\n"
    )
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert '<a href="https://example.com/docs"' in html
    assert html.count("<iframe") == 1


@pytest.mark.parametrize(
    "evil",
    [
        '<iframe src="https://evil.example"></iframe>',
        '<script>alert("x")</script>',
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        'https://www.youtube.com/watch?v=dQw4w9WgXcQ&x="><script>alert(1)</script>',
    ],
)
def test_author_html_never_reaches_the_page(evil):
    html = render_article_body(f"Hello\n\n{evil}\n")
    # Typed markup is text (shown escaped), never an element of the page.
    assert "<script" not in html
    assert not re.search(r"<iframe[^>]*evil\.example", html)
    assert not re.search(r"<[a-z]+[^>]*\sonerror", html)
    assert "javascript:" not in html


@pytest.mark.django_db
def test_article_page_embeds_vimeo_with_do_not_track(client, acme, sam, bob):
    article = write(
        acme,
        "Video guide",
        "customers",
        by=sam.user,
        body='Watch:\n\nhttps://vimeo.com/76979871\n\n<iframe src="https://evil.example/">',
    )
    client.force_login(bob.user)
    page = client.get(f"/t/acme/kb/{article.slug}/").content.decode()
    assert 'src="https://player.vimeo.com/video/76979871?dnt=1"' in page
    assert not re.search(r"<iframe[^>]*evil\.example", page)
    assert page.count("<iframe") == 1
