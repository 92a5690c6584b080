"""What is published to the broker after each domain event (the broker itself captured)."""

from __future__ import annotations

import pytest
from django.db import transaction

from staffroom.core.events import StatusDeleted
from staffroom.graph.services import (
    connection_accept,
    connection_ask,
    follow_create,
    purpose_list_add_accounts,
    purpose_list_create,
)
from staffroom.media.services import media_upload
from staffroom.notifications.models import Notification
from staffroom.posts.models import Status
from staffroom.posts.removal import status_remove
from staffroom.posts.services import PostText, reblog_create, status_delete, status_edit
from staffroom.profiles.models import Profile
from staffroom.profiles.standing import profile_limit
from staffroom.streaming import broker
from staffroom.streaming.messages import (
    CONVERSATION,
    DELETE,
    NOTIFICATION,
    STATUS_UPDATE,
    UPDATE,
    StreamMessage,
)
from staffroom.streaming.subscribers import stream_deleted_status
from tests.factories import make_post, make_profiles
from tests.media.conftest import png_bytes, upload

pytestmark = pytest.mark.django_db

Published = list[StreamMessage]


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> Published:
    sent: Published = []
    monkeypatch.setattr(broker, "publish", sent.append)
    return sent


def keys_of(sent: Published, event: str, status_id: int | None = None) -> set[str]:
    return {
        key
        for message in sent
        if message.event == event and (status_id is None or message.status_id == status_id)
        for key in message.keys
    }


def is_public(key: str) -> bool:
    return key.startswith(("public", "hashtag:"))


def test_a_public_post_goes_to_the_public_hashtag_and_home_streams(ada, bo, published, run_jobs):
    follow_create(actor=bo, target=ada)
    image = media_upload(owner=ada, upload=upload(png_bytes(), "plan.png"))
    status = make_post(ada, "A #Fractions plan", media_ids=[image.pk])
    assert published == []  # nothing before commit
    run_jobs()
    assert keys_of(published, UPDATE, status.pk) == {
        "public",
        "public:local",
        "public:media",
        "public:local:media",
        "hashtag:fractions",
        "hashtag:local:fractions",
        f"user:{ada.pk}",
        f"user:{bo.pk}",
    }


def test_lists_get_the_posts_fanned_out_to_them(ada, bo, published, run_jobs):
    follow_create(actor=bo, target=ada)
    maths = purpose_list_create(actor=bo, title="Maths")
    purpose_list_add_accounts(actor=bo, list_id=maths.pk, profile_ids=[ada.pk])
    run_jobs()
    status = make_post(ada, "Without media")
    run_jobs()
    keys = keys_of(published, UPDATE, status.pk)
    assert f"list:{maths.pk}" in keys
    assert "public:media" not in keys


def test_nothing_is_published_for_a_rolled_back_post(ada, published, run_jobs):
    def post_then_fail() -> None:
        with transaction.atomic():
            make_post(ada, "Never mind #fractions")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        post_then_fail()
    run_jobs()
    assert published == []


@pytest.mark.parametrize("visibility", ["followers", "connections", "unlisted"])
def test_a_post_not_listed_publicly_never_reaches_public_or_hashtag_streams(
    ada, bo, published, run_jobs, visibility
):
    follow_create(actor=bo, target=ada)
    connection_ask(actor=ada, target=bo)
    connection_accept(actor=bo, requester=ada)
    status = make_post(ada, "Only for some #fractions", visibility=visibility)
    run_jobs()
    keys = keys_of(published, UPDATE, status.pk)
    assert f"user:{bo.pk}" in keys
    assert not [key for key in keys if is_public(key)]


def test_the_public_streams_list_exactly_what_the_public_timeline_lists(
    client, ada, bo, cy, published, run_jobs
):
    """Replies, reshares and a limited author's posts: the stream and the REST timelines
    answer the same."""
    original = make_post(ada, "Original #fractions")
    reply = make_post(bo, "A reply to ada #fractions", in_reply_to=original)
    reshare = reblog_create(actor=bo, status=original)
    profile_limit(profile=cy)
    limited = make_post(cy, "Limited #fractions")
    run_jobs()
    made = [original, reply, reshare, limited]
    streamed = {message.status_id for message in published if "public" in message.keys}
    tagged = {m.status_id for m in published if "hashtag:fractions" in m.keys}
    listed = {int(entity["id"]) for entity in client.get("/api/v1/timelines/public").json()}
    on_tag = {int(item["id"]) for item in client.get("/api/v1/timelines/tag/fractions").json()}
    assert streamed == listed & {status.pk for status in made}
    assert tagged == on_tag & {status.pk for status in made}
    assert reshare.pk not in streamed
    assert limited.pk not in streamed
    assert original.pk in streamed


def test_a_direct_post_goes_to_the_direct_streams_of_author_and_mentioned(
    ada, bo, cy, published, run_jobs
):
    status = make_post(ada, "@bo just between us #fractions", visibility="direct")
    run_jobs()
    # Mastodon sends the conversation there, not the post.
    assert not [key for key in keys_of(published, UPDATE, status.pk) if key.startswith("direct:")]
    keys = keys_of(published, CONVERSATION, status.pk)
    assert {f"direct:{ada.pk}", f"direct:{bo.pk}"} <= keys
    assert f"direct:{cy.pk}" not in keys
    assert not [key for key in keys if is_public(key)]


def test_an_edit_goes_to_every_feed_holding_the_post_and_the_public_streams(
    ada, bo, published, run_jobs
):
    follow_create(actor=bo, target=ada)
    status = make_post(ada, "First #fractions")
    run_jobs()
    published.clear()
    status_edit(editor=ada, status=status, draft=PostText(text="Second #fractions"))
    run_jobs()
    assert keys_of(published, STATUS_UPDATE, status.pk) == {
        f"user:{ada.pk}",
        f"user:{bo.pk}",
        "public",
        "public:local",
        "hashtag:fractions",
        "hashtag:local:fractions",
    }


def test_a_delete_goes_to_the_author_followers_and_public_streams(ada, bo, cy, published, run_jobs):
    follow_create(actor=bo, target=ada)
    status = make_post(ada, "Soon gone")
    run_jobs()
    published.clear()
    status_delete(actor=ada, status=status)
    assert published == []
    run_jobs()
    (message,) = [message for message in published if message.event == DELETE]
    assert message.payload == str(status.pk)
    assert {f"user:{ada.pk}", f"user:{bo.pk}", "public", "public:local"} <= set(message.keys)
    assert f"user:{cy.pk}" not in message.keys


def test_a_followers_only_delete_is_not_sent_to_public_streams(ada, bo, published, run_jobs):
    follow_create(actor=bo, target=ada)
    status = make_post(ada, "Soon gone", visibility="followers")
    run_jobs()
    published.clear()
    status_delete(actor=ada, status=status)
    run_jobs()
    assert keys_of(published, DELETE) == {f"user:{ada.pk}", f"user:{bo.pk}"}


def test_a_deleted_public_post_is_a_delete_on_its_hashtags_and_the_lists_holding_its_author(
    ada, bo, published, run_jobs
):
    follow_create(actor=bo, target=ada)
    science = purpose_list_create(actor=bo, title="Science")
    purpose_list_add_accounts(actor=bo, list_id=science.pk, profile_ids=[ada.pk])
    status = make_post(ada, "Soon gone #Fractions")
    run_jobs()
    published.clear()
    status_delete(actor=ada, status=status)
    run_jobs()
    assert {"hashtag:fractions", "hashtag:local:fractions", f"list:{science.pk}"} <= keys_of(
        published, DELETE
    )


def test_a_deleted_direct_post_is_a_delete_on_the_direct_streams_of_those_it_mentioned(
    ada, bo, cy, published, run_jobs
):
    status = make_post(ada, "Just for you @bo #private", visibility="direct")
    run_jobs()
    published.clear()
    status_delete(actor=ada, status=status)
    run_jobs()
    keys = keys_of(published, DELETE)
    assert {f"direct:{ada.pk}", f"direct:{bo.pk}"} <= keys
    assert f"direct:{cy.pk}" not in keys
    assert not any(is_public(key) for key in keys)


def test_a_removal_is_a_delete_with_its_hashtags(ada, bo, published, run_jobs):
    follow_create(actor=bo, target=ada)
    status = make_post(ada, "Against the rules #fractions")
    run_jobs()
    published.clear()
    status_remove(status=Status.objects.get(pk=status.pk))
    run_jobs()
    (message,) = [message for message in published if message.event == DELETE]
    assert message.payload == str(status.pk)
    assert {f"user:{bo.pk}", "public", "hashtag:fractions", "hashtag:local:fractions"} <= set(
        message.keys
    )


def test_a_notification_goes_to_its_recipient_only(ada, bo, published, run_jobs):
    follow_create(actor=bo, target=ada)
    run_jobs()
    notification = Notification.objects.get(recipient=ada)
    (message,) = [message for message in published if message.event == NOTIFICATION]
    assert message.keys == (f"notification:{ada.pk}",)
    assert message.notification_id == notification.pk


def test_a_delete_reads_followers_in_a_constant_number_of_queries(
    ada, published, django_assert_max_num_queries
):
    followers: list[Profile] = make_profiles(30, "reader")
    for follower in followers:
        follow_create(actor=follower, target=ada)
    gone = StatusDeleted(status_id=1, account_id=ada.pk, visibility="public")
    with django_assert_max_num_queries(3):
        stream_deleted_status(gone)
    assert {f"user:{follower.pk}" for follower in followers} <= keys_of(published, DELETE)
