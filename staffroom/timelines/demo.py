"""The feeds and counters parts of the demo community. The demo writes follows and posts in
bulk, which enqueues no fan-out and moves no counter: every post is fanned out into the
stored home and purpose-list feeds by the same rules as a post made through the product,
then every profile's counters are recounted."""

from __future__ import annotations

from staffroom.core.demo import DemoContext, demo_part
from staffroom.profiles.stats import stats_recount
from staffroom.timelines.fanout import rebuild_all


@demo_part(order=50, name="feeds")
def demo_feeds(context: DemoContext) -> None:
    rows = rebuild_all()
    context.log(f"demo: {rows} feed rows")


@demo_part(order=60, name="counters")
def demo_counters(context: DemoContext) -> None:
    """The demo's follows and posts were written in bulk, which moves no counter."""
    context.log(f"demo: counters of {stats_recount()} profiles")
