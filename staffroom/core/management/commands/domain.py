"""`staffroom domain`: show the server's stored domain; `--change NEW` moves it deliberately."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from staffroom.core.domain import domain_change, stored_domain


class Command(BaseCommand):
    help = (
        "Show the domain this server's data was made for (core/domain.py), or change it with "
        "--change NEW: addresses and URIs already handed out under the old one stop working."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--change", metavar="NEW", help="Store NEW as the server's domain.")

    def handle(self, *args: Any, change: str | None, **options: Any) -> None:
        if change is None:
            stored = stored_domain()
            self.stdout.write(f"stored: {stored or '(none yet)'}")
            self.stdout.write(f"STAFFROOM_DOMAIN: {settings.STAFFROOM_DOMAIN}")
            return
        try:
            old = domain_change(change)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"The server's domain is now {change.strip()} (was {old or 'not stored'}). "
            f"Set STAFFROOM_DOMAIN={change.strip()} (or leave it unset) and restart the server."
        )
