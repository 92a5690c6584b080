"""Conversations kept in step with the direct posts: who gets a row, unread rules,
participants, the fallback when the last post goes, blocks and mutes, deleting one for
oneself, and the rebuild."""

from __future__ import annotations

import pytest

from staffroom.conversations.models import Conversation
from staffroom.conversations.selectors import conversation_get, conversations_for
from staffroom.conversations.services import (
    conversation_delete,
    conversation_mark_read,
    conversations_add_status,
    conversations_rebuild,
)
from staffroom.core.exceptions import NotFound
from staffroom.graph.services import block_create, block_delete, mute_create
from staffroom.posts.models import Mention
from staffroom.posts.removal import status_remove, status_restore
from staffroom.posts.services import status_delete
from staffroom.profiles.standing import profile_suspend, profile_unsuspend
from tests.factories import make_remote_profile

pytestmark = pytest.mark.django_db


def row_of(owner, status):
    return Conversation.objects.filter(owner=owner, thread_id=status.thread_id).first()


def people(row: Conversation) -> set[str]:
    return {profile.handle for profile in row.participants.all()}


def test_a_direct_post_makes_a_row_for_its_author_and_each_mentioned(ada, bo, cy, post):
    status = post(ada, "@bo @cy lunch at noon?", visibility="direct")
    mine, bos, cys = row_of(ada, status), row_of(bo, status), row_of(cy, status)
    assert mine is not None
    assert bos is not None
    assert cys is not None
    assert {mine.last_status_id, bos.last_status_id, cys.last_status_id} == {status.pk}
    assert people(mine) == {"bo", "cy"}
    assert people(bos) == {"ada", "cy"}


def test_unread_for_recipients_not_for_the_author(ada, bo, post):
    status = post(ada, "@bo a quiet word", visibility="direct")
    assert row_of(ada, status).is_unread is False
    assert row_of(bo, status).is_unread is True
    conversation_mark_read(owner=bo, conversation_id=row_of(bo, status).pk)
    reply = post(bo, "@ada sure", visibility="direct", in_reply_to=status)
    assert row_of(bo, status).is_unread is False  # their own reply
    assert row_of(ada, status).is_unread is True
    assert row_of(ada, status).last_status_id == reply.pk


def test_a_reply_keeps_one_row_per_thread(ada, bo, post):
    first = post(ada, "@bo one", visibility="direct")
    second = post(bo, "@ada two", visibility="direct", in_reply_to=first)
    post(ada, "@bo three", visibility="direct", in_reply_to=second)
    assert Conversation.objects.filter(owner=ada).count() == 1
    assert Conversation.objects.filter(owner=bo).count() == 1


def test_posts_that_are_not_direct_make_no_row(ada, bo, post):
    for visibility in ("public", "unlisted", "followers", "connections"):
        post(ada, f"@bo {visibility}", visibility=visibility)
    assert not Conversation.objects.exists()


def test_someone_not_mentioned_never_gets_the_conversation(ada, bo, cy, post):
    status = post(ada, "@bo between us", visibility="direct")
    assert row_of(cy, status) is None
    assert conversations_for(cy) == []
    with pytest.raises(NotFound):
        conversation_get(cy, row_of(bo, status).pk)


def test_a_late_participant_sees_only_the_posts_they_were_in(ada, bo, cy, post):
    first = post(ada, "@bo private start", visibility="direct")
    second = post(bo, "@ada @cy bringing cy in", visibility="direct", in_reply_to=first)
    post(ada, "@bo just us again", visibility="direct", in_reply_to=second)
    cys = row_of(cy, first)
    assert cys.last_status_id == second.pk
    assert people(cys) == {"ada", "bo"}


def test_deleting_the_last_post_falls_back_to_the_previous(ada, bo, post):
    first = post(ada, "@bo one", visibility="direct")
    reply = post(bo, "@ada two", visibility="direct", in_reply_to=first)
    status_delete(actor=bo, status=reply)
    assert row_of(ada, first).last_status_id == first.pk
    assert row_of(bo, first).last_status_id == first.pk


def test_deleting_the_only_post_removes_the_rows(ada, bo, post):
    status = post(ada, "@bo oops", visibility="direct")
    status_delete(actor=ada, status=status)
    assert not Conversation.objects.exists()


def test_a_removed_post_falls_back_and_comes_back_when_restored(ada, bo, post):
    first = post(ada, "@bo one", visibility="direct")
    reply = post(bo, "@ada two", visibility="direct", in_reply_to=first)
    status_remove(status=reply)
    assert row_of(ada, first).last_status_id == first.pk
    status_restore(status=reply)
    assert row_of(ada, first).last_status_id == reply.pk


def test_removing_the_only_post_removes_the_rows_and_restoring_brings_them_back(ada, bo, post):
    status = post(ada, "@bo one", visibility="direct")
    status_remove(status=status)
    assert not Conversation.objects.exists()
    status_restore(status=status)
    assert row_of(bo, status).last_status_id == status.pk


def test_a_blocked_authors_new_direct_post_does_not_reach_the_blocker(ada, bo, post):
    first = post(ada, "@bo hello", visibility="direct")
    block_create(actor=bo, target=ada)
    # The block hides ada's posts from bo: the conversation goes from bo's list.
    assert conversations_for(bo) == []
    post(ada, "@bo still there?", visibility="direct", in_reply_to=first)
    assert conversations_for(bo) == []
    assert row_of(bo, first) is None


def test_lifting_a_block_brings_back_rows_that_remained(ada, bo, cy, post):
    first = post(cy, "@ada @bo three of us", visibility="direct")
    reply = post(bo, "@ada @cy bo speaking", visibility="direct", in_reply_to=first)
    block_create(actor=ada, target=bo)
    # bo's post leaves ada's view; bo stays a participant (cy's post names them).
    assert row_of(ada, first).last_status_id == first.pk
    assert people(row_of(ada, first)) == {"bo", "cy"}
    block_delete(actor=ada, target=bo)
    assert row_of(ada, first).last_status_id == reply.pk


def test_a_muted_authors_new_direct_post_leaves_the_conversation_alone(ada, bo, post):
    mute_create(actor=bo, target=ada)
    status = post(ada, "@bo hello", visibility="direct")
    assert row_of(bo, status) is None
    assert row_of(ada, status) is not None


def test_remote_people_get_no_row(ada, post):
    remote = make_remote_profile(handle="rae", domain="elsewhere.example")
    status = post(ada, "hi rae", visibility="direct")
    # Mentions of other servers' accounts come with federation; as they will be stored:
    Mention.objects.create(status=status, profile=remote)
    conversations_add_status(status)
    assert row_of(remote, status) is None
    assert people(row_of(ada, status)) == {"rae"}


def test_a_note_to_self_has_no_other_participants(ada, post):
    status = post(ada, "a note to myself", visibility="direct")
    assert people(row_of(ada, status)) == set()


def test_deleting_a_conversation_removes_it_for_the_caller_only(ada, bo, post):
    status = post(ada, "@bo hello", visibility="direct")
    conversation_delete(owner=bo, conversation_id=row_of(bo, status).pk)
    assert row_of(bo, status) is None
    assert row_of(ada, status) is not None
    post(ada, "@bo again", visibility="direct", in_reply_to=status)
    assert row_of(bo, status).is_unread is True


def test_nobody_reads_or_deletes_another_teachers_conversation(ada, bo, cy, post):
    status = post(ada, "@bo hello", visibility="direct")
    theirs = row_of(bo, status).pk
    with pytest.raises(NotFound):
        conversation_mark_read(owner=cy, conversation_id=theirs)
    with pytest.raises(NotFound):
        conversation_delete(owner=cy, conversation_id=theirs)
    with pytest.raises(NotFound):
        conversation_get(cy, "not-an-id")
    assert row_of(bo, status).is_unread is True


def test_rebuild_makes_the_rows_from_the_posts(ada, bo, cy, post):
    first = post(ada, "@bo one", visibility="direct")
    reply = post(bo, "@ada @cy two", visibility="direct", in_reply_to=first)
    post(cy, "a public post")
    Conversation.objects.all().delete()
    assert conversations_rebuild() == 3
    assert row_of(ada, first).last_status_id == reply.pk
    assert people(row_of(ada, first)) == {"bo", "cy"}
    assert row_of(ada, first).is_unread is False


def test_pages_follow_the_last_post(ada, bo, cy, post):
    older = post(ada, "@bo older", visibility="direct")
    newer = post(ada, "@cy newer", visibility="direct")
    assert [row.thread_id for row in conversations_for(ada)] == [newer.pk, older.pk]
    post(bo, "@ada answer", visibility="direct", in_reply_to=older)
    page = conversations_for(ada)
    assert [row.thread_id for row in page] == [older.pk, newer.pk]
    assert [row.thread_id for row in conversations_for(ada, limit=1)] == [older.pk]
    cursor = page[0].last_status_id
    assert [row.thread_id for row in conversations_for(ada, max_id=cursor)] == [newer.pk]
    assert [row.thread_id for row in conversations_for(ada, min_id=page[1].last_status_id)] == [
        older.pk
    ]
    assert conversations_for(ada, since_id=cursor) == []


def test_a_suspended_participants_posts_leave_and_come_back(ada, bo, cy, post):
    first = post(cy, "@ada @bo three of us", visibility="direct")
    reply = post(bo, "@ada @cy bo speaking", visibility="direct", in_reply_to=first)
    profile_suspend(profile=bo)
    assert row_of(ada, first).last_status_id == first.pk
    profile_unsuspend(profile=bo)
    assert row_of(ada, first).last_status_id == reply.pk
