"""The `staffroom` command: Django's management commands plus serve, demo, backup, restore."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffroom.config.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["staffroom", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
