"""Putting restored files in place: atomic where the filesystem allows it."""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from enum import StrEnum
from pathlib import Path

from staffroom.config.settings.env import env_str
from staffroom.core.backup.manifest import KEY_FILE_NAME


class SecretKeyOutcome(StrEnum):
    RESTORED = "restored"
    KEPT_ENVIRONMENT = "not installed: SECRET_KEY is set in the environment"
    NOT_IN_ARCHIVE = "not in the archive"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_file(source: Path, target: Path) -> None:
    """Move `source` over `target` atomically, durably (fsync), even across filesystems.

    Across filesystems the file is first copied next to the target, then renamed.
    """
    with source.open("rb") as handle:
        os.fsync(handle.fileno())
    try:
        os.replace(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        neighbour = target.with_name(f".{target.name}.{secrets.token_hex(4)}")
        shutil.copy2(source, neighbour)
        os.replace(neighbour, target)
    _fsync_dir(target.parent)


def install_media(staged: Path, media_root: Path) -> int:
    """Replace the media folder's contents with the unpacked folder; returns its file count.

    The old folder is renamed aside first and put back if the new one cannot be moved in.
    A symlinked media folder keeps its link: the folder it points to is replaced.
    """
    staged.mkdir(exist_ok=True)
    count = sum(1 for path in staged.rglob("*") if path.is_file())
    target = media_root.resolve()
    old = target.with_name(f".{target.name}-old-{secrets.token_hex(4)}")
    if target.exists():
        os.replace(target, old)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(staged, target)
        except OSError as error:
            if error.errno != errno.EXDEV:
                raise
            shutil.copytree(staged, target)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        if old.exists():
            os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return count


def install_secret_key(staged: Path, data_dir: Path) -> SecretKeyOutcome:
    """Put the archive's secret key in DATA_DIR/secret_key (mode 0600).

    Skipped when the SECRET_KEY variable is set, since that is the key the server uses.
    """
    if env_str("SECRET_KEY"):
        return SecretKeyOutcome.KEPT_ENVIRONMENT
    if not staged.is_file():
        return SecretKeyOutcome.NOT_IN_ARCHIVE
    staged.chmod(0o600)
    replace_file(staged, data_dir / KEY_FILE_NAME)
    return SecretKeyOutcome.RESTORED
