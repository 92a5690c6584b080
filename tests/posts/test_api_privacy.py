"""SECURITY-PLAN P-3 over the API: a post the caller may not see is answered on every route
exactly as an id that never existed, the same status code and the same body, and nothing
is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from staffroom.graph.services import block_create, connection_accept, connection_ask, follow_create
from staffroom.posts.models import Bookmark, Favourite, Status, StatusEdit
from staffroom.posts.services import reblog_create
from staffroom.profiles.models import Profile
from tests.factories import make_profile, make_user
from tests.graph.test_api_helpers import bearer, call

pytestmark = pytest.mark.django_db

# (method, path, body, anyone may call it)
ROUTES = [
    ("GET", "/api/v1/statuses/{id}", None, True),
    ("GET", "/api/v1/statuses/{id}/context", None, True),
    ("GET", "/api/v1/statuses/{id}/favourited_by", None, True),
    ("GET", "/api/v1/statuses/{id}/reblogged_by", None, True),
    ("GET", "/api/v1/statuses/{id}/history", None, True),
    ("GET", "/api/v1/statuses?id[]={id}", None, True),
    ("GET", "/api/v1/statuses/{id}/source", None, False),
    ("POST", "/api/v1/statuses/{id}/favourite", None, False),
    ("POST", "/api/v1/statuses/{id}/unfavourite", None, False),
    ("POST", "/api/v1/statuses/{id}/reblog", None, False),
    ("POST", "/api/v1/statuses/{id}/unreblog", None, False),
    ("POST", "/api/v1/statuses/{id}/bookmark", None, False),
    ("POST", "/api/v1/statuses/{id}/unbookmark", None, False),
    ("POST", "/api/v1/statuses/{id}/pin", None, False),
    ("POST", "/api/v1/statuses/{id}/unpin", None, False),
    ("POST", "/api/v1/statuses", {"status": "A reply", "in_reply_to_id": "{id}"}, False),
    ("PUT", "/api/v1/statuses/{id}", {"status": "Edited"}, False),
    ("DELETE", "/api/v1/statuses/{id}", None, False),
]


def _followers_only(ada: Profile, viewer: Profile, post: Callable[..., Status]) -> Status:
    return post(ada, "For my followers", visibility="followers")


def _connections_only(ada: Profile, viewer: Profile, post: Callable[..., Status]) -> Status:
    follow_create(actor=viewer, target=ada)  # a follower, not a connection
    return post(ada, "For my connections", visibility="connections")


def _direct_to_someone_else(ada: Profile, viewer: Profile, post: Callable[..., Status]) -> Status:
    make_user(handle="cy")
    follow_create(actor=viewer, target=ada)
    return post(ada, "@cy just you", visibility="direct")


def _author_blocks_viewer(ada: Profile, viewer: Profile, post: Callable[..., Status]) -> Status:
    status = post(ada, "Public, but not for you")
    block_create(actor=ada, target=viewer)
    return status


def _viewer_blocks_author(ada: Profile, viewer: Profile, post: Callable[..., Status]) -> Status:
    status = post(ada, "Public, from someone you block")
    block_create(actor=viewer, target=ada)
    return status


def _reshare_of_a_blocker(ada: Profile, viewer: Profile, post: Callable[..., Status]) -> Status:
    """A visible account's reshare of a post by someone who blocks the viewer."""
    original = post(ada, "Public, reshared")
    reshare = reblog_create(actor=make_profile("cy"), status=original)
    block_create(actor=ada, target=viewer)
    return reshare


HIDDEN = {
    "followers-only": _followers_only,
    "connections-only": _connections_only,
    "direct": _direct_to_someone_else,
    "author-blocks-viewer": _author_blocks_viewer,
    "viewer-blocks-author": _viewer_blocks_author,
    "reshare-of-a-blocker": _reshare_of_a_blocker,
}
# Anonymous callers cannot be blocked; what hides a post from them is its audience.
ANONYMOUS_HIDDEN = ("followers-only", "connections-only", "direct")


def _answer(client: Any, route: tuple[str, str, Any, bool], status_id: int, headers: Any) -> Any:
    method, path, body, _anyone = route
    if body is not None:
        body = {key: value.format(id=status_id) for key, value in body.items()}
    response = call(client, method, path.format(id=status_id), headers, body)
    return response.status_code, response.json()


def _unknown_id(status: Status) -> int:
    unknown = status.pk + 1_000_003
    assert not Status.objects.filter(pk=unknown).exists()
    return unknown


@pytest.mark.parametrize("case", list(HIDDEN))
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: f"{route[0]} {route[1]}")
def test_hidden_post_answers_as_an_unknown_one_to_a_signed_in_caller(
    client, ada, bo, post, case, route
):
    hidden = HIDDEN[case](ada, bo, post)
    headers = bearer(bo)
    before = (Status.objects.count(), Favourite.objects.count(), Bookmark.objects.count())
    hidden_answer = _answer(client, route, hidden.pk, headers)
    unknown_answer = _answer(client, route, _unknown_id(hidden), headers)
    assert hidden_answer == unknown_answer
    assert hidden_answer[0] in (200, 404)  # 200 only for the list of several posts
    after = (Status.objects.count(), Favourite.objects.count(), Bookmark.objects.count())
    assert after == before
    assert StatusEdit.objects.count() == 0
    hidden.refresh_from_db()
    assert hidden.pinned_at is None


@pytest.mark.parametrize("case", ANONYMOUS_HIDDEN)
@pytest.mark.parametrize("route", [r for r in ROUTES if r[3]], ids=lambda route: route[1])
def test_hidden_post_answers_as_an_unknown_one_to_an_anonymous_caller(
    client, ada, bo, post, case, route
):
    hidden = HIDDEN[case](ada, bo, post)
    hidden_answer = _answer(client, route, hidden.pk, {})
    assert hidden_answer == _answer(client, route, _unknown_id(hidden), {})


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: f"{route[0]} {route[1]}")
def test_the_matrix_routes_do_answer_for_a_visible_post(client, ada, bo, post, route):
    """The matrix would prove nothing if every route answered 404 anyway: a post bo may
    see gets a different answer than an unknown id (for bo's own post where only the
    author may act)."""
    follow_create(actor=bo, target=ada)
    own = route[1].endswith(("/pin", "/unpin", "/source")) or route[0] in ("PUT", "DELETE")
    status = post(bo if own else ada, "Visible to bo", visibility="followers")
    if route[1].endswith("/reblog"):
        status = post(ada, "Visible to bo")
    visible = _answer(client, route, status.pk, bearer(bo))
    unknown = _answer(client, route, _unknown_id(status), bearer(bo))
    assert visible != unknown
    assert visible[0] == 200


def test_followers_only_post_becomes_visible_after_following(client, ada, bo, post):
    status = post(ada, "For my followers", visibility="followers")
    path = f"/api/v1/statuses/{status.pk}"
    assert client.get(path, **bearer(bo)).status_code == 404
    follow_create(actor=bo, target=ada)
    assert client.get(path, **bearer(bo)).status_code == 200
    assert client.get(path).status_code == 404
    connection_ask(actor=bo, target=ada)
    connection_accept(actor=ada, requester=bo)
    assert client.get(path, **bearer(bo)).json()["pln"]["visibility"] == "followers"
