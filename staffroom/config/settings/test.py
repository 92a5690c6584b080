"""Settings for the test suite: fast hashing, recorded tasks, e-mail kept in memory."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from staffroom.config.settings.base import *  # noqa: F403
from staffroom.config.settings.base import DATABASES, INSTALLED_APPS, REDIS_URL


def _test_vapid_key() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


# A cheap hasher keeps the suite fast; argon2 itself is tested by name in test_passwords.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
STAFFROOM_TASK_BACKEND = os.environ.get("STAFFROOM_TEST_TASK_BACKEND", "database")
if "django_rq" in INSTALLED_APPS:
    INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "django_rq"]
WHITENOISE_AUTOREFRESH = True
# Uploaded and demo media go to a throwaway folder per test process, never the developer's.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="staffroom-test-media-"))
# pytest-django's live server is WSGI, one thread per request: it cannot hold a stream of
# server-sent events open, so the browser tests' pages poll. tests/browser/test_live.py runs
# the real ASGI `staffroom serve` for the stream.
STAFFROOM_WEB_STREAM_PATH = ""
# A test sees a new suggestions snapshot at once (one test covers the background load).
STAFFROOM_SUGGESTIONS_LOAD_IN_BACKGROUND = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each test database lives in a throwaway folder, never in the developer's data.
    DATABASES["default"]["NAME"] = os.path.join(tempfile.gettempdir(), "staffroom-test.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": None}

if REDIS_URL:
    # Each xdist worker gets its own Redis database, so one worker clearing the cache between
    # tests cannot wipe the counters of a test running in the other.
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
    _parts = urlsplit(REDIS_URL)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": urlunsplit(_parts._replace(path=f"/{1 + int(_worker)}")),
            "KEY_PREFIX": "staffroom-test",
        }
    }

# Streaming sockets in a throwaway folder per test process: listeners of the other xdist
# worker never receive this one's messages.
STAFFROOM_STREAMING_SOCKET_DIR = Path(tempfile.mkdtemp(prefix="staffroom-streaming-"))

# Web Push: a throwaway VAPID key per test process (never one in the developer's data
# folder), and the tests' push server on 127.0.0.1.
VAPID_PRIVATE_KEY = _test_vapid_key()
PUSH_ALLOWED_ADDRESSES = ["127.0.0.1"]
