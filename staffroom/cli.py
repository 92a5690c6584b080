"""The `staffroom` command: Django's management commands plus serve, demo, backup, restore.

Each command that could mint addresses first checks the server's domain (core/domain.py)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["recs"]:
        # The suggestion engine's commands need no database: skip Django's set-up entirely
        # (importing the settings would create a data folder and a secret key).
        from staffroom.recommendations.cli import main as recs_main

        sys.exit(recs_main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffroom.config.settings.base")
    # Imported only here: it brings Django in, which the recs commands above do without.
    from staffroom.core.domain import command_execute

    command_execute(args)


if __name__ == "__main__":
    main()
