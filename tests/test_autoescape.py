"""Whatever people type reaches every page escaped.

The demo is seeded, then every text its people could have typed (names, subjects, bodies,
titles, notes, tags, queue and role names...) gets a hostile tail. The pages are then crawled
from the front door as an admin, an agent and a customer, following the helpdesk's own links:
no page may carry the tail as markup, and the pages that show typed text show it escaped.
"""

import re
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat

from accounts.models import User

HOSTILE = "\"'><x-hostile a=1>&"
MARKUP = "<x-hostile"
ESCAPED = "&lt;x-hostile a=1&gt;"
APPS = ("accounts", "tickets", "knowledge", "metrics")
# Text that is not typed by people, or that must stay as it is for the demo to work.
KEPT = {"email", "slug", "password", "key", "prefix", "digest", "token_hash", "time_zone"}
MAX_PAGES = 140


def _typed_fields(model):
    for field in model._meta.concrete_fields:
        if not isinstance(field, (models.CharField, models.TextField)):
            continue
        if field.choices or field.name in KEPT or isinstance(field, models.EmailField):
            continue
        if field.max_length is not None and field.max_length < 40:
            continue
        yield field


def make_everything_hostile() -> int:
    changed = 0
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for field in _typed_fields(model):
                query = model._base_manager.exclude(**{field.name: ""})
                if field.null:
                    query = query.exclude(**{f"{field.name}__isnull": True})
                changed += query.update(**{field.name: Concat(field.name, Value(HOSTILE))})
    return changed


def crawl(client, start: str) -> dict[str, str]:
    """Pages reachable from ``start`` by the helpdesk's own links (GET only), by path."""
    seen, queue, pages = set(), [start], {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        pages[url] = body
        for href in re.findall(r'href="([^"]+)"', body):
            link = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith("/t/demo/"):
                continue
            if any(word in parts.path for word in ("/export", "/attachments/", "/logout")):
                continue
            queue.append(link)
    return pages


@pytest.fixture
def hostile_demo(db):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert make_everything_hostile() > 100


@pytest.mark.parametrize(
    "email", ["admin@demo.example", "agent@demo.example", "customer@demo.example"]
)
def test_typed_text_is_escaped_on_every_page(client, hostile_demo, email):
    client.force_login(User.objects.get(email=email))
    pages = crawl(client, "/t/demo/")
    assert len(pages) > 15, sorted(pages)
    unescaped = [url for url, body in pages.items() if MARKUP in body]
    assert unescaped == [], unescaped
    showing = [url for url, body in pages.items() if ESCAPED in body]
    assert len(showing) > len(pages) // 2, sorted(set(pages) - set(showing))
