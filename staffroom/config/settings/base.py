"""Staffroom settings: one module, two profiles chosen by STAFFROOM_ENV.

`local` (the default, what `make run` uses): plain HTTP on 127.0.0.1, DEBUG off, SQLite in
the data folder. `production`: HTTPS, HSTS, secure cookies, clean `check --deploy`.
Every value comes from the environment with a safe default; nothing secret lives here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from corsheaders.defaults import default_headers as default_cors_headers
from django.core.exceptions import ImproperlyConfigured

from staffroom.config.settings.env import (
    env_bool,
    env_int,
    env_list,
    env_str,
    secret_key_from,
)
from staffroom.core.api.scopes import ALL_SCOPES
from staffroom.oauth.pkce import pkce_required

BASE_DIR = Path(__file__).resolve().parents[3]
PACKAGE_DIR = BASE_DIR / "staffroom"

STAFFROOM_ENV = env_str("STAFFROOM_ENV", "local")
if STAFFROOM_ENV not in {"local", "production"}:
    raise RuntimeError("STAFFROOM_ENV must be 'local' or 'production'.")
IS_PRODUCTION = STAFFROOM_ENV == "production"

DATA_DIR = Path(env_str("STAFFROOM_DATA_DIR", str(BASE_DIR / "data"))).resolve()
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

SECRET_KEY = secret_key_from(DATA_DIR)
DEBUG = env_bool("DEBUG", default=False)

# The domain in every profile and post URI. Like Mastodon's LOCAL_DOMAIN it must not change
# once the instance has data.
STAFFROOM_DOMAIN = env_str("STAFFROOM_DOMAIN", "localhost:8000")
STAFFROOM_SCHEME = "https" if IS_PRODUCTION else env_str("STAFFROOM_SCHEME", "http")
STAFFROOM_NAME = env_str("STAFFROOM_NAME", "Staffroom")

_domain_host = STAFFROOM_DOMAIN.split(":")[0]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [_domain_host, "127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Slow clients (docs/admin/settings.md): a request's line and headers must all arrive within
# the first; a body may pause at most the second between bytes and take at most the third in
# all (enough for the largest upload at about 350 KB/s). Past them the connection is closed
# (headers) or answered 408 (body).
STAFFROOM_HEADER_TIMEOUT_SECONDS = max(1, env_int("STAFFROOM_HEADER_TIMEOUT_SECONDS", 10))
STAFFROOM_BODY_IDLE_TIMEOUT_SECONDS = max(1, env_int("STAFFROOM_BODY_IDLE_TIMEOUT_SECONDS", 30))
STAFFROOM_BODY_TIMEOUT_SECONDS = max(1, env_int("STAFFROOM_BODY_TIMEOUT_SECONDS", 300))

# Client addresses: proxy headers are believed only from these addresses (CVE-2023-49952).
STAFFROOM_TRUSTED_PROXIES = env_list("STAFFROOM_TRUSTED_PROXIES", [])

INSTALLED_APPS = [
    "staffroom.accounts",  # before django.contrib.auth: its createsuperuser wins
    "staffroom.core",
    "staffroom.profiles",
    "staffroom.graph",
    "staffroom.posts",
    "staffroom.media",
    "staffroom.polls",
    "staffroom.timelines",
    "staffroom.hashtags",
    "staffroom.filters",
    "staffroom.moderation",
    "staffroom.notifications",
    "staffroom.recommendations",
    "staffroom.web",
    "staffroom.oauth",  # app label "mastodon_api": see OAuthConfig
    "staffroom.leaving",
    "staffroom.importing",
    "staffroom.trends",
    "staffroom.search",
    "staffroom.conversations",
    "staffroom.push",
    "staffroom.streaming",
    "staffroom.scheduling",
    "staffroom.emojis",
    "staffroom.announcements",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "corsheaders",
    "ninja",  # serves the API docs page's assets locally, never from a CDN
    "oauth2_provider",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the request limits, so a browser client can read their 413 and 429 answers,
    # and before CommonMiddleware, so a preflight is answered before any redirect.
    "corsheaders.middleware.CorsMiddleware",
    "staffroom.core.middleware.RequestSizeLimitMiddleware",
    # Before anything reads a session, a token or a body into a query: NUL and the other
    # characters no column can hold are refused here (core/input_gate.py).
    "staffroom.core.input_gate.InputGateMiddleware",
    "staffroom.core.api.middleware.ApiMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after the user is known: every answer to a signed-in person is private.
    "staffroom.core.middleware.PrivateAnswersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "staffroom.config.urls"
WSGI_APPLICATION = "staffroom.config.wsgi.application"
ASGI_APPLICATION = "staffroom.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "staffroom.web.context_processors.site",
                "staffroom.moderation.context_processors.moderation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
# SQLite by default (zero set-up), PostgreSQL when DATABASE_URL says so.
SQLITE_PATH = DATA_DIR / "staffroom.sqlite3"
SQLITE_TIMEOUT_SECONDS = 20
# WAL lets readers run beside the one writer; FULL keeps a committed transaction across a
# power cut (NORMAL would only survive an application crash); IMMEDIATE transactions take
# the write lock up front, so writers queue for `timeout` instead of failing with
# "database is locked" when a read transaction tries to upgrade.
SQLITE_INIT_COMMAND = (
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    "PRAGMA foreign_keys=ON;"
    f"PRAGMA busy_timeout={SQLITE_TIMEOUT_SECONDS * 1000};"
)


def _database_from_env() -> dict[str, Any]:
    url = env_str("DATABASE_URL")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": SQLITE_TIMEOUT_SECONDS,
                "init_command": SQLITE_INIT_COMMAND,
            },
        }
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Django's own pool (psycopg_pool); CONN_MAX_AGE must stay 0 with it.
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 1),
            "max_size": env_int("DATABASE_POOL_MAX", 10),
        }
    return config


DATABASES = {"default": _database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and background work ---------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "staffroom",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The durable job row is the truth; the backend only wakes workers (see core/jobs.py).
STAFFROOM_TASK_BACKEND = env_str("STAFFROOM_TASK_BACKEND", "rq" if REDIS_URL else "database")
if STAFFROOM_TASK_BACKEND == "rq":
    TASKS: dict[str, dict[str, Any]] = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    }
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
    INSTALLED_APPS += ["django_rq"]
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Streaming (docs/subsystems/streaming.md): without Redis, web workers receive what other
# processes publish on Unix datagram sockets in this folder (made with mode 0700).
STAFFROOM_STREAMING_SOCKET_DIR = Path(
    env_str("STAFFROOM_STREAMING_SOCKET_DIR", str(DATA_DIR / "run" / "streaming"))
)

# --- Durable jobs, scheduler and heartbeats (core/jobs.py, core/scheduler.py) ------------
# What each one means: docs/subsystems/jobs.md.
# A running job's worker renews its lease every HEARTBEAT seconds (at most a third of the
# lease); a lease not renewed for LEASE seconds means the worker was killed, and the sweeper
# (every 15 s) takes the job back: within about a minute. A job may run for as long as it
# needs.
STAFFROOM_JOB_LEASE_SECONDS = max(1, env_int("STAFFROOM_JOB_LEASE_SECONDS", 45))
STAFFROOM_JOB_HEARTBEAT_SECONDS = max(1, env_int("STAFFROOM_JOB_HEARTBEAT_SECONDS", 15))
# Retry n waits base * 4**(n-1) seconds (capped at six hours) plus up to 25% jitter.
STAFFROOM_JOB_RETRY_BASE_SECONDS = env_int("STAFFROOM_JOB_RETRY_BASE_SECONDS", 15)
# The sweeper re-wakes a pending job only when it has been due, and silent, this long.
STAFFROOM_JOB_SWEEP_GRACE_SECONDS = env_int("STAFFROOM_JOB_SWEEP_GRACE_SECONDS", 300)
# Finished jobs (and django-tasks-db results) are pruned after these many days.
STAFFROOM_JOB_RETENTION_DAYS = env_int("STAFFROOM_JOB_RETENTION_DAYS", 7)

# Trends (docs/subsystems/trends.md): on or off, whether an item needs a moderator's approval
# before it trends, the floor of distinct accounts, and how fast a trend fades.
STAFFROOM_TRENDS_ENABLED = env_bool("STAFFROOM_TRENDS_ENABLED", default=True)
STAFFROOM_TRENDS_NEED_REVIEW = env_bool("STAFFROOM_TRENDS_NEED_REVIEW", default=True)
STAFFROOM_TRENDS_MIN_ACCOUNTS = max(1, env_int("STAFFROOM_TRENDS_MIN_ACCOUNTS", 3))
STAFFROOM_TRENDS_HALF_LIFE_HOURS = max(1, env_int("STAFFROOM_TRENDS_HALF_LIFE_HOURS", 24))
STAFFROOM_DEAD_JOB_RETENTION_DAYS = env_int("STAFFROOM_DEAD_JOB_RETENTION_DAYS", 30)
STAFFROOM_SCHEDULER_INTERVAL_SECONDS = env_int("STAFFROOM_SCHEDULER_INTERVAL_SECONDS", 5)
# How often suggestions' graph-wide snapshot is rebuilt (docs/subsystems/recommendations.md).
STAFFROOM_SUGGESTIONS_REFRESH_MINUTES = env_int("STAFFROOM_SUGGESTIONS_REFRESH_MINUTES", 10)
# A worker keeps serving its snapshot while a newer one loads in a thread beside it.
STAFFROOM_SUGGESTIONS_LOAD_IN_BACKGROUND = True
# /healthz calls a worker or scheduler "stale" when its heartbeat is older than this.
STAFFROOM_HEARTBEAT_STALE_SECONDS = env_int("STAFFROOM_HEARTBEAT_STALE_SECONDS", 180)
if STAFFROOM_TASK_BACKEND == "rq":
    # RQ workers must load jobs with django-tasks-rq's Job class; with this, a plain
    # `staffroom rqworker --with-scheduler default` does (no `--job-class` needed).
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}

# --- Authentication ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "staffroom.accounts.backends.EmailOrHandleBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "staffroom.accounts.validators.MaximumLengthValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:landing"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3  # reset links live three hours
STAFFROOM_EMAIL_VERIFICATION_MAX_AGE = 60 * 60 * 24 * 3  # verification links: three days

# django-axes: sign-in lockout in the database, so it works without Redis
# (staffroom.accounts.throttling). Failures count per account, whichever spelling of it was
# typed (AXES_USERNAME_CALLABLE resolves it), and per client address across accounts.
AXES_FAILURE_LIMIT = env_int("STAFFROOM_LOGIN_FAILURE_LIMIT", 5)
STAFFROOM_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("STAFFROOM_LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username"]]
AXES_HANDLER = "staffroom.accounts.throttling.SignInThrottleHandler"
AXES_USERNAME_CALLABLE = "staffroom.accounts.throttling.axes_username"
AXES_CLIENT_IP_CALLABLE = "staffroom.core.client_ip.client_ip_for_axes"
AXES_LOCKOUT_CALLABLE = "staffroom.accounts.throttling.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# Rate limits for joining (requests per window, per client address).
STAFFROOM_RATE_LIMITS = {
    "signup": (env_int("STAFFROOM_SIGNUP_LIMIT", 10), 3600),
    "password-reset": (env_int("STAFFROOM_RESET_LIMIT", 5), 3600),
    "verification-resend": (5, 3600),
    "app-registration": (env_int("STAFFROOM_APP_REGISTRATION_LIMIT", 30), 3600),
    # Per account: Mastodon's 300 posts in 3 hours.
    "posting": (env_int("STAFFROOM_POST_LIMIT", 300), 3 * 3600),
    # Per account: Mastodon's 30 uploads in 30 minutes, doubled (a post takes up to four).
    "media-upload": (env_int("STAFFROOM_MEDIA_UPLOAD_LIMIT", 60), 1800),
}
# Every /api request, per token (or per address without one): Mastodon's 300 per 5 minutes.
STAFFROOM_API_RATE_LIMIT = (env_int("STAFFROOM_API_RATE_LIMIT", 300), 300)

# Joining: the database row set in the admin wins; these seed it.
STAFFROOM_REGISTRATION_MODE = env_str("STAFFROOM_REGISTRATION_MODE", "open")
STAFFROOM_ALLOWED_EMAIL_DOMAINS = env_list("STAFFROOM_ALLOWED_EMAIL_DOMAINS", [])

# The published password of every demo account (`staffroom demo`; refused in production).
STAFFROOM_DEMO_PASSWORD = env_str("STAFFROOM_DEMO_PASSWORD", "staffroom-demo")

# --- OAuth 2 for apps (django-oauth-toolkit, as Mastodon apps use it) --------------------
OAUTH2_PROVIDER_APPLICATION_MODEL = "mastodon_api.OAuthApplication"
# Named so other models (push subscriptions) may point at the token model by its setting.
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105 (a model name)
OAUTH2_PROVIDER: dict[str, Any] = {
    "SCOPES_BACKEND_CLASS": "staffroom.oauth.scopes_backend.MastodonScopes",
    "SCOPES": ALL_SCOPES,
    "DEFAULT_SCOPES": ["read"],
    "PKCE_REQUIRED": pkce_required,
    # Tokens do not expire until revoked, as in Mastodon (about a century here).
    "ACCESS_TOKEN_EXPIRE_SECONDS": 60 * 60 * 24 * 365 * 100,
    "REFRESH_TOKEN_EXPIRE_SECONDS": None,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # Each application may redirect only to the schemes of its own registered URIs
    # (oauth.models.OAuthApplication.get_allowed_schemes); this is the default.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "ALLOW_URI_WILDCARDS": False,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    # Mastodon offers the password grant (`toot login_cli`, Mastodon.py's `log_in`); it signs
    # in through the web form's checks (oauth.validator.StaffroomOAuth2Validator).
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": False,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": [
        "authorization_code",
        "password",
        "client_credentials",
        "refresh_token",
    ],
    "OAUTH2_VALIDATOR_CLASS": "staffroom.oauth.validator.StaffroomOAuth2Validator",
    # The `iss` sent with each authorization response (RFC 9207): the configured instance,
    # with Mastodon's trailing slash, never the request's Host; the metadata says the same
    # (oauth.issuer.oauth_issuer).
    "OIDC_ISS_ENDPOINT": f"{STAFFROOM_SCHEME}://{STAFFROOM_DOMAIN}/",
}
# The one RFC 9700 gate left open, on purpose (the password grant, above): its deploy
# warning is silenced so `check --deploy --fail-level WARNING` still catches every other.
# axes.W006 asks for the address in AXES_LOCKOUT_PARAMETERS: the lock is per account here on
# purpose (any spelling, any address), and the per-address limit across accounts is
# counted by accounts.throttling.SignInThrottleHandler, which axes' check cannot see.
SILENCED_SYSTEM_CHECKS = ["oauth2_provider.W002", "axes.W006"]

# --- E-mail -----------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Seconds before a mail server that does not answer is given up on (the job retries).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"Staffroom <noreply@{_domain_host}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at start-up without it
# Locally WhiteNoise serves straight from the apps (no collectstatic step); in production
# `staffroom collectstatic` writes hashed, compressed files.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}


# --- Media in S3-compatible storage (docs/subsystems/media.md) ---------------------------
# Media live in MEDIA_ROOT and are served by core/media.py unless a bucket is named; then
# they are stored there (core/storage.py) and served from STAFFROOM_MEDIA_BASE_URL.
def _s3_media_from_env(bucket: str) -> tuple[dict[str, Any], str]:
    """STORAGES["default"] and MEDIA_URL for media kept in an S3-compatible bucket."""
    base_url = env_str("STAFFROOM_MEDIA_BASE_URL")
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured(
            "STAFFROOM_MEDIA_BASE_URL must be set when STAFFROOM_S3_BUCKET is: the public "
            "address media are served from, such as https://media.example.org/ or the "
            "bucket's own URL."
        )
    # ACL-less buckets (the AWS default since 2023) refuse any ACL: say "none" for them.
    acl = env_str("STAFFROOM_S3_ACL", "public-read")
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "querystring_auth": False,  # public, stable URLs, like Mastodon's
        "file_overwrite": False,
        "default_acl": None if acl.lower() == "none" else acl,
        # storage.url(name) gives MEDIA_URL + name, as media_url() does.
        "custom_domain": parts.netloc + parts.path.rstrip("/"),
        "url_protocol": f"{parts.scheme}:",
    }
    optional = {
        "endpoint_url": "STAFFROOM_S3_ENDPOINT_URL",  # empty: AWS itself
        "region_name": "STAFFROOM_S3_REGION",
        "access_key": "STAFFROOM_S3_ACCESS_KEY_ID",  # empty: boto's own credential chain
        "secret_key": "STAFFROOM_S3_SECRET_ACCESS_KEY",
    }
    options |= {option: env_str(name) for option, name in optional.items() if env_str(name)}
    media_url = base_url if base_url.endswith("/") else base_url + "/"
    return {"BACKEND": "staffroom.core.storage.MediaS3Storage", "OPTIONS": options}, media_url


STAFFROOM_S3_BUCKET = env_str("STAFFROOM_S3_BUCKET")
if STAFFROOM_S3_BUCKET:
    STORAGES["default"], MEDIA_URL = _s3_media_from_env(STAFFROOM_S3_BUCKET)

# --- Limits -----------------------------------------------------------------------------
STAFFROOM_MAX_POST_CHARS = env_int("STAFFROOM_MAX_POST_CHARS", 1000)
STAFFROOM_CONTACT_EMAIL = env_str("STAFFROOM_CONTACT_EMAIL", "")
STAFFROOM_DESCRIPTION = env_str(
    "STAFFROOM_DESCRIPTION",
    "A professional learning network for teachers: the staffroom without walls.",
)
# A Markdown file with the server's privacy policy (/api/v1/instance/privacy_policy; 404
# when unset).
STAFFROOM_PRIVACY_POLICY_FILE = env_str("STAFFROOM_PRIVACY_POLICY_FILE", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# Requests whose declared body is larger are answered 413 before the body is read.
STAFFROOM_MAX_REQUEST_BYTES = env_int("STAFFROOM_MAX_REQUEST_BYTES", 16 * 1024 * 1024)
# Images (staffroom/core/images.py, docs/subsystems/media.md): an upload over this many bytes
# is refused with 413 before it is decoded; one whose header claims more than this many pixels
# is refused with 422 before it is decoded (a pixel flood). 40 MP is below Pillow's own
# 89 MP warning, and Pillow's warning is escalated to an error as well.
STAFFROOM_IMAGE_MAX_BYTES = env_int("STAFFROOM_IMAGE_MAX_BYTES", 8 * 1024 * 1024)
STAFFROOM_IMAGE_MAX_PIXELS = env_int("STAFFROOM_IMAGE_MAX_PIXELS", 40_000_000)

# --- Media attachments (staffroom/media, docs/subsystems/media.md) ----------------------
_MB = 1024 * 1024
# The most bytes one upload of each kind may have (413 past it; Mastodon's are 16 and 99 MB).
STAFFROOM_MEDIA_MAX_BYTES = {
    "image": env_int("STAFFROOM_MEDIA_IMAGE_MAX_MB", 16) * _MB,
    "audio": env_int("STAFFROOM_MEDIA_AUDIO_MAX_MB", 40) * _MB,
    "video": env_int("STAFFROOM_MEDIA_VIDEO_MAX_MB", 100) * _MB,
    "document": env_int("STAFFROOM_MEDIA_DOCUMENT_MAX_MB", 20) * _MB,
}
# Upload routes may take a body this large; every other route keeps STAFFROOM_MAX_REQUEST_BYTES.
STAFFROOM_MEDIA_MAX_REQUEST_BYTES = max(STAFFROOM_MEDIA_MAX_BYTES.values()) + _MB
STAFFROOM_MEDIA_UPLOAD_PATHS = ("/api/v1/media", "/api/v2/media", "/media-upload", "/compose")
# Everything a teacher's attachments may take in storage (413 past it).
STAFFROOM_MEDIA_QUOTA_BYTES = env_int("STAFFROOM_MEDIA_QUOTA_MB", 1024) * _MB
STAFFROOM_MEDIA_VIDEO_MAX_SECONDS = env_int("STAFFROOM_MEDIA_VIDEO_MAX_SECONDS", 300)
STAFFROOM_MEDIA_AUDIO_MAX_SECONDS = env_int("STAFFROOM_MEDIA_AUDIO_MAX_SECONDS", 1800)
STAFFROOM_MEDIA_DOCUMENT_MAX_PAGES = env_int("STAFFROOM_MEDIA_DOCUMENT_MAX_PAGES", 300)
# The sandboxed child that proves and rewrites each upload (media/sandbox.py).
STAFFROOM_MEDIA_WORKER_MEMORY_MB = env_int("STAFFROOM_MEDIA_WORKER_MEMORY_MB", 1536)
STAFFROOM_MEDIA_WORKER_CPU_SECONDS = env_int("STAFFROOM_MEDIA_WORKER_CPU_SECONDS", 120)
# Uploads never attached to a post are deleted after this long (as on Mastodon).
STAFFROOM_MEDIA_UNATTACHED_HOURS = env_int("STAFFROOM_MEDIA_UNATTACHED_HOURS", 24)

# --- Security headers -------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# CORS as Mastodon sets it (config/initializers/cors.rb): browser clients on any origin may
# call the API, the token endpoints and the discovery documents. Never with credentials:
# those routes read bearer tokens, not cookies, and web pages and forms get no CORS headers,
# so a page on another site can never read signed-in HTML.
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_URLS_REGEX = r"^/(api/|oauth/(token|revoke|userinfo)/?$|\.well-known/|nodeinfo/)"
CORS_ALLOW_HEADERS = (*default_cors_headers, "idempotency-key")
CORS_EXPOSE_HEADERS = [
    "Link",
    "X-RateLimit-Reset",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-Request-Id",
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "staffroom.web.views.csrf_failure"

# Signed-in pages listen to the teacher's stream here (server-sent events; the session cookie
# signs the request in, so connect-src 'self' below allows it). Empty: the pages only poll.
STAFFROOM_WEB_STREAM_PATH = "/api/v1/streaming/user"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

if MEDIA_URL.startswith(("https://", "http://")):
    # Media from another origin (a bucket or a CDN): pages may show and play them.
    _media = urlsplit(MEDIA_URL)
    _media_origin = f"{_media.scheme}://{_media.netloc}"
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_media_origin)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["media-src"] = ["'self'", _media_origin]

if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("STAFFROOM_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("STAFFROOM_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    if STAFFROOM_TRUSTED_PROXIES:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = CSRF_TRUSTED_ORIGINS or [f"https://{STAFFROOM_DOMAIN}"]

# --- Logging ----------------------------------------------------------------------------
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Web Push (docs/subsystems/push.md). The VAPID pair is made once in DATA_DIR unless given
# here (PEM, or Mastodon's URL-safe base64 private number and public point).
VAPID_PRIVATE_KEY = env_str("STAFFROOM_VAPID_PRIVATE_KEY", "")
VAPID_PUBLIC_KEY = env_str("STAFFROOM_VAPID_PUBLIC_KEY", "")
# Plain-http push endpoints are for local use only.
PUSH_ALLOW_HTTP = not IS_PRODUCTION
# Addresses a push endpoint may resolve to although they are private or loopback (a push
# server on the same machine, the tests' 127.0.0.1).
PUSH_ALLOWED_ADDRESSES = env_list("STAFFROOM_PUSH_ALLOWED_ADDRESSES", [])
PUSH_TIMEOUT_SECONDS = env_int("STAFFROOM_PUSH_TIMEOUT_SECONDS", 10)

# Streaming (docs/subsystems/streaming.md). Limits are per web worker process.
STAFFROOM_STREAMING_MAX_PER_ACCOUNT = max(1, env_int("STAFFROOM_STREAMING_MAX_PER_ACCOUNT", 50))
STAFFROOM_STREAMING_MAX_PER_ADDRESS = max(1, env_int("STAFFROOM_STREAMING_MAX_PER_ADDRESS", 2000))
STAFFROOM_STREAMING_STATS_DIR = DATA_DIR / "run" / "streaming-stats"
