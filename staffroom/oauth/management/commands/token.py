"""`staffroom token HANDLE [--scopes "read write follow push"]`: a token for scripts.

Only the token goes to stdout (so `TOKEN=$(staffroom token demo)` works); messages go to
stderr. Every token comes from one local application, made on first use.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from staffroom.accounts.models import User
from staffroom.core.exceptions import DomainError
from staffroom.oauth.services import personal_token_create


class Command(BaseCommand):
    help = "Print a new access token for a local account (for scripts and API clients)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("handle", help="The account's handle, with or without @.")
        parser.add_argument(
            "--scopes", default="read write follow push", help="Space-separated OAuth scopes."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        handle = str(options["handle"]).lstrip("@")
        user = User.objects.filter(
            profile__handle__iexact=handle, profile__domain="", is_active=True
        ).first()
        if user is None:
            raise CommandError(f"No active local account has the handle @{handle}.")
        try:
            issued = personal_token_create(user=user, scopes=options["scopes"])
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stderr.write(f"Token for @{handle} with scopes: {options['scopes']}")
        self.stdout.write(issued.raw_token)
