"""The counters everyone sees equal what a signed-out visitor can list.

A public post gets replies and reshares of every visibility, from authors in good standing,
removed by a moderator, suspended and deleted; favourites likewise. `replies_count`,
`reblogs_count` and `favourites_count` (API Status, the post's page) must count exactly the
replies in its context, the accounts in `reblogged_by` and those in `favourited_by` that a
signed-out visitor gets, however the rows changed. An account's `statuses_count` is
Mastodon's: every post of its own but direct ones, what an accepted follower can list.
`followers_count` / `following_count` are what the follow lists show signed out.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps as django_apps

from staffroom.graph.services import follow_create
from staffroom.moderation import services as moderation
from staffroom.posts.counters import counts_recount_all
from staffroom.posts.models import Status, Visibility
from staffroom.posts.services import (
    favourite_create,
    reblog_create,
    reblog_delete,
    status_delete,
)
from staffroom.profiles.models import Profile
from tests.factories import make_post, make_profile
from tests.graph.test_api_helpers import bearer

pytestmark = pytest.mark.django_db

OPEN = (Visibility.PUBLIC, Visibility.UNLISTED)


@dataclass
class Scene:
    author: Profile
    post: Status
    people: dict[str, Profile]
    replies: dict[str, Status]
    reshares: dict[str, Status]


@pytest.fixture
def scene(moderator) -> Scene:
    author = make_profile("ada")
    people = {name: make_profile(name) for name in ("bo", "cy", "dee", "eve", "fay", "gus")}
    for person in people.values():
        follow_create(actor=person, target=author)
    post = make_post(author, "Fractions with pizza")
    replies = {
        "public": make_post(people["bo"], "Yes", in_reply_to=post),
        "unlisted": make_post(people["cy"], "Quiet yes", in_reply_to=post, visibility="unlisted"),
        "followers": make_post(
            people["dee"], "Only followers", in_reply_to=post, visibility="followers"
        ),
        "connections": make_post(
            people["eve"], "Only connections", in_reply_to=post, visibility="connections"
        ),
        "direct": make_post(people["fay"], "@ada just you", in_reply_to=post, visibility="direct"),
        "removed": make_post(people["fay"], "Rule breaker", in_reply_to=post),
        "suspended": make_post(people["gus"], "Later suspended", in_reply_to=post),
        "deleted": make_post(people["eve"], "Changed my mind", in_reply_to=post),
    }
    reshares = {
        "public": reblog_create(actor=people["bo"], status=post),
        "unlisted": reblog_create(actor=people["cy"], status=post, visibility="unlisted"),
        "followers": reblog_create(actor=people["dee"], status=post, visibility="followers"),
        "suspended": reblog_create(actor=people["gus"], status=post),
        "undone": reblog_create(actor=people["eve"], status=post),
    }
    for name in ("bo", "cy", "gus"):
        favourite_create(actor=people[name], status=post)
    moderation.status_remove(actor=moderator, status_id=replies["removed"].pk)
    status_delete(actor=people["eve"], status=replies["deleted"])
    reblog_delete(actor=people["eve"], status=post)
    moderation.account_suspend(actor=moderator, account_id=people["gus"].pk)
    return Scene(author, post, people, replies, reshares)


def _counters(client: Any, post: Status) -> dict[str, int]:
    body = client.get(f"/api/v1/statuses/{post.pk}").json()
    return {name: body[name] for name in ("replies_count", "reblogs_count", "favourites_count")}


def _listed(client: Any, post: Status) -> dict[str, int]:
    """What a signed-out visitor can list: the replies in the post's context (all direct
    replies here), who reshared it and who favourited it."""
    base = f"/api/v1/statuses/{post.pk}"
    return {
        "replies_count": len(client.get(f"{base}/context").json()["descendants"]),
        "reblogs_count": len(client.get(f"{base}/reblogged_by").json()),
        "favourites_count": len(client.get(f"{base}/favourited_by").json()),
    }


def test_counters_count_what_a_signed_out_visitor_can_list(client, scene):
    assert _counters(client, scene.post) == _listed(client, scene.post)
    # Public and unlisted replies and reshares by people in good standing; bo and cy's likes.
    assert _counters(client, scene.post) == {
        "replies_count": 2,
        "reblogs_count": 2,
        "favourites_count": 2,
    }


def test_the_posts_page_shows_the_count_a_visitor_can_read(client, scene):
    page = client.get(f"/@ada/{scene.post.pk}").content.decode()
    assert "2 replies" in page
    assert "8 replies" not in page


def test_counters_follow_a_restored_reply_and_a_lifted_suspension(client, scene, moderator):
    moderation.status_restore(actor=moderator, status_id=scene.replies["removed"].pk)
    moderation.account_unsuspend(actor=moderator, account_id=scene.people["gus"].pk)
    assert _counters(client, scene.post) == _listed(client, scene.post)
    assert _counters(client, scene.post) == {
        "replies_count": 4,
        "reblogs_count": 3,
        "favourites_count": 3,
    }


def test_hidden_replies_deleted_or_removed_never_take_a_visible_one_off(client, scene, moderator):
    moderation.status_remove(actor=moderator, status_id=scene.replies["followers"].pk)
    for name in ("connections", "direct"):
        reply = scene.replies[name]
        status_delete(actor=reply.account, status=reply)
    assert _counters(client, scene.post)["replies_count"] == 2


def test_counters_after_the_authors_of_counted_rows_delete_their_accounts(client, scene):
    from staffroom.posts.deletions import posts_delete

    # bo's rows counted, gus's (suspended) counted nowhere already, fay's reply was removed.
    for name in ("bo", "gus", "fay"):
        user = scene.people[name].user
        assert user is not None
        posts_delete(user)
    assert _counters(client, scene.post) == _listed(client, scene.post)
    assert _counters(client, scene.post) == {
        "replies_count": 1,
        "reblogs_count": 1,
        "favourites_count": 1,
    }


def test_a_recount_and_the_data_migration_agree_with_the_services(client, scene):
    expected = _counters(client, scene.post)
    Status.objects.filter(pk=scene.post.pk).update(
        replies_count=8, reblogs_count=5, favourites_count=3
    )
    counts_recount_all()
    assert _counters(client, scene.post) == expected
    Status.objects.filter(pk=scene.post.pk).update(
        replies_count=8, reblogs_count=5, favourites_count=3
    )
    migration = importlib.import_module("staffroom.posts.migrations.0006_recount_public_counters")
    migration.recount(django_apps, None)
    assert _counters(client, scene.post) == expected


def test_statuses_count_is_every_post_but_direct_ones_as_a_follower_lists_them(client, scene):
    author = scene.author
    for visibility in (*OPEN, "followers", "direct"):
        make_post(author, f"A {visibility} post", visibility=visibility)
    follower = scene.people["dee"]
    body = client.get(f"/api/v1/accounts/{author.pk}").json()
    listed = client.get(
        f"/api/v1/accounts/{author.pk}/statuses?limit=40", **bearer(follower, "read")
    ).json()
    assert body["statuses_count"] == len(listed) == 4


def test_follow_counts_equal_the_follow_lists_signed_out(client, scene):
    author = scene.author
    body = client.get(f"/api/v1/accounts/{author.pk}").json()
    followers = client.get(f"/api/v1/accounts/{author.pk}/followers?limit=80").json()
    # gus is suspended: hidden from the list and, as on Mastodon, still in the count.
    assert body["followers_count"] == len(followers) + 1
    bo = scene.people["bo"]
    body = client.get(f"/api/v1/accounts/{bo.pk}").json()
    following = client.get(f"/api/v1/accounts/{bo.pk}/following").json()
    assert body["following_count"] == len(following) == 1
