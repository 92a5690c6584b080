"""`staffroom backup` and `staffroom restore`, run as real commands in throwaway data folders.

These tests start the `staffroom` command in subprocesses with their own STAFFROOM_DATA_DIR
(and DATABASE_URL for PostgreSQL), so they never touch pytest-django's test database.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from staffroom.core.backup.archive import extract_archive, member_problem
from staffroom.core.backup.errors import BackupError

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
AVATAR = bytes(range(256)) * 40  # binary, incompressible enough to notice a mangled copy

SEED = """
from staffroom.accounts.services import account_create
for number, handle in enumerate(["ada", "grace", "katherine"]):
    account_create(
        email=f"{handle}@school.example",
        handle=handle,
        password="correct horse battery staple",
        display_name=handle.title(),
        is_staff=number == 0,
    )
"""
DUMP = """
import json
from staffroom.accounts.models import User
from staffroom.profiles.models import Profile
users = User.objects.values_list("pk", "email", "password", "is_staff", "date_joined")
profiles = Profile.objects.values_list("pk", "user_id", "handle", "uri", "display_name")
print(json.dumps({"users": sorted(users), "profiles": sorted(profiles)}, default=str))
"""

Members = list[tuple[tarfile.TarInfo, bytes | None]]


def staffroom(
    data_dir: Path, *args: str, database_url: str = "", check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run `python -m staffroom.cli ARGS` against `data_dir` (and `database_url` if given)."""
    dropped = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env |= {
        "STAFFROOM_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "staffroom.config.settings.base",
        "STAFFROOM_ENV": "local",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    result = subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "staffroom.cli", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    if check:
        assert result.returncode == 0, f"staffroom {' '.join(args)}:\n{result.stderr}"
    return result


def migrated_copy(template: Path, data_dir: Path) -> None:
    """Start `data_dir` with the SQLite database of `template` (a folder `migrate` ran in),
    which is what running `migrate` in it again would make, in a fraction of the time."""
    data_dir.mkdir(parents=True, exist_ok=True)
    for path in template.glob("staffroom.sqlite3*"):
        shutil.copy2(path, data_dir / path.name)


def seed(data_dir: Path, database_url: str = "", *, migrated: Path | None = None) -> None:
    if migrated is None:
        staffroom(data_dir, "migrate", "--noinput", "-v", "0", database_url=database_url)
    else:
        migrated_copy(migrated, data_dir)
    staffroom(data_dir, "shell", "-v", "0", "-c", SEED, database_url=database_url)
    avatars = data_dir / "media" / "avatars" / "2025"
    avatars.mkdir(parents=True)
    (avatars / "ada.png").write_bytes(AVATAR)
    (data_dir / "media" / "empty-folder").mkdir()


def dump(data_dir: Path, database_url: str = "") -> dict[str, object]:
    out = staffroom(data_dir, "shell", "-v", "0", "-c", DUMP, database_url=database_url).stdout
    rows: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return rows


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder` (backups aside), with the sha256 of each file."""
    return {
        path.relative_to(folder).as_posix(): (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
        )
        for path in sorted(folder.rglob("*"))
        if "backups" not in path.relative_to(folder).parts
    }


def read_members(archive: Path) -> Members:
    members: Members = []
    with tarfile.open(archive, "r:gz") as tar:
        for info in tar.getmembers():
            handle = tar.extractfile(info) if info.isfile() else None
            members.append((info, handle.read() if handle else None))
    return members


def write_members(archive: Path, members: Members) -> Path:
    with tarfile.open(archive, "w:gz") as tar:
        for info, data in members:
            if data is None:
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return archive


def rewrite_manifest(members: Members, change: Callable[[dict[str, object]], None]) -> Members:
    result: Members = []
    for info, data in members:
        if info.name == "manifest.json" and data is not None:
            manifest = json.loads(data)
            change(manifest)
            data = json.dumps(manifest).encode()
        result.append((info, data))
    return result


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with an empty SQLite database, migrated once for the module."""
    data_dir = tmp_path_factory.mktemp("migrated")
    staffroom(data_dir, "migrate", "--noinput", "-v", "0")
    return data_dir


@pytest.fixture(scope="module")
def source(
    tmp_path_factory: pytest.TempPathFactory, migrated: Path
) -> tuple[Path, Path, dict[str, object]]:
    """A seeded SQLite instance, its backup archive and a dump of its accounts."""
    data_dir = tmp_path_factory.mktemp("source")
    seed(data_dir, migrated=migrated)
    result = staffroom(data_dir, "backup")
    archive = Path(result.stdout.strip())
    return data_dir, archive, dump(data_dir)


def test_backup_writes_a_private_archive_with_manifest_and_checksums(source):
    data_dir, archive, _ = source
    assert archive.parent == data_dir / "backups"
    assert archive.name.startswith("staffroom-backup-")
    assert archive.name.endswith(".tar.gz")
    assert archive.stat().st_mode & 0o777 == 0o600
    names = {info.name: data for info, data in read_members(archive)}
    manifest = json.loads(names["manifest.json"] or b"")
    assert manifest["format_version"] == 1
    assert manifest["database_vendor"] == "sqlite"
    assert manifest["row_counts"]["accounts_user"] == 3
    assert "0001_initial" in manifest["migrations"]["accounts"]
    assert set(manifest["files"]) == {
        "database/staffroom.sqlite3",
        "media/avatars/2025/ada.png",
        "secret_key",
    }
    avatar_sha = hashlib.sha256(AVATAR).hexdigest()
    assert manifest["files"]["media/avatars/2025/ada.png"] == avatar_sha
    assert "media/empty-folder" in names


def test_restore_into_a_fresh_folder_brings_back_accounts_media_and_key(source, tmp_path):
    data_dir, archive, accounts = source
    target = tmp_path / "fresh"

    result = staffroom(target, "restore", str(archive))

    assert "Restored the backup" in result.stdout
    assert "secret key: restored" in result.stdout
    assert dump(target) == accounts
    assert (target / "media" / "avatars" / "2025" / "ada.png").read_bytes() == AVATAR
    assert (target / "media" / "empty-folder").is_dir()
    assert (target / "secret_key").read_bytes() == (data_dir / "secret_key").read_bytes()
    assert (target / "secret_key").stat().st_mode & 0o777 == 0o600
    assert not [path for path in target.iterdir() if path.name.startswith(".")]


def test_restore_refuses_a_database_in_use_without_force(source):
    data_dir, archive, _ = source
    before = tree(data_dir)

    result = staffroom(data_dir, "restore", str(archive), check=False)

    assert result.returncode == 1
    assert "already holds data" in result.stderr
    assert "accounts_user: 3 rows" in result.stderr
    assert "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(data_dir) == before


def test_restore_with_force_replaces_data_and_media(source, migrated, tmp_path):
    _, archive, accounts = source
    target = tmp_path / "other"
    migrated_copy(migrated, target)
    create = "from staffroom.accounts.services import account_create as c; "
    create += "c(email='zoe@elsewhere.example', handle='zoe', password='another long one')"
    staffroom(target, "shell", "-v", "0", "-c", create)
    (target / "media").mkdir()
    (target / "media" / "stale.txt").write_text("from the old instance")

    staffroom(target, "restore", "--force", str(archive))

    assert dump(target) == accounts
    assert not (target / "media" / "stale.txt").exists()
    assert (target / "media" / "avatars" / "2025" / "ada.png").read_bytes() == AVATAR


def test_restore_refuses_a_tampered_archive_and_changes_nothing(source, tmp_path):
    data_dir, archive, _ = source
    tampered = [
        (info, AVATAR[::-1] if info.name.endswith("ada.png") else data)
        for info, data in read_members(archive)
    ]
    bad = write_members(tmp_path / "tampered.tar.gz", tampered)
    before = tree(data_dir)

    result = staffroom(data_dir, "restore", "--force", str(bad), check=False)

    assert result.returncode == 1
    assert "Checksum mismatch for 'media/avatars/2025/ada.png'" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(data_dir) == before


def test_restore_refuses_a_path_traversal_member_and_changes_nothing(source, tmp_path):
    data_dir, archive, _ = source
    evil = tarfile.TarInfo("../evil")
    bad = write_members(tmp_path / "evil.tar.gz", [*read_members(archive), (evil, b"gotcha")])
    before = tree(data_dir)

    result = staffroom(data_dir, "restore", "--force", str(bad), check=False)

    assert result.returncode == 1
    assert "unsafe path: '../evil'" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(data_dir) == before
    assert not (data_dir.parent / "evil").exists()
    assert not (data_dir / "evil").exists()


def test_restore_refuses_a_backup_of_another_database_vendor(source, tmp_path):
    _, archive, _ = source

    def as_postgres(manifest: dict[str, object]) -> None:
        files = manifest["files"]
        assert isinstance(files, dict)
        files["database/staffroom.pgdump"] = files.pop("database/staffroom.sqlite3")
        manifest["database_vendor"] = "postgresql"

    members = rewrite_manifest(read_members(archive), as_postgres)
    for info, _data in members:
        if info.name == "database/staffroom.sqlite3":
            info.name = "database/staffroom.pgdump"
    bad = write_members(tmp_path / "pg.tar.gz", members)

    result = staffroom(tmp_path / "fresh", "restore", str(bad), check=False)

    assert result.returncode == 1
    assert "holds a PostgreSQL database" in result.stderr
    assert "configured for SQLite" in result.stderr


def test_restore_refuses_an_unknown_format_version(source, tmp_path):
    _, archive, _ = source
    members = rewrite_manifest(
        read_members(archive), lambda manifest: manifest.update(format_version=99)
    )
    bad = write_members(tmp_path / "future.tar.gz", members)

    result = staffroom(tmp_path / "fresh", "restore", str(bad), check=False)

    assert result.returncode == 1
    assert "format version 99" in result.stderr


def _member(name: str, kind: bytes = tarfile.REGTYPE, **extra: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    for key, value in extra.items():
        setattr(info, key, value)
    return info


@pytest.mark.parametrize(
    ("member", "problem"),
    [
        (_member("/etc/passwd"), "an unsafe path"),
        (_member("media/../../evil"), "an unsafe path"),
        (_member("./manifest.json"), "an unsafe path"),
        (_member("media//x"), "an unsafe path"),
        (_member("media/link", tarfile.SYMTYPE, linkname="/etc/passwd"), "a link or special file"),
        (_member("media/hard", tarfile.LNKTYPE, linkname="secret_key"), "a link or special file"),
        (_member("media/dev", tarfile.CHRTYPE), "a link or special file"),
        (_member("media/fifo", tarfile.FIFOTYPE), "a link or special file"),
        (_member("settings.py"), "an unexpected path"),
        (_member("database/other.db"), "an unexpected path"),
        (_member("media"), "an unexpected path"),
        (_member("media/avatars/a.png"), None),
        (_member("media/avatars", tarfile.DIRTYPE), None),
        (_member("database/staffroom.sqlite3"), None),
        (_member("secret_key"), None),
    ],
)
def test_member_problem_admits_only_expected_regular_files(member, problem):
    assert member_problem(member) == problem


def test_extract_archive_stops_at_a_symlink_before_writing_it(tmp_path):
    archive = write_members(
        tmp_path / "link.tar.gz",
        [(_member("media/link", tarfile.SYMTYPE, linkname="/etc/passwd"), None)],
    )
    staging = tmp_path / "staging"
    staging.mkdir()

    with pytest.raises(BackupError, match="a link or special file: 'media/link'"):
        extract_archive(archive, staging)

    assert list(staging.iterdir()) == []


def test_extract_archive_requires_a_manifest(tmp_path):
    archive = write_members(tmp_path / "bare.tar.gz", [(_member("secret_key"), b"k")])
    staging = tmp_path / "staging"
    staging.mkdir()

    with pytest.raises(BackupError, match=r"no manifest\.json"):
        extract_archive(archive, staging)


def test_extract_archive_rejects_a_file_that_is_not_gzip(tmp_path):
    archive = tmp_path / "notes.tar.gz"
    archive.write_text("not an archive")

    with pytest.raises(BackupError, match="not a readable"):
        extract_archive(archive, tmp_path)


@pytest.fixture
def postgres_urls() -> Iterator[tuple[str, str]]:
    """Two new, empty PostgreSQL databases (dropped afterwards), as DATABASE_URLs."""
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not on PATH (install the PostgreSQL client tools)")
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL at 127.0.0.1:5432 for user postgres with trust auth: {error}")
    names = [f"staffroom_backup_test_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    try:
        for name in names:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        yield (
            f"postgres://postgres@127.0.0.1:5432/{names[0]}",
            f"postgres://postgres@127.0.0.1:5432/{names[1]}",
        )
    finally:
        for name in names:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            admin.execute(drop.format(sql.Identifier(name)))
        admin.close()


def test_postgres_backup_restores_into_another_database(postgres_urls, tmp_path):
    source_url, target_url = postgres_urls
    source_dir, target_dir = tmp_path / "source", tmp_path / "target"
    seed(source_dir, source_url)
    archive = Path(staffroom(source_dir, "backup", database_url=source_url).stdout.strip())
    with tarfile.open(archive, "r:gz") as tar:
        assert "database/staffroom.pgdump" in tar.getnames()

    staffroom(target_dir, "restore", str(archive), database_url=target_url)

    assert dump(target_dir, target_url) == dump(source_dir, source_url)
    assert (target_dir / "media" / "avatars" / "2025" / "ada.png").read_bytes() == AVATAR
    assert (target_dir / "secret_key").read_bytes() == (source_dir / "secret_key").read_bytes()
    again = staffroom(target_dir, "restore", str(archive), database_url=target_url, check=False)
    assert again.returncode == 1
    assert "already holds data" in again.stderr
    forced = staffroom(target_dir, "restore", "--force", str(archive), database_url=target_url)
    assert "Warning: Row count" not in forced.stderr
    assert dump(target_dir, target_url) == dump(source_dir, source_url)
