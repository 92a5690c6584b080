"""`staffroom createsuperuser`: Django's command, plus the handle every account needs.

The handle comes from `--handle`, DJANGO_SUPERUSER_HANDLE, or a prompt. The user and their
profile are created in one transaction, so an administrator never lacks a profile.
"""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth.management.commands import createsuperuser
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from staffroom.accounts.models import User
from staffroom.profiles.services import handle_check_available, profile_create_local


class Command(createsuperuser.Command):
    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--handle", help="The administrator's @handle.")

    def _ask_handle(self, options: dict[str, Any]) -> str:
        handle = options.get("handle") or os.environ.get("DJANGO_SUPERUSER_HANDLE", "")
        while True:
            if not handle:
                if not options.get("interactive", True):
                    raise CommandError("You must use --handle with --noinput.")
                handle = input("Handle: ").strip()
            try:
                handle_check_available(handle)
            except ValidationError as error:
                if not options.get("interactive", True):
                    raise CommandError("; ".join(error.messages)) from error
                self.stderr.write("Error: " + "; ".join(error.messages))
                handle = ""
                continue
            return handle

    def handle(self, *args: Any, **options: Any) -> None:
        handle = self._ask_handle(options)
        with transaction.atomic():
            known = set(User.objects.values_list("pk", flat=True))
            super().handle(*args, **options)
            created = User.objects.exclude(pk__in=known).filter(profile__isnull=True)
            for user in created:
                user.email_verified_at = user.email_verified_at or user.date_joined
                user.save(update_fields=["email_verified_at"])
                profile_create_local(user=user, handle=handle)
