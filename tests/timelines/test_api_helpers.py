"""Helpers for the timelines API tests (ids of a page, posting with fan-out run), and the
test of the one helper with logic of its own: how suggestions are spread on a page."""

from __future__ import annotations

from typing import Any

from staffroom.timelines.api._common import mix_suggestions

# Mastodon's Status keys (plus `pln`), as the posts tests check them.
STATUS_KEYS = {
    "id", "uri", "url", "created_at", "account", "content", "visibility", "sensitive",
    "spoiler_text", "media_attachments", "application", "mentions", "tags", "emojis",
    "reblogs_count", "favourites_count", "replies_count", "in_reply_to_id",
    "in_reply_to_account_id", "reblog", "poll", "card", "language", "edited_at", "pln",
}  # fmt: skip


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()]


def regular_ids(response: Any) -> list[str]:
    """The page's ids without the suggested items."""
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json() if "suggested" not in item["pln"]]


def _items(prefix: str, count: int) -> list[dict[str, Any]]:
    return [{"id": f"{prefix}{number}"} for number in range(count)]


def _order(mixed: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in mixed]


def test_suggestions_are_spread_between_regular_items_never_first():
    assert _order(mix_suggestions(_items("r", 6), _items("s", 2))) == [
        "r0", "r1", "s0", "r2", "r3", "s1", "r4", "r5",
    ]  # fmt: skip
    assert _order(mix_suggestions(_items("r", 20), _items("s", 1)))[10] == "s0"
    assert _order(mix_suggestions(_items("r", 2), _items("s", 3))) == ["r0", "s0", "r1", "s1", "s2"]
    assert _order(mix_suggestions([], _items("s", 2))) == ["s0", "s1"]
    assert _order(mix_suggestions(_items("r", 3), [])) == ["r0", "r1", "r2"]
