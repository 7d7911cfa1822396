"""Versioned cache entries: served while nothing changed, never after a change or its commit."""

import itertools

import pytest

from core import versions

pytestmark = pytest.mark.django_db


def test_an_entry_is_kept_until_its_version_is_bumped(django_capture_on_commit_callbacks):
    calls = itertools.count(1)
    name, key = "test:things:1", "test:thing:1"
    assert versions.cached(name, key, lambda: next(calls)) == 1
    assert versions.cached(name, key, lambda: next(calls)) == 1  # kept
    assert versions.cached("test:things:2", "test:thing:2", lambda: next(calls)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        versions.bump(name)
        # Made after the change but before its commit (another process could read the rows
        # as they were): kept under a version the commit replaces.
        assert versions.cached(name, key, lambda: next(calls)) == 3
        assert versions.cached(name, key, lambda: next(calls)) == 3
    assert versions.cached(name, key, lambda: next(calls)) == 4  # the commit bumped again
    assert versions.cached("test:things:2", "test:thing:2", lambda: next(calls)) == 2


def test_none_is_an_answer_too():
    calls = []
    for _ in range(2):
        assert versions.cached("test:none", "test:none:1", lambda: calls.append(1)) is None
    assert calls == [1]
