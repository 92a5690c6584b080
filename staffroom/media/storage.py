"""Where attachment files live: server-made names in Django's default storage.

Names are `<folder>/<yyyy>/<mm>/<32 random hex>.<ext>`, never from the upload: unguessable
(media URLs are public, like Mastodon's) and never reused, so a URL never changes meaning.
A document keeps a readable last part for downloads, made safe:
`documents/<yyyy>/<mm>/<hex>/<safe-name>.<ext>`.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from staffroom.profiles.uris import instance_base_url

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
SAFE_NAME_MAX = 80


def safe_stem(original_name: str, *, fallback: str = "document") -> str:
    """An ASCII file stem made of letters, digits, `-` and `_` from a teacher's filename:
    "Fractions: Worksheet (v2).pdf" -> "Fractions-Worksheet-v2"."""
    stem = original_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("-", ascii_stem).strip("-_")[:SAFE_NAME_MAX].strip("-_")
    return cleaned or fallback


def clean_original_name(value: str) -> str:
    """The upload's own name as metadata only: no folders, no control characters."""
    name = value.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return name.strip()[:200]


def new_name(folder: str, extension: str, *, readable_stem: str | None = None) -> str:
    stamp = f"{timezone.now():%Y/%m}"
    token = secrets.token_hex(16)
    if readable_stem:
        return f"{folder}/{stamp}/{token}/{readable_stem}.{extension}"
    return f"{folder}/{stamp}/{token}.{extension}"


def save_path(path: Path, name: str) -> str:
    """Copy a local file into storage under `name`; answers the stored name."""
    with path.open("rb") as handle:
        return default_storage.save(name, File(handle))


def save_upload(upload: File, name: str) -> str:  # type: ignore[type-arg]
    upload.seek(0)
    return default_storage.save(name, upload)


def copy_to_path(name: str, path: Path) -> None:
    """Bring a stored file to a local path (the sandbox reads local files only)."""
    with default_storage.open(name, "rb") as source, path.open("wb") as target:
        for chunk in iter(lambda: source.read(1024 * 1024), b""):
            target.write(chunk)


def delete_names(names: Iterable[str]) -> None:
    """Delete stored files; a missing one is fine (deletion is retried and idempotent)."""
    for name in names:
        if not name:
            continue
        try:
            default_storage.delete(name)
        except FileNotFoundError:
            continue


def public_url_prefix() -> str:
    """What every public media URL starts with: this server's media view, or the bucket or
    CDN that MEDIA_URL names when media live in S3-compatible storage."""
    prefix = str(settings.MEDIA_URL)
    return prefix if prefix.startswith(("http://", "https://")) else instance_base_url() + prefix
