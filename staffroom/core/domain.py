"""The server's domain, fixed on first use and kept in the database (core.InstanceDomain).

STAFFROOM_DOMAIN is in every local URI and address (`https://DOMAIN/users/ada`,
`ada@DOMAIN`), which other servers and clients keep: it must not change by accident. Read
from the environment at each start, a forgotten variable used to mean `localhost:8000`
silently, for accounts created from that shell for ever. So the first `staffroom` command
that can mint URIs stores the domain it runs with, and later ones compare:

- STAFFROOM_DOMAIN set to the stored domain, or not set: the stored one is used;
- set to another: refused (`DomainMismatch`), naming both and the deliberate way to move,
  `staffroom domain --change NEW`.

The check runs in the `staffroom` command (staffroom/cli.py) before Django's command does,
since every derived setting (ALLOWED_HOSTS, the OpenID issuer, the sender address, the
CSRF origins) is computed from the variable when the settings load: when the variable is
unset and the stored domain differs from the default, the command restarts itself with the
variable set, so no setting is left with the wrong domain. Nothing happens before `migrate`
made the table: migrations run on an empty database as before.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import django
from django.apps import apps
from django.conf import settings
from django.core.management import execute_from_command_line
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

DEFAULT_DOMAIN = "localhost:8000"
# Commands that run before the domain is known or mint no addresses skip the check:
# `migrate` must run on an empty database, `domain` is the way to change it, and `restore`
# brings back a database with its own.
DOMAIN_FREE_COMMANDS = frozenset(
    {
        "help", "version", "check", "migrate", "makemigrations", "showmigrations", "sqlmigrate",
        "squashmigrations", "optimizemigration", "collectstatic", "findstatic",
        "compilemessages", "makemessages", "dbshell", "diffsettings", "restore", "domain",
    }
)  # fmt: skip


class DomainMismatch(Exception):
    """STAFFROOM_DOMAIN names another domain than the one this server's data was made for."""


def command_execute(args: list[str]) -> None:
    """Run the `staffroom` command `args` (Django's management commands) once the domain is
    settled: refused with another STAFFROOM_DOMAIN than the stored one; without one, run
    with the stored one, restarting this process when the settings were computed from
    another. This module imports no models, so the `staffroom` command imports it before
    Django is set up."""
    if args and not args[0].startswith("-") and args[0] not in DOMAIN_FREE_COMMANDS:
        django.setup()
        _settle_for_command(args)
    execute_from_command_line(["staffroom", *args])


def _settle_for_command(args: list[str]) -> None:
    configured = os.environ.get("STAFFROOM_DOMAIN", "").strip() or None
    try:
        domain = domain_settle(configured=configured)
    except DomainMismatch as error:
        sys.stderr.write(f"staffroom: {error}\n")
        sys.exit(1)
    if domain is None or configured is not None:
        return
    # Children (serve's web workers, worker, scheduler) inherit it.
    os.environ["STAFFROOM_DOMAIN"] = domain
    if domain != settings.STAFFROOM_DOMAIN:
        # ALLOWED_HOSTS, the OpenID issuer and the like were derived from the default when
        # the settings loaded: start again with the variable set, so all follow it.
        connections.close_all()
        os.execv(sys.executable, [sys.executable, "-m", "staffroom.cli", *args])  # noqa: S606


def _rows() -> Any:
    """InstanceDomain's manager, looked up when called: this module loads before the apps."""
    return apps.get_model("core", "InstanceDomain")._default_manager


def stored_domain() -> str | None:
    """The domain this database was first used with; None before it was stored, or before
    `migrate` made the table."""
    try:
        found = _rows().order_by("pk").values_list("domain", flat=True).first()
    except DatabaseError:
        return None  # no table yet (or no database): the caller is about to migrate
    return None if found is None else str(found)


def _table_exists() -> bool:
    try:
        _rows().exists()
    except DatabaseError:
        return False
    return True


def domain_settle(*, configured: str | None) -> str | None:
    """The domain this process must use, given STAFFROOM_DOMAIN (`configured`, None when
    unset); the first call on a database stores it.

    Raises DomainMismatch when `configured` differs from the stored domain, and when a
    production server would store the default because the variable was forgotten. Returns
    None when there is no table yet (before `migrate`).
    """
    if not _table_exists():
        return None
    stored = stored_domain()
    if stored is None:
        if configured is None and settings.IS_PRODUCTION:
            raise DomainMismatch(
                f"STAFFROOM_DOMAIN is not set, and this production server has no domain yet. "
                f"Set STAFFROOM_DOMAIN to the server's public domain (not {DEFAULT_DOMAIN}): "
                f"it goes into every account's address, for good."
            )
        return _store(configured or settings.STAFFROOM_DOMAIN)
    if configured is not None and configured.lower() != stored.lower():
        raise DomainMismatch(
            f"STAFFROOM_DOMAIN is {configured}, but this server's data was made for {stored} "
            f"(its accounts' addresses and URIs name it). Unset STAFFROOM_DOMAIN or set it "
            f"to {stored}. To move the server to {configured} deliberately, run "
            f"`staffroom domain --change {configured}` (with STAFFROOM_DOMAIN unset) first."
        )
    return stored


def _store(domain: str) -> str:
    with transaction.atomic():
        if not _rows().select_for_update().exists():
            _rows().create(domain=domain, recorded_at=timezone.now())
    return stored_domain() or domain


def domain_change(new: str) -> str | None:
    """Store `new` as the server's domain; return the one it replaces (None if none).

    Nothing already stored is rewritten: addresses and URIs that other servers and clients
    saw under the old domain stop leading here.
    """
    new = new.strip()
    if not new or "/" in new or " " in new:
        raise ValueError(f"{new!r} is not a domain (e.g. pln.ourdistrict.org or host:port)")
    with transaction.atomic():
        row = _rows().select_for_update().order_by("pk").first()
        if row is None:
            _rows().create(domain=new, recorded_at=timezone.now())
            return None
        old = str(row.domain)
        row.domain = new
        row.recorded_at = timezone.now()
        row.save(update_fields=["domain", "recorded_at"])
    return old
