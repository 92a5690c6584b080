"""The timeline routes answer entities they built themselves without ninja validating them
again (`core.api.prebuilt`). What they answer must still be exactly what the documented
schema (`TimelineStatus`) accepts and would have answered: every item validates and dumps
back to itself, for every kind of post a page can hold."""

from __future__ import annotations

from typing import Any

import pytest

from staffroom.graph.services import follow_create, purpose_list_add_accounts, purpose_list_create
from staffroom.posts.models import Visibility
from staffroom.posts.services import (
    PostText,
    bookmark_create,
    favourite_create,
    reblog_create,
    status_create,
    status_edit,
    status_pin,
)
from staffroom.profiles.models import Profile
from staffroom.timelines.api.schemas import TimelineStatus
from tests.factories import make_profile
from tests.graph.test_api_helpers import bearer

pytestmark = pytest.mark.django_db


def _as_schema_answers(item: dict[str, Any]) -> dict[str, Any]:
    """What ninja made of an item before: validated, then dumped without unset fields."""
    return TimelineStatus.model_validate(item).model_dump(mode="json", exclude_unset=True)


def _maths_teacher(handle: str) -> Profile:
    return make_profile(handle, subjects=["math"], grades=["g7"])


@pytest.fixture
def world(run_jobs) -> dict[str, Any]:
    """Every kind of item: plain, Markdown with a link, mention and hashtag, a content
    warning, an edit, a reply, followers-only, a reshare, the viewer's own pinned post,
    favourited and bookmarked posts, and a suggested post from a maths teacher not
    followed."""
    ada, bo, cy = _maths_teacher("ada"), _maths_teacher("bo"), _maths_teacher("cy")
    stranger = _maths_teacher("stranger")
    follow_create(actor=ada, target=bo)
    follow_create(actor=ada, target=cy)
    run_jobs()
    plain = status_create(author=bo, draft=PostText(text="Plain words"))
    rich = status_create(
        author=bo,
        draft=PostText(
            text="**Fractions** with @cy, see [notes](https://example.org/f) #Math7",
            spoiler_text="Long read",
            language="en",
        ),
    )
    status_edit(
        editor=bo,
        status=rich,
        draft=PostText(text="Edited: fractions with @cy #Math7", spoiler_text="Long read"),
    )
    status_create(author=cy, draft=PostText(text="A reply"), in_reply_to=plain)
    status_create(author=cy, draft=PostText(text="Followers only"), visibility=Visibility.FOLLOWERS)
    reblog_create(actor=cy, status=plain)
    own = status_create(author=ada, draft=PostText(text="My own, pinned"))
    status_pin(actor=ada, status=own)
    favourite_create(actor=ada, status=plain)
    bookmark_create(actor=ada, status=rich)
    status_create(author=stranger, draft=PostText(text="Ratio tables for grade 7 #math7"))
    run_jobs()
    lists = purpose_list_create(actor=ada, title="Maths", purpose="resources")
    purpose_list_add_accounts(actor=ada, list_id=lists.pk, profile_ids=[bo.pk, cy.pk])
    run_jobs()
    return {"ada": ada, "list": lists}


def _pages(client, world: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    ada = world["ada"]
    auth = bearer(ada)
    paths = {
        "home": "/api/v1/timelines/home?pln_suggested=true",
        "list": f"/api/v1/timelines/list/{world['list'].pk}",
        "public": "/api/v1/timelines/public",
        "tag": "/api/v1/timelines/tag/math7",
    }
    pages = {name: client.get(path, **auth) for name, path in paths.items()}
    pages["public, signed out"] = client.get("/api/v1/timelines/public")
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/json; charset=utf-8"
    return {name: response.json() for name, response in pages.items()}


def test_every_timeline_item_is_exactly_what_the_schema_answers(client, world):
    pages = _pages(client, world)
    for name, items in pages.items():
        assert items, name
        for item in items:
            assert _as_schema_answers(item) == item, (name, item["id"])


def test_the_pages_hold_every_kind_of_item_the_schema_covers(client, world):
    """So that the test above checks what it says: reshares, replies, edits, content
    warnings, mentions, tags, the viewer's marks and pin, and a suggestion."""
    home = _pages(client, world)["home"]
    assert any(item["reblog"] for item in home)
    assert any(item["in_reply_to_id"] for item in home)
    assert any(item["edited_at"] and item["spoiler_text"] for item in home)
    assert any(item["mentions"] and item["tags"] for item in home)
    assert any(item.get("favourited") for item in home)
    assert any(item.get("bookmarked") for item in home)
    assert any(item.get("pinned") for item in home)
    assert any("suggested" in item["pln"] for item in home)


def test_an_anonymous_page_carries_no_viewer_fields(client, world):
    for item in _pages(client, world)["public, signed out"]:
        assert not {"favourited", "reblogged", "bookmarked", "muted", "pinned"} & item.keys()
