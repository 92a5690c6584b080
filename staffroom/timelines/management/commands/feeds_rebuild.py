"""`staffroom feeds_rebuild`: fan every post out again into the stored feeds.

For rows written around the product (a bulk import, a restore of posts without their feed
rows). Idempotent: rows already there are kept, so it can run on a live server.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from staffroom.timelines.fanout import rebuild_all


class Command(BaseCommand):
    help = "Fan every post out again into the stored home and list feeds (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = rebuild_all()
        self.stdout.write(f"{rows} feed rows written or already there")
