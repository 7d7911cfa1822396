"""Settings for the helpdesk: one file, varied only by environment variables (see .env.example)."""

import tempfile
from pathlib import Path

import django.forms
import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# A missing secret must stop a production boot; only DEBUG gets a throwaway one.
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates for the admin (FORM_RENDERER)
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Redoc/Swagger assets served locally, no CDN
    "guardian",
    # Two-factor sign-in (accounts/two_factor.py): authenticator apps and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "outbox",
    "accounts",
    "tickets",
    "people",
    "metrics",
    "knowledge",
    "mailroom",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): a second factor given
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.TenantMiddleware",
    "core.middleware.RefuseNulMiddleware",  # last: its 400 page has the request's user
]

# The benchmark counts SQL per request (X-Queries header); never on unless asked for.
if env.bool("BENCH_QUERY_HEADER", default=False):
    MIDDLEWARE.insert(0, "core.bench.QueryCountMiddleware")

ROOT_URLCONF = "helpdesk.urls"
WSGI_APPLICATION = "helpdesk.wsgi.application"
# Form widgets render through TEMPLATES: Django's Jinja2 widget templates for our pages; the
# admin's own widgets fall through to Django's engine.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.template.context_processors.i18n",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
]
# Pages and e-mails are Jinja2 (helpdesk/templating.py); Django's engine serves only the admin
# and DRF's browsable API, which find no template of theirs in templates/.
TEMPLATES = [
    {
        "BACKEND": "helpdesk.templating.Jinja2",
        "DIRS": [BASE_DIR / "templates", Path(django.forms.__file__).parent / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "helpdesk.templating.environment",
            "context_processors": [
                *CONTEXT_PROCESSORS,
                "accounts.context_processors.tenancy",
                "notifications.context_processors.unread",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": CONTEXT_PROCESSORS},
    },
]

# Unset DATABASE_URL: an SQLite file, so a newcomer needs nothing installed.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Failed sign-ins (accounts.signin, every way in): LOGIN_FAILURE_LIMIT per e-mail *and* client
# address pair in LOGIN_FAILURE_WINDOW seconds locks that pair only; past
# LOGIN_ACCOUNT_SLOWDOWN_AFTER failures of one account (from anywhere), or
# LOGIN_ADDRESS_SLOWDOWN_AFTER from one address (on any accounts), pairs that never signed in
# get one try per LOGIN_SLOWDOWN_SECONDS.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_WINDOW = env.int("LOGIN_FAILURE_WINDOW", default=900)
LOGIN_ACCOUNT_SLOWDOWN_AFTER = env.int("LOGIN_ACCOUNT_SLOWDOWN_AFTER", default=10)
LOGIN_ADDRESS_SLOWDOWN_AFTER = env.int("LOGIN_ADDRESS_SLOWDOWN_AFTER", default=50)
LOGIN_SLOWDOWN_SECONDS = env.int("LOGIN_SLOWDOWN_SECONDS", default=30)
# Two-factor sign-in: codes are limited by accounts.signin as passwords are (per e-mail and
# address pair, slowed per account); django-otp's own per-device throttle would let anyone lock
# an account for everyone, so it is off.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Helpdesk")  # the name authenticator apps show
# How long the second step of a sign-in waits for its code after the password was right.
TWO_FACTOR_STEP_SECONDS = env.int("TWO_FACTOR_STEP_SECONDS", default=300)
# Password-reset mails: per e-mail address, and requests per client address.
PASSWORD_RESET_RATE = env("PASSWORD_RESET_RATE", default="3/hour")
PASSWORD_RESET_CLIENT_RATE = env("PASSWORD_RESET_CLIENT_RATE", default="10/hour")
# Proxies (addresses or CIDRs) whose X-Forwarded-For is believed: see core/client.py.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# API tokens: lifetime when the caller names none, and the longest one may ask for.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)

REDIS_URL = env("REDIS_URL", default="")
# Short socket timeouts: a hung Redis must not hold a web request for long (cache and broker).
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=1.0)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.KeptClientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions are read from the cache when it is shared (Redis), written to both: one query less
# per request. A per-process cache would keep a session another process ended, so without
# Redis they stay in the database alone.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# Celery: with no REDIS_URL tasks run in-process, so the demo needs no broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Crash safety (docs/architecture.md, "Delivery guarantees"): a task is acknowledged only once
# it has run, and a pool process killed mid-task gives its task back to the queue at once.
CELERY_TASK_ACKS_LATE = True  # tasks are idempotent, so redelivery after a crash is safe
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a dying worker holds at most one task beyond its own
CELERY_TASK_IGNORE_RESULT = True
# Redis redelivers a task nobody acknowledged within the visibility timeout (a whole worker
# lost). It must outlast our longest task (the nightly metrics rebuild, a few minutes) plus the
# longest retry countdown (retry_backoff caps at 600 s), or a slow task would run twice at once.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=900)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Reads wait longer than the worker's 1 s BRPOP, or an idle worker's read would time out.
    "socket_timeout": max(REDIS_SOCKET_TIMEOUT, 5.0),
    "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
# Outbox (outbox/services.py): seconds the relay leaves a new row to the hand-off at commit.
OUTBOX_HANDOFF_GRACE_SECONDS = env.int("OUTBOX_HANDOFF_GRACE_SECONDS", default=10)
# Supervisors are told of an open ticket no staff member has answered after this many hours
# (0: never); service levels tell them of targets missed.
NOTIFY_WAITING_HOURS = env.int("NOTIFY_WAITING_HOURS", default=24)
# Support addresses read by IMAP (mailroom/imap.py). Their passwords are encrypted under keys
# derived from this secret (default SECRET_KEY; comma-separated, the first encrypts and each
# decrypts, to rotate it); the server's certificate is verified against the system's
# authorities, or those of IMAP_CA_FILE; fetched messages go to IMAP_PROCESSED_FOLDER (made
# where missing), or with it empty stay where they are, flagged.
MAILBOX_ENCRYPTION_KEY = env("MAILBOX_ENCRYPTION_KEY", default=SECRET_KEY)
IMAP_CA_FILE = env("IMAP_CA_FILE", default="")
# Single sign-on (accounts/sso.py): identity providers' client secrets are encrypted under keys
# derived from this secret (default SECRET_KEY; comma-separated to rotate, as above). Issuers
# must be https unless SSO_ALLOW_HTTP_ISSUERS (a provider on loopback in tests). A provider's
# discovery document and keys are cached SSO_DISCOVERY_CACHE_SECONDS; its answers wait at most
# SSO_TIMEOUT seconds.
SSO_ENCRYPTION_KEY = env("SSO_ENCRYPTION_KEY", default=SECRET_KEY)
SSO_ALLOW_HTTP_ISSUERS = env.bool("SSO_ALLOW_HTTP_ISSUERS", default=False)
SSO_DISCOVERY_CACHE_SECONDS = env.int("SSO_DISCOVERY_CACHE_SECONDS", default=3600)
SSO_TIMEOUT = env.float("SSO_TIMEOUT", default=10.0)
IMAP_TIMEOUT = env.float("IMAP_TIMEOUT", default=30.0)
IMAP_PROCESSED_FOLDER = env("IMAP_PROCESSED_FOLDER", default="Processed")
# Off: IMAP servers on loopback, private, link-local and other internal addresses are refused
# (a tenant admin must not reach the operator's own network); on for a server of one's own.
IMAP_ALLOW_PRIVATE_HOSTS = env.bool("IMAP_ALLOW_PRIVATE_HOSTS", default=False)
CELERY_BEAT_SCHEDULE = {
    # Side effects the broker refused at commit (Redis down) are handed over once it is back;
    # a relay run that waited longer than its period is dropped, the next one does its work.
    "outbox-relay": {
        "task": "outbox.tasks.relay_outbox_task",
        "schedule": 5.0,
        "options": {"expires": 5},
    },
    # Sign-ups whose confirmation links can no longer work are forgotten.
    "accounts-forget-stale-sign-ups": {
        "task": "accounts.tasks.forget_stale_sign_ups_task",
        "schedule": crontab(hour=4, minute=41),
    },
    # Memberships a joining rule gave an end date (temporary contractors) end on time.
    "accounts-expire-memberships": {
        "task": "accounts.tasks.expire_memberships_task",
        "schedule": 900.0,
        "options": {"expires": 900},
    },
    # Personal data exports past their download days (DATA_EXPORT_DAYS) are deleted.
    "people-forget-expired-exports": {
        "task": "people.tasks.forget_expired_exports_task",
        "schedule": crontab(minute=17),
    },
    # Supervisors hear of tickets nobody has answered (NOTIFY_WAITING_HOURS).
    "notifications-waiting-tickets": {
        "task": "notifications.tasks.report_waiting_tickets_task",
        "schedule": 900.0,
        "options": {"expires": 900},
    },
    # Service levels: warnings before a due time (the policy's lead time), breaches on it.
    "notifications-service-levels": {
        "task": "notifications.tasks.warn_of_service_levels_task",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
    # Mail in: every active IMAP mailbox is read, one run per mailbox at a time.
    "mailroom-fetch-imap": {
        "task": "mailroom.tasks.fetch_imap_mailboxes_task",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
    # Temporary queue grants end by themselves.
    "expire-queue-grants": {
        "task": "tickets.tasks.expire_grants_task",
        "schedule": 300.0,
    },
    # Solved tickets close after their helpdesk's days (Tenant.auto_close_days).
    "tickets-close-solved": {
        "task": "tickets.tasks.close_solved_tickets_task",
        "schedule": 3600.0,
        "options": {"expires": 3600},
    },
    # Absences: open tickets go to the substitute when one begins, and back when it ends.
    "accounts-cover-absences": {
        "task": "tickets.tasks.cover_absences_task",
        "schedule": 900.0,
        "options": {"expires": 900},
    },
    # Metrics: recompute the days touched since the last run, every few minutes.
    "metrics-incremental": {
        "task": "metrics.tasks.update_metrics_task",
        "schedule": 180.0,
    },
    # Metrics: a nightly rebuild catches what increments cannot see (deleted tickets).
    "metrics-nightly-rebuild": {
        "task": "metrics.tasks.update_metrics_task",
        "schedule": crontab(hour=3, minute=17),
        "kwargs": {"full": True},
    },
    "metrics-weekly-reports": {
        "task": "metrics.tasks.send_reports_task",
        "schedule": crontab(hour=6, minute=0, day_of_week=1),
        "args": ["weekly"],
    },
    "metrics-monthly-reports": {
        "task": "metrics.tasks.send_reports_task",
        "schedule": crontab(hour=6, minute=30, day_of_month=1),
        "args": ["monthly"],
    },
    # Knowledge: stale-article reminders, the monthly digest and the weekly wins (each job
    # sends at most once per article or period, so running it daily is safe).
    "knowledge-remind-stale-articles": {
        "task": "knowledge.tasks.remind_stale_articles_task",
        "schedule": 24 * 3600.0,
    },
    "knowledge-monthly-digest": {
        "task": "knowledge.tasks.send_monthly_digests_task",
        "schedule": 6 * 3600.0,
    },
    "knowledge-weekly-wins": {
        "task": "knowledge.tasks.send_weekly_wins_task",
        "schedule": 6 * 3600.0,
    },
}

# Where `celery beat` keeps its last-run times: outside the working tree (a deploy may make it
# read-only, and the files must never be committed).
CELERY_BEAT_SCHEDULE_FILENAME = env(
    "CELERY_BEAT_SCHEDULE_FILENAME",
    default=str(Path(tempfile.gettempdir()) / "helpdesk-celerybeat-schedule"),
)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("he", _("Hebrew"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": env("FILE_STORAGE", default="django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "media/"  # never served directly: attachments go through a permission check
# Ticket attachments: the largest file accepted, and the content types accepted.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_ALLOWED_TYPES = env.list(
    "ATTACHMENT_ALLOWED_TYPES",
    default=[
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "application/pdf",
        "text/plain",
        "text/csv",
        "application/zip",
        "application/json",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ],
)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="helpdesk@localhost")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")  # links in e-mails
# Days a rating link in a "solved" e-mail works without signing in.
RATING_LINK_MAX_AGE_DAYS = env.int("RATING_LINK_MAX_AGE_DAYS", default=30)

# A sign-up's link proves its address: how long it works, and how many such mails one
# address gets per hour (whoever asks for them).
SIGNUP_LINK_HOURS = env.int("SIGNUP_LINK_HOURS", default=48)
SIGNUP_MAILS_PER_HOUR = env.int("SIGNUP_MAILS_PER_HOUR", default=3)
# Mail in: messages one sender address may send per hour before the rest are refused
# (counted in the database, so the limit holds while Redis is away).
MAILROOM_MAILS_PER_HOUR = env.int("MAILROOM_MAILS_PER_HOUR", default=30)
# Days a person's data export can be downloaded (by the admin who asked, or the person).
DATA_EXPORT_DAYS = env.int("DATA_EXPORT_DAYS", default=7)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "accounts.rest.PageNumberPagination",
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONObjectParser",  # an object, no NUL: else 400, not a 500
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "accounts.rest.exception_handler",
    # Per client address (core.client, trusting TRUSTED_PROXIES only) or per person.
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttles.AnonThrottle",
        "core.throttles.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="60/min"),
        "user": env("THROTTLE_USER", default="600/min"),
        "register": env("THROTTLE_REGISTER", default="10/hour"),
        "login": env("THROTTLE_LOGIN", default="20/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Helpdesk API",
    "DESCRIPTION": "Multi-tenant helpdesk: people, roles, joining rules, tickets and metrics.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # core.converters: ids of at most 18 digits (below a bigint).
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status" with different choices: name each set explicitly.
    "ENUM_NAME_OVERRIDES": {
        "ArticleAudienceEnum": "knowledge.models.Article.Audience",
        "AnnouncementAudienceEnum": "knowledge.models.Announcement.Audience",
        "TicketStatusEnum": "tickets.models.Ticket.Status",
        "TicketPriorityEnum": "tickets.models.Ticket.Priority",
        "MembershipStatusEnum": "accounts.models.Membership.Status",
        "AccessRequestStatusEnum": "accounts.models.AccessRequest.Status",
        "IdeaStatusEnum": "knowledge.models.Idea.Status",
        "IdeaAudienceEnum": "knowledge.models.Idea.Audience",
    },
}

# Production hardening: `manage.py check --deploy` is silent with DEBUG=0.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp): scripts, styles, fonts and images from
# this server only, so no inline script or style attribute runs, and no image in what a user wrote
# tells another server who read it. Frames: the knowledge base's YouTube and Vimeo players. The
# API docs page loosens style-src for Redoc's generated styles (helpdesk/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# The knowledge base embeds video players; allow a referrer so YouTube/Vimeo accept the embed.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous people have no grants

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
