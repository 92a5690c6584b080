"""The SQLite settings that keep teachers' data safe are really in force (SECURITY-PLAN DB-1)."""

import pytest
from django.conf import settings
from django.db import connection

sqlite_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="checks the SQLite profile",
)


def _pragma(name: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@sqlite_only
@pytest.mark.django_db
def test_sqlite_connection_has_foreign_keys_full_sync_and_busy_timeout():
    assert _pragma("foreign_keys") == 1
    assert _pragma("synchronous") == 2  # FULL
    assert _pragma("busy_timeout") == settings.SQLITE_TIMEOUT_SECONDS * 1000


def test_sqlite_profile_uses_wal_and_immediate_transactions(monkeypatch):
    from staffroom.config.settings.base import _database_from_env

    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = _database_from_env()
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


@sqlite_only
def test_sqlite_file_database_is_in_wal_mode(tmp_path):
    """An in-memory test database cannot use WAL, so open a real file with the same options."""
    import sqlite3

    from staffroom.config.settings.base import SQLITE_INIT_COMMAND

    db = sqlite3.connect(tmp_path / "check.sqlite3")
    for statement in filter(None, SQLITE_INIT_COMMAND.split(";")):
        db.execute(statement)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_postgres_profile_uses_the_connection_pool_without_persistent_connections(monkeypatch):
    from staffroom.config.settings.base import _database_from_env

    monkeypatch.setenv("DATABASE_URL", "postgres://staff:pw@db.internal:5432/staffroom")
    config = _database_from_env()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["CONN_MAX_AGE"] == 0
    assert config["OPTIONS"]["pool"]["max_size"] >= 1
