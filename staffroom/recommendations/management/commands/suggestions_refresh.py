"""`staffroom suggestions_refresh`: rebuild the suggestions' graph-wide snapshot now.

The periodic job does this every STAFFROOM_SUGGESTIONS_REFRESH_MINUTES; run it by hand after
an import, or to see how long a rebuild takes on this server's graph.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from staffroom.recommendations.snapshot import snapshot_build


class Command(BaseCommand):
    help = "Rebuild the graph-wide snapshot that suggestions read."

    def handle(self, *args: Any, **options: Any) -> None:
        row = snapshot_build()
        self.stdout.write(
            f"snapshot {row.pk}: {row.accounts} accounts, {row.follows} follows, "
            f"{len(row.data) / 1e6:.1f} MB, built in {row.build_ms} ms"
        )
