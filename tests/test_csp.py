"""Every page carries a Content-Security-Policy; markup keeps to it; the API docs stay local."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.factories import make_ticket
from tickets.services import add_comment

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_every_kind_of_page_has_the_policy(client, ada, bob, billing, acme_ticket):
    pages = {
        bob: ["/t/acme/portal/", f"/t/acme/tickets/{acme_ticket.number}/", "/t/acme/kb/"],
        ada: [
            "/t/acme/workspace/",
            f"/t/acme/tickets/{acme_ticket.number}/",
            "/t/acme/metrics/",
            "/t/acme/kb/",
            "/t/acme/ideas/",
        ],
    }
    for member, urls in pages.items():
        client.force_login(member.user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            found = policy(response)
            assert found["script-src"] == ["'self'"], url
            assert found["style-src"] == ["'self'"], url
            assert found["img-src"] == ["'self'", "data:"], url
            assert found["object-src"] == ["'none'"], url
            assert found["frame-ancestors"] == ["'none'"], url
    client.logout()
    assert policy(client.get("/accounts/login/"))["default-src"] == ["'self'"]


def test_templates_hold_no_inline_script_handler_or_style():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    style = re.compile(r"<style|\sstyle\s*=", re.I)
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        assert not inline_script.search(text), path
        assert not handler.search(text), path
        # An e-mail's HTML part is read by mail clients, which drop linked style sheets and are
        # served under no policy of ours: its styles are inline by necessity.
        if "email" not in path.relative_to(TEMPLATES).parts:
            assert not style.search(text), path


def test_remote_image_in_a_customers_comment_is_a_link_on_the_agents_page(
    client, alice, bob, billing, acme
):
    ticket = make_ticket(
        acme, bob.user, billing, description="Look ![shot](https://tracker.example/d.gif)"
    )
    add_comment(
        ticket=ticket,
        author=bob.user,
        body='Again ![x](https://tracker.example/p.gif) <img src="https://tracker.example/q.gif">',
    )
    client.force_login(alice.user)
    response = client.get(f"/t/acme/tickets/{ticket.number}/")
    page = response.content.decode()
    assert 'href="https://tracker.example/p.gif"' in page
    assert not re.search(r"<img[^>]*tracker\.example", page)
    assert "data:" in policy(response)["img-src"]  # and the browser would refuse it anyway
    assert "https://tracker.example" not in " ".join(policy(response)["img-src"])


def test_local_images_stay_images():
    from core.text import render_markdown

    html = render_markdown("![chart](/static/chart.png) ![far](http://elsewhere.example/x.png)")
    assert '<img alt="chart" src="/static/chart.png">' in html
    assert '<a href="http://elsewhere.example/x.png"' in html and "far</a>" in html


def _other_hosts(text: str) -> set[str]:
    """Hosts of URLs a page or stylesheet would load (src, href, url(), @import)."""
    loads = re.findall(
        r"""(?:src|href)\s*=\s*["']((?:https?:)?//[^"']+)|url\(\s*["']?((?:https?:)?//[^)"']+)"""
        r"""|@import\s+["']((?:https?:)?//[^"']+)""",
        text,
    )
    return {next(u for u in match if u) for match in loads}


def test_api_docs_load_nothing_from_another_server(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert _other_hosts(page) == set()
    assert "fonts.googleapis" not in page and "fonts.gstatic" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    referenced = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert len(referenced) >= 3  # Redoc, its starter, its stylesheet
    for url in referenced:
        path = finders.find(url.removeprefix(settings.STATIC_URL))
        assert path, url
        text = Path(path).read_text(errors="replace")
        if url.endswith(".css"):
            assert _other_hosts(text) == set(), url
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, url
    found = policy(response)
    assert found["font-src"] == ["'self'"]
    assert found["img-src"] == ["'self'", "data:"]
    assert found["script-src"] == ["'self'"]
    assert found["connect-src"] == ["'self'"]
