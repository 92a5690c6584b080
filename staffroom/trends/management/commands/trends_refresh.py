"""`staffroom trends_refresh`: recompute the trends now.

The periodic job `trends.refresh` does this every ten minutes; run it by hand after an
import, or to see at once what a change of the trend settings does.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from staffroom.trends.services import trends_refresh


class Command(BaseCommand):
    help = "Recompute the trending hashtags, links and posts now."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = trends_refresh()
        self.stdout.write(
            f"trend candidates: {counts['tag']} hashtags, {counts['link']} links, "
            f"{counts['status']} posts"
        )
