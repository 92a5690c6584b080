"""Writing posts: validation, replies, edits with history, deletes, favourites, reshares,
bookmarks, pins and idempotency keys."""

from __future__ import annotations

import pytest
from django.test import override_settings

from staffroom.core.exceptions import NotFound, PermissionDenied, RateLimited, ValidationFailed
from staffroom.graph.services import block_create, follow_create
from staffroom.posts.models import Bookmark, Favourite, Mention, Status, StatusEdit, Visibility
from staffroom.posts.services import (
    PostText,
    bookmark_create,
    bookmark_delete,
    favourite_create,
    favourite_delete,
    reblog_create,
    reblog_delete,
    status_create,
    status_delete,
    status_edit,
    status_pin,
)

pytestmark = pytest.mark.django_db


def test_a_post_renders_markdown_mentions_and_hashtags(ada, bo, post):
    status = post(ada, "Try **this** with @bo in #EdChat and #edchat")
    assert "<strong>this</strong>" in status.content
    assert 'class="u-url mention"' in status.content
    assert "/@bo" in status.content
    assert [tag.name for tag in status.tags.all()] == ["EdChat"]
    assert list(status.mentions.all()) == [bo]
    assert status.thread_id == status.pk
    assert status.uri.endswith(f"/users/ada/statuses/{status.pk}")


def test_a_blank_post_is_refused(ada):
    with pytest.raises(ValidationFailed, match="blank"):
        status_create(author=ada, draft=PostText(text="   \n"))
    assert not Status.objects.exists()


@override_settings(STAFFROOM_MAX_POST_CHARS=50)
def test_the_length_limit_is_a_setting_and_counts_urls_as_23(ada):
    status_create(author=ada, draft=PostText(text="x" * 20 + " https://example.com/" + "y" * 200))
    with pytest.raises(ValidationFailed, match="character limit of 50"):
        status_create(author=ada, draft=PostText(text="x" * 51))
    with pytest.raises(ValidationFailed, match="character limit"):
        status_create(author=ada, draft=PostText(text="x" * 30, spoiler_text="y" * 21))
    assert Status.objects.count() == 1


def test_fifty_one_mentions_are_refused_and_nothing_is_stored(ada):
    text = " ".join(f"@t{number}" for number in range(51))
    assert len(text) < 1000
    with pytest.raises(ValidationFailed, match="at most 50"):
        status_create(author=ada, draft=PostText(text=text))
    assert not Status.objects.exists()
    assert not Mention.objects.exists()


def test_mentions_skip_blocked_accounts_either_way(ada, bo, cy, post):
    block_create(actor=bo, target=ada)
    status = post(ada, "hi @bo and @cy")
    assert list(status.mentions.all()) == [cy]
    assert "/@bo" not in status.content


def test_unknown_visibility_language_and_modality_are_refused(ada):
    with pytest.raises(ValidationFailed, match="Visibility"):
        status_create(author=ada, draft=PostText(text="x"), visibility="friends")
    with pytest.raises(ValidationFailed, match="Language"):
        status_create(author=ada, draft=PostText(text="x", language="<script>"))
    with pytest.raises(ValidationFailed, match="text or link"):
        status_create(author=ada, draft=PostText(text="x"), modality="video")
    assert not Status.objects.exists()


def test_modality_is_link_when_the_post_carries_a_url(ada, post):
    assert post(ada, "Slides: https://example.org/deck").modality == "link"
    assert post(ada, "Just words").modality == "text"


def test_a_reply_joins_the_thread_and_counts(ada, bo, post):
    root = post(ada, "Question?")
    reply = post(bo, "Answer", in_reply_to=root)
    second = post(ada, "Thanks", in_reply_to=reply)
    root.refresh_from_db()
    assert root.replies_count == 1
    assert reply.thread_id == second.thread_id == root.pk
    assert second.in_reply_to_account == bo


def test_a_reply_to_a_post_you_may_not_see_is_not_found(ada, bo, post):
    secret = post(ada, "followers only", visibility=Visibility.FOLLOWERS)
    with pytest.raises(NotFound):
        post(bo, "peek", in_reply_to=secret)
    assert Status.objects.count() == 1


def test_editing_keeps_the_history_and_only_the_author_may(ada, bo, post):
    status = post(ada, "First #draft")
    edited = status_edit(editor=ada, status=status, draft=PostText(text="Second #final"))
    assert edited.text == "Second #final"
    assert edited.edited_at is not None
    assert [edit.text for edit in StatusEdit.objects.filter(status=status)] == [
        "First #draft",
        "Second #final",
    ]
    assert [tag.name for tag in edited.tags.all()] == ["final"]
    with pytest.raises(PermissionDenied):
        status_edit(editor=bo, status=status, draft=PostText(text="vandal"))
    status.refresh_from_db()
    assert status.text == "Second #final"


def test_editing_a_post_someone_cannot_see_is_not_found(ada, bo, post):
    status = post(ada, "mine", visibility=Visibility.DIRECT)
    with pytest.raises(NotFound):
        status_edit(editor=bo, status=status, draft=PostText(text="x"))


def test_deleting_takes_reshares_and_marks_with_it(ada, bo, post):
    status = post(ada, "To delete")
    reply = post(bo, "reply", in_reply_to=status)
    reblog_create(actor=bo, status=status)
    favourite_create(actor=bo, status=status)
    bookmark_create(actor=bo, status=status)
    with pytest.raises(PermissionDenied):
        status_delete(actor=bo, status=status)
    status_delete(actor=ada, status=status)
    assert list(Status.objects.all()) == [reply]
    assert not Favourite.objects.exists()
    assert not Bookmark.objects.exists()


def test_deleting_a_reply_lowers_the_parent_count(ada, bo, post):
    root = post(ada, "root")
    reply = post(bo, "reply", in_reply_to=root)
    status_delete(actor=bo, status=reply)
    root.refresh_from_db()
    assert root.replies_count == 0


def test_favourite_and_bookmark_are_idempotent_and_counted(ada, bo, post):
    status = post(ada)
    favourite_create(actor=bo, status=status)
    assert favourite_create(actor=bo, status=status).favourites_count == 1
    assert favourite_delete(actor=bo, status=status).favourites_count == 0
    assert favourite_delete(actor=bo, status=status).favourites_count == 0
    bookmark_create(actor=bo, status=status)
    bookmark_create(actor=bo, status=status)
    assert Bookmark.objects.count() == 1
    bookmark_delete(actor=bo, status=status)
    assert not Bookmark.objects.exists()


def test_a_reshare_is_once_and_undone(ada, bo, post):
    status = post(ada)
    first = reblog_create(actor=bo, status=status)
    assert reblog_create(actor=bo, status=status) == first
    assert first.reblog_of == status
    status.refresh_from_db()
    assert status.reblogs_count == 1
    # Acting on the reshare acts on the original.
    assert favourite_create(actor=ada, status=first) == status
    assert reblog_delete(actor=bo, status=status).reblogs_count == 0
    assert not Status.objects.filter(reblog_of=status).exists()


@pytest.mark.parametrize("visibility", [Visibility.FOLLOWERS, Visibility.CONNECTIONS])
def test_private_posts_cannot_be_reshared_even_by_followers(ada, bo, post, visibility):
    follow_create(actor=bo, target=ada)
    status = post(ada, visibility=visibility)
    with pytest.raises((ValidationFailed, NotFound)):
        reblog_create(actor=bo, status=status)
    with pytest.raises(ValidationFailed):
        reblog_create(actor=ada, status=status)
    assert not Status.objects.filter(reblog_of__isnull=False).exists()


def test_a_direct_post_cannot_be_reshared_by_its_recipient(ada, bo, post):
    status = post(ada, "hi @bo", visibility=Visibility.DIRECT)
    with pytest.raises(ValidationFailed, match="cannot be shared"):
        reblog_create(actor=bo, status=status)


def test_the_same_idempotency_key_answers_the_first_post(ada, post):
    first = post(ada, "once", idempotency_key="abc")
    assert post(ada, "once", idempotency_key="abc") == first
    assert post(ada, "twice", idempotency_key="other") != first
    assert Status.objects.count() == 2


def test_idempotency_keys_are_per_account(ada, bo, post):
    first = post(ada, "a", idempotency_key="same")
    assert post(bo, "b", idempotency_key="same") != first


def test_pins_are_own_posts_and_at_most_five(ada, bo, post):
    statuses = [post(ada, f"pin {number}") for number in range(6)]
    for status in statuses[:5]:
        status_pin(actor=ada, status=status)
    with pytest.raises(ValidationFailed, match="at most 5"):
        status_pin(actor=ada, status=statuses[5])
    with pytest.raises(PermissionDenied):
        status_pin(actor=bo, status=statuses[5])


@override_settings(STAFFROOM_RATE_LIMITS={"posting": (2, 3600)})
def test_posting_is_rate_limited_per_account(ada, bo, post):
    post(ada, "1")
    post(ada, "2")
    with pytest.raises(RateLimited):
        post(ada, "3")
    post(bo, "someone else is not limited")


def test_control_characters_are_dropped_and_nul_never_reaches_the_database(ada):
    status = status_create(
        author=ada, draft=PostText(text="tab\there\x00 and\x07 bell", spoiler_text="cw\x00")
    )
    status.refresh_from_db()
    assert status.text == "tab\there and bell"
    assert status.spoiler_text == "cw"
    with pytest.raises(ValidationFailed, match="blank"):
        status_create(author=ada, draft=PostText(text="\x00\x01"))


def test_megabytes_of_links_are_refused_before_rendering(ada):
    """Each URL counts as 23 characters, so the counted limit alone would let this through."""
    text = " ".join(f"https://example.com/{'a' * 2000}" for _ in range(20))
    with pytest.raises(ValidationFailed, match="too long"):
        status_create(author=ada, draft=PostText(text=text))
    assert not Status.objects.exists()
