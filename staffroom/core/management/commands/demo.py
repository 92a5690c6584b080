"""`staffroom demo`: build the demo community (see core/demo.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from staffroom.core.demo import build_demo


class Command(BaseCommand):
    help = "Create a realistic demo community of teachers (for trying Staffroom out)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=300, help="How many teachers (2-5000).")
        parser.add_argument("--seed", type=int, default=7, help="Same seed, same community.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any account exists."
        )
        parser.add_argument(
            "--force", action="store_true", help="Allow this on a production server."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = get_user_model().objects
        if accounts.exists():
            if options["if_empty"]:
                self.stderr.write("demo: the database already has accounts; nothing to do.")
                return
            if accounts.filter(profile__handle__iexact="demo", profile__domain="").exists():
                raise CommandError("The demo community is already here (the account @demo exists).")
        if settings.IS_PRODUCTION and not options["force"]:
            raise CommandError(
                "This is a production server: demo accounts have a published password. "
                "Use --force if you really want them."
            )
        users = options["users"]
        if not 2 <= users <= 5000:
            raise CommandError("--users must be between 2 and 5000.")
        build_demo(users=users, seed=options["seed"], log=self.stderr.write)
        self.stderr.write(
            self.style.SUCCESS(
                f"Demo community ready: sign in as 'demo' with the password "
                f"'{settings.STAFFROOM_DEMO_PASSWORD}'."
            )
        )
