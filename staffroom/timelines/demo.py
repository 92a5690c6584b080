"""The feeds part of the demo community: every demo post fanned out into the stored home
and purpose-list feeds, by the same rules as a post made through the product (the demo
writes posts in bulk, which enqueues no fan-out)."""

from __future__ import annotations

from staffroom.core.demo import DemoContext, demo_part
from staffroom.timelines.fanout import rebuild_all


@demo_part(order=50, name="feeds")
def demo_feeds(context: DemoContext) -> None:
    rows = rebuild_all()
    context.log(f"demo: {rows} feed rows")
