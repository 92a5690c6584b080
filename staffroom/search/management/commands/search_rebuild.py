"""`staffroom search_rebuild [KIND ...]`: fill the search index again from the rows.

For a restore, an import written around the services, or a change to how documents are
built. Each kind is rebuilt in one transaction, so searches keep the old index until the
new one commits.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from staffroom.search.services import REBUILD_BATCH, index_rebuild, rebuildable_kinds


class Command(BaseCommand):
    def _progress(self, name: str) -> Callable[[int], None]:
        def report(done: int) -> None:
            self.stdout.write(f"{name}: {done} indexed")

        return report

    help = "Rebuild the full-text search index (all indexed kinds, or those named)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kinds", nargs="*", help="indexed kinds (default: all)")
        parser.add_argument("--batch", type=int, default=REBUILD_BATCH)

    def handle(self, *args: Any, **options: Any) -> None:
        known = [kind.name for kind in rebuildable_kinds()]
        wanted = options["kinds"] or known
        unknown = sorted(set(wanted) - set(known))
        if unknown:
            raise CommandError(
                f"not indexed kinds: {', '.join(unknown)} (known: {', '.join(known)})"
            )
        for name in wanted:
            started = time.perf_counter()
            count = index_rebuild(
                name, batch=max(options["batch"], 1), progress=self._progress(name)
            )
            elapsed = time.perf_counter() - started
            self.stdout.write(f"{name}: {count} documents in {elapsed:.1f} s")
