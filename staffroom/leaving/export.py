"""The export registry: each capability adds its own part to the teacher's archive.

A part is a function `(user, writer) -> None` in an app's `exports.py`, registered with
`@export_part(name=..., version=...)`. It writes its files through the `ExportWriter` it is
given (JSON for everything, CSV where Mastodon has a CSV format, media files copied in);
the writer hashes and sizes each file as it goes, and `archive_build()` ends the zip with
`manifest.json`. Bump a part's `version` whenever the shape of its files changes.
docs/subsystems/leaving.md documents the archive.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from staffroom.accounts.models import User

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "staffroom-export"
MANIFEST_VERSION = 1
# A part may not write more than this in all (media included); the build then fails.
ARCHIVE_MAX_BYTES = 4 * 1024**3
CHUNK_BYTES = 1024 * 1024
# Archive paths: lower-case words separated by `/`, no `..`, no leading `/`.
_SAFE_PATH = re.compile(r"[a-z0-9_][a-z0-9_.-]*(/[a-z0-9_][a-z0-9_.-]*)*")

ExportFunction = Callable[["User", "ExportWriter"], None]


class ExportTooLarge(Exception):
    """The archive would be larger than ARCHIVE_MAX_BYTES."""


@dataclass(frozen=True)
class ExportPart:
    name: str
    version: int
    order: int
    func: ExportFunction


@dataclass(frozen=True)
class ExportedFile:
    path: str
    size: int
    sha256: str


_PARTS: dict[str, ExportPart] = {}


def export_part(
    *, name: str, version: int, order: int = 100
) -> Callable[[ExportFunction], ExportFunction]:
    """Register a function that writes one capability's files into the export archive."""
    if not re.fullmatch(r"[a-z][a-z0-9_-]*", name) or version < 1:
        raise ValueError(f"bad export part {name!r} version {version}")

    def register(func: ExportFunction) -> ExportFunction:
        existing = _PARTS.get(name)
        if existing is not None and existing.func.__qualname__ != func.__qualname__:
            raise ValueError(f"export part {name!r} is already registered")
        _PARTS[name] = ExportPart(name=name, version=version, order=order, func=func)
        return func

    return register


def export_parts() -> list[ExportPart]:
    """Every registered part (each installed app's `exports` module imported first)."""
    autodiscover_modules("exports")
    return sorted(_PARTS.values(), key=lambda part: (part.order, part.name))


@dataclass
class ExportWriter:
    """Writes one part's files into the zip, recording each file's size and SHA-256."""

    archive: zipfile.ZipFile
    part: str
    taken: set[str]
    budget: list[int]  # bytes left for the whole archive, shared by every part's writer
    files: list[ExportedFile] = field(default_factory=list)

    def write_json(self, path: str, data: Any) -> None:
        text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        self.write_bytes(path, text.encode() + b"\n")

    def write_csv(
        self, path: str, header: Sequence[str] | None, rows: Iterable[Sequence[Any]]
    ) -> None:
        """A CSV file; `header` is None for Mastodon formats that have none (`lists.csv`)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if header is not None:
            writer.writerow(header)
        writer.writerows(rows)
        self.write_bytes(path, buffer.getvalue().encode())

    def write_bytes(self, path: str, content: bytes) -> None:
        self.write_stream(path, [content])

    def copy_stored_file(self, path: str, storage_name: str) -> bool:
        """Copy a file from default storage (media); return False when it is missing."""
        if not storage_name or not default_storage.exists(storage_name):
            return False
        with default_storage.open(storage_name, "rb") as source:
            self.write_stream(path, iter(lambda: source.read(CHUNK_BYTES), b""))
        return True

    def write_stream(self, path: str, chunks: Iterable[bytes]) -> None:
        self._claim(path)
        digest = hashlib.sha256()
        size = 0
        with self.archive.open(path, "w", force_zip64=True) as target:
            for chunk in chunks:
                size += len(chunk)
                if size > self.budget[0]:
                    raise ExportTooLarge(path)
                digest.update(chunk)
                target.write(chunk)
        self.budget[0] -= size
        self.files.append(ExportedFile(path=path, size=size, sha256=digest.hexdigest()))

    def _claim(self, path: str) -> None:
        if not _SAFE_PATH.fullmatch(path) or ".." in path.split("/") or path == MANIFEST_NAME:
            raise ValueError(f"unsafe export path {path!r}")
        if path in self.taken:
            raise ValueError(f"export path {path!r} is written twice")
        self.taken.add(path)


def archive_build(user: User, target: Path, *, parts: list[ExportPart] | None = None) -> int:
    """Write the whole archive for `user` to `target` and return its size in bytes.

    Runs every part in order, then writes `manifest.json`. The zip is built next to
    `target` under a temporary name and renamed at the end, so `target` is either complete
    or absent. Raises ExportTooLarge, or whatever a part raises (the partial file is removed).
    """
    chosen = export_parts() if parts is None else parts
    partial = target.with_name(target.name + ".partial")
    manifest_parts: list[dict[str, Any]] = []
    taken: set[str] = set()
    budget = [ARCHIVE_MAX_BYTES]
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for part in chosen:
                writer = ExportWriter(archive=archive, part=part.name, taken=taken, budget=budget)
                part.func(user, writer)
                manifest_parts.append(_manifest_part(part, writer.files))
            manifest = manifest_build(user, manifest_parts)
            archive.writestr(MANIFEST_NAME, json.dumps(manifest, indent=2) + "\n")
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return target.stat().st_size


def _manifest_part(part: ExportPart, files: list[ExportedFile]) -> dict[str, Any]:
    return {
        "name": part.name,
        "version": part.version,
        "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in files],
    }


def manifest_build(user: User, parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The manifest document (its format is documented in docs/subsystems/leaving.md)."""
    profile = getattr(user, "profile", None)
    return {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "created_at": timezone.now().isoformat(),
        "instance": settings.STAFFROOM_DOMAIN,
        "account": {
            "handle": profile.handle if profile else "",
            "uri": profile.uri if profile else "",
        },
        "parts": parts,
    }
