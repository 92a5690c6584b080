"""Writing and reading the tar.gz archive: checksums, owner-only files, no path traversal.

The reader never uses `tarfile.extract*`: it checks each member's name and type first, then
writes regular files itself into a fresh folder, so links, devices, absolute paths and `..`
cannot reach anything outside it.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import stat
import tarfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from staffroom.core.backup.errors import BackupError
from staffroom.core.backup.manifest import (
    DATABASE_DIR,
    DATABASE_MEMBERS,
    KEY_FILE_NAME,
    MANIFEST_NAME,
    MEDIA_DIR,
    Manifest,
)

logger = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
TOP_LEVEL_FILES = frozenset({MANIFEST_NAME, KEY_FILE_NAME, *DATABASE_MEMBERS.values()})
PRIVATE_FILES = TOP_LEVEL_FILES  # the database and the key: owner-only once unpacked


class _HashingReader:
    """Passes reads through while computing their sha256."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.digest.update(chunk)
        return chunk


class ArchiveWriter:
    """Adds members to an open tar file and records the sha256 of each."""

    def __init__(self, tar: tarfile.TarFile) -> None:
        self.tar = tar
        self.hashes: dict[str, str] = {}

    def add_file(self, name: str, path: Path) -> None:
        with path.open("rb") as handle:
            info = self.tar.gettarinfo(arcname=name, fileobj=handle)
            reader = _HashingReader(handle)
            self.tar.addfile(_anonymous(info, 0o600), reader)
        self.hashes[name] = reader.digest.hexdigest()

    def add_bytes(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime = len(data), int(time.time())
        self.tar.addfile(_anonymous(info, 0o600), io.BytesIO(data))
        self.hashes[name] = hashlib.sha256(data).hexdigest()

    def add_tree(self, prefix: str, root: Path) -> int:
        """Add a folder's sub-folders and regular files; links are skipped with a warning."""
        self.tar.addfile(_anonymous(tarfile.TarInfo(prefix), 0o700, directory=True))
        count = 0
        for folder, dirnames, filenames in os.walk(root):
            dirnames.sort()
            relative = Path(folder).relative_to(root).as_posix()
            base = prefix if relative == "." else f"{prefix}/{relative}"
            for dirname in dirnames:
                if not (Path(folder) / dirname).is_symlink():
                    info = _anonymous(tarfile.TarInfo(f"{base}/{dirname}"), 0o700, directory=True)
                    self.tar.addfile(info)
            for filename in sorted(filenames):
                path = Path(folder) / filename
                if not stat.S_ISREG(path.lstat().st_mode):
                    logger.warning("backup: skipped %s (not a regular file)", path)
                    continue
                self.add_file(f"{base}/{filename}", path)
                count += 1
        return count


def _anonymous(info: tarfile.TarInfo, mode: int, *, directory: bool = False) -> tarfile.TarInfo:
    """Drop owner names and ids (they mean nothing on the machine that restores)."""
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = mode
    if directory:
        info.type, info.mtime = tarfile.DIRTYPE, int(time.time())
    return info


@contextmanager
def write_archive(output: Path) -> Iterator[ArchiveWriter]:
    """Write `<output>.partial` (mode 0600), then rename it to `output` once complete.

    A failure leaves no archive behind. Raises BackupError when `output` already exists.
    """
    if output.exists():
        raise BackupError(f"{output} already exists; choose another --output.")
    partial = output.with_name(output.name + ".partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as error:
        raise BackupError(f"{partial} is left from an interrupted backup; remove it.") from error
    try:
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                yield ArchiveWriter(tar)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def extract_archive(archive: Path, staging: Path) -> Manifest:
    """Unpack `archive` into `staging` (an empty folder), checking it; return its manifest.

    Raises BackupError for an unreadable archive, an unsafe or unexpected member (absolute
    path, `..`, link, device, duplicate), a missing or unknown manifest, or a checksum that
    does not match. Only `staging` is written to.
    """
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist or is not a file.")
    hashes: dict[str, str] = {}
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                _check_member(member, hashes)
                _unpack_member(tar, member, staging, hashes)
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise BackupError(f"{archive} is not a readable .tar.gz archive ({error}).") from error
    manifest = _read_manifest(staging / MANIFEST_NAME)
    _check_checksums(manifest, hashes)
    return manifest


def member_problem(member: tarfile.TarInfo) -> str | None:
    """Why a member may not be unpacked, or None when it is a safe, expected one."""
    name = member.name
    path = PurePosixPath(name)
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or path.as_posix() != name
        or any(part in {".", ".."} for part in path.parts)
    ):
        return "an unsafe path"
    if member.isdir():
        expected = path.parts[0] == MEDIA_DIR or name == DATABASE_DIR
    elif member.isfile():
        expected = name in TOP_LEVEL_FILES or (path.parts[0] == MEDIA_DIR and len(path.parts) > 1)
    else:
        return "a link or special file"
    return None if expected else "an unexpected path"


def _check_member(member: tarfile.TarInfo, seen: dict[str, str]) -> None:
    problem = member_problem(member)
    if problem is None and member.name in seen:
        problem = "a duplicate member"
    if problem is not None:
        raise BackupError(
            f"The archive holds {problem}: {member.name!r}. "
            f"Refusing to restore from it; nothing was changed."
        )


def _unpack_member(
    tar: tarfile.TarFile, member: tarfile.TarInfo, staging: Path, hashes: dict[str, str]
) -> None:
    target = staging.joinpath(*PurePosixPath(member.name).parts)
    try:
        if member.isdir():
            target.mkdir(parents=True, exist_ok=True)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = 0o600 if member.name in PRIVATE_FILES else 0o644
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        source = tar.extractfile(member)
        if source is None:  # pragma: no cover - member_problem admits only regular files
            raise BackupError(f"Could not read {member.name!r} from the archive.")
        digest = hashlib.sha256()
        with source, os.fdopen(os.open(target, flags, mode), "wb") as out:
            while chunk := source.read(CHUNK_BYTES):
                digest.update(chunk)
                out.write(chunk)
    except OSError as error:
        raise BackupError(f"Could not unpack {member.name!r}: {error}") from error
    hashes[member.name] = digest.hexdigest()


def _read_manifest(path: Path) -> Manifest:
    if not path.is_file():
        raise BackupError(f"The archive has no {MANIFEST_NAME}: it is not a Staffroom backup.")
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise BackupError(f"{MANIFEST_NAME} in the archive is implausibly large.")
    return Manifest.from_json(path.read_bytes())


def _check_checksums(manifest: Manifest, hashes: dict[str, str]) -> None:
    members = set(hashes) - {MANIFEST_NAME}
    listed = set(manifest.files)
    if missing := sorted(listed - members):
        raise BackupError(f"The archive is incomplete: {missing[0]!r} is missing.")
    if extra := sorted(members - listed):
        raise BackupError(
            f"The archive holds {extra[0]!r}, which its manifest does not list: it was altered."
        )
    for name in sorted(members):
        if hashes[name] != manifest.files[name]:
            raise BackupError(
                f"Checksum mismatch for {name!r}: the archive is damaged or was altered. "
                f"Nothing was changed."
            )
    if manifest.database_member not in members:
        raise BackupError("The archive holds no database.")
