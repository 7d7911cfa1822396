"""People fixtures: sign-up throttles start empty for every test, and a few URL helpers."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_sign_up_throttles():
    # Test clients all come from 127.0.0.1; each test starts with an unused allowance (the
    # API's throttles get a fresh namespace from tests/conftest.py).
    keys = ["register-page:ip:127.0.0.1"]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


def api_url(path: str, slug: str = "acme") -> str:
    return f"/api/v1/t/{slug}/{path}"


def page_url(path: str, slug: str = "acme") -> str:
    return f"/t/{slug}/{path}"
