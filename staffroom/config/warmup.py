"""Paying a web worker's one-off costs when it starts instead of on a teacher's request.

The first post a worker handled took 50 to 110 ms against 15 to 20 ms afterwards (the feed
benchmark posts over a new connection each time, so with two workers its first two posts
were both first ones): compiling linkify's host patterns (about 30 ms), filling Django's
table of named URLs on the first `reverse` (about 25 ms), and markdown-it's parser. Those
are built once per process, so each worker builds them as it starts."""

from __future__ import annotations

import gc

from django.urls import get_resolver, reverse

from staffroom.core.html import LinkTargets, counted_length, plain_text, render_markdown

_SAMPLE = "Warm **up**: https://example.org/a-page, [notes](https://example.org) #edchat @someone"


def warm_up() -> None:
    """Build the text pipeline and the URL tables once, then freeze what the worker has
    built so far (`gc.freeze`): modules, URL tables and settings live as long as the worker,
    and a full garbage collection that walked them on a teacher's request cost tens of ms
    (the slowest 5% of the suggestions benchmark's requests). No database access."""
    resolver = get_resolver()
    for _prefix, namespace in resolver.namespace_dict.values():
        namespace.reverse_dict  # noqa: B018 - reading it fills it
    tag_url = reverse("posts:tag", args=["edchat"])
    targets = LinkTargets(
        mentions={"someone": "https://example.org/@someone"}, tag_url=lambda _name: tag_url
    )
    html = render_markdown(_SAMPLE, links=targets)
    plain_text(html)
    counted_length(_SAMPLE, per_url=23)
    gc.freeze()
