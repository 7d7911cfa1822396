"""Test settings: the real ones, with a fast hasher and a dummy secret.

Tests run against PostgreSQL and Redis (DATABASE_URL / REDIS_URL, set by `make test`).
Celery runs tasks eagerly here, except in tests marked ``celery_worker``, which start a
real worker on the Redis broker.
"""

import os
import uuid

os.environ.setdefault("SECRET_KEY", "test-secret-not-for-production")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")

from helpdesk.settings import *  # noqa: E402, F403
from helpdesk.settings import REDIS_URL  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Each test run uses its own cache keys, so throttles never leak between runs, and the run
# deletes exactly these at its end (tests/conftest.py): the Redis database may be shared.
CACHE_KEY_PREFIX = f"test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
CACHES = {
    "default": {
        "BACKEND": "core.cache.KeptClientRedisCache"  # the production backend
        if REDIS_URL
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
    }
}
# Static files come from the app folders (no collectstatic in tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
IMAP_ALLOW_PRIVATE_HOSTS = True  # the tests' dovecot listens on 127.0.0.1
