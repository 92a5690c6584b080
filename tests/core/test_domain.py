"""The server's domain is fixed at first use and kept in the database: a later start with
another STAFFROOM_DOMAIN is refused with both domains named, a start without it uses the
stored one (new accounts get addresses under it), and `staffroom domain --change` moves it
deliberately. Migrations still run on an empty database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from staffroom.core.domain import (
    DOMAIN_FREE_COMMANDS,
    DomainMismatch,
    domain_change,
    domain_settle,
    stored_domain,
)
from staffroom.core.models import InstanceDomain

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_first_start_stores_its_domain_and_later_ones_use_it():
    assert stored_domain() is None
    assert domain_settle(configured="pln.example.org") == "pln.example.org"
    assert stored_domain() == "pln.example.org"
    assert domain_settle(configured=None) == "pln.example.org"  # the variable forgotten
    assert domain_settle(configured="PLN.example.org") == "pln.example.org"
    assert InstanceDomain.objects.count() == 1


@pytest.mark.django_db
def test_a_start_with_another_domain_is_refused_naming_both_and_the_way_to_move():
    domain_settle(configured="pln.example.org")
    with pytest.raises(DomainMismatch) as refused:
        domain_settle(configured="localhost:8000")
    message = str(refused.value)
    assert "STAFFROOM_DOMAIN is localhost:8000" in message
    assert "made for pln.example.org" in message
    assert "staffroom domain --change localhost:8000" in message
    assert stored_domain() == "pln.example.org"


@pytest.mark.django_db
def test_without_the_variable_a_first_start_stores_the_settings_domain(settings):
    settings.STAFFROOM_DOMAIN = "localhost:8123"
    assert domain_settle(configured=None) == "localhost:8123"
    assert stored_domain() == "localhost:8123"


@pytest.mark.django_db
def test_a_production_server_never_stores_the_default_domain(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(DomainMismatch, match="STAFFROOM_DOMAIN is not set"):
        domain_settle(configured=None)
    assert stored_domain() is None


@pytest.mark.django_db
def test_the_domain_command_shows_and_changes_the_stored_domain(capsys):
    domain_settle(configured="old.example")
    call_command("domain")
    assert "stored: old.example" in capsys.readouterr().out
    call_command("domain", "--change", "new.example")
    assert "now new.example (was old.example)" in capsys.readouterr().out
    assert domain_settle(configured="new.example") == "new.example"
    with pytest.raises(CommandError, match="not a domain"):
        call_command("domain", "--change", "https://new.example/")
    assert domain_change("third.example") == "new.example"


def test_migrate_and_the_domain_command_skip_the_check():
    assert {"migrate", "domain", "restore", "makemigrations"} <= DOMAIN_FREE_COMMANDS
    assert not {"serve", "shell", "demo", "createsuperuser", "backup"} & DOMAIN_FREE_COMMANDS


# --- The `staffroom` command itself, on a fresh SQLite database ---------------------------

_SHOW = (
    "from django.conf import settings; from staffroom.profiles.uris import local_profile_uri; "
    "print(settings.STAFFROOM_DOMAIN, local_profile_uri('ada'), settings.ALLOWED_HOSTS[0])"
)


def _staffroom(data_dir: Path, *args: str, domain: str | None) -> subprocess.CompletedProcess[str]:
    dropped = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "STAFFROOM_DOMAIN", "ALLOWED_HOSTS"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env |= {
        "STAFFROOM_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "staffroom.config.settings.base",
        "STAFFROOM_ENV": "local",
    }
    if domain is not None:
        env["STAFFROOM_DOMAIN"] = domain
    return subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "staffroom.cli", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_the_staffroom_command_keeps_the_first_domain_until_changed_deliberately(tmp_path):
    data = tmp_path / "data"
    # Migrations run on the empty database whatever the variable says, and store nothing.
    migrated = _staffroom(data, "migrate", "--noinput", "-v", "0", domain="first.example")
    assert migrated.returncode == 0, migrated.stderr
    database = sqlite3.connect(data / "staffroom.sqlite3")
    assert database.execute("SELECT domain FROM core_instancedomain").fetchall() == []

    first = _staffroom(data, "shell", "-c", _SHOW, domain="first.example")
    assert first.returncode == 0, first.stderr
    assert database.execute("SELECT domain FROM core_instancedomain").fetchall() == [
        ("first.example",)
    ]

    other = _staffroom(data, "shell", "-c", _SHOW, domain="second.example")
    assert other.returncode == 1
    assert "STAFFROOM_DOMAIN is second.example" in other.stderr
    assert "made for first.example" in other.stderr
    assert "staffroom domain --change second.example" in other.stderr
    assert other.stdout == ""  # the shell never ran

    # Forgotten: the stored domain, in the URIs and in the settings derived from it.
    unset = _staffroom(data, "shell", "-c", _SHOW, domain=None)
    assert unset.returncode == 0, unset.stderr
    assert unset.stdout.splitlines()[-1].split() == [
        "first.example",
        "http://first.example/users/ada",
        "first.example",
    ]

    changed = _staffroom(data, "domain", "--change", "second.example", domain=None)
    assert changed.returncode == 0, changed.stderr
    moved = _staffroom(data, "shell", "-c", _SHOW, domain="second.example")
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.splitlines()[-1].split()[0] == "second.example"
    database.close()
