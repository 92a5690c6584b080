"""Posts: Mastodon 4.2's rule, the audience rule, blocks, mutes, and the index kept in step."""

import pytest

from staffroom.graph.services import block_create, follow_create, mute_create
from staffroom.posts.removal import status_remove, status_restore
from staffroom.posts.services import (
    PostText,
    bookmark_create,
    favourite_create,
    reblog_create,
    status_delete,
    status_edit,
)
from staffroom.profiles.professional import privacy_update
from staffroom.profiles.standing import profile_suspend
from staffroom.search.selectors import search
from tests.factories import make_post, make_profile
from tests.search.test_query import BAD_INPUT

pytestmark = pytest.mark.django_db


def found(viewer, text, **options):
    return [status.pk for status in search(viewer, text, kinds=["statuses"], **options).statuses]


@pytest.fixture
def people():
    return {
        "ada": make_profile("ada"),
        "bo": make_profile("bo"),
        "stranger": make_profile("stranger"),
    }


@pytest.mark.parametrize("visibility", ["followers", "connections", "direct", "unlisted"])
def test_a_non_public_post_is_not_found_by_a_stranger(people, visibility):
    status = make_post(people["ada"], "zephyrine lesson", visibility=visibility)
    assert found(people["stranger"], "zephyrine") == []
    assert found(people["ada"], "zephyrine") == [status.pk]  # the author finds her own


def test_a_followers_only_post_is_found_only_by_those_it_involves(people):
    follow_create(actor=people["bo"], target=people["ada"])
    status = make_post(people["ada"], "zephyrine lesson", visibility="followers")
    # Mastodon 4.2: following is not enough, the post must be the follower's to find
    assert found(people["bo"], "zephyrine") == []
    favourite_create(actor=people["bo"], status=status)
    assert found(people["bo"], "zephyrine") == [status.pk]
    assert found(people["stranger"], "zephyrine") == []


def test_a_direct_post_is_found_by_the_person_mentioned(people):
    """SECURITY-PLAN P-2."""
    status = make_post(people["ada"], "@bo zephyrine plan", visibility="direct")
    assert found(people["bo"], "zephyrine") == [status.pk]
    assert found(people["stranger"], "zephyrine") == []


def test_a_public_post_of_a_non_indexable_author_is_found_only_by_those_it_involves(people):
    privacy_update(profile=people["ada"], is_indexable=False)
    status = make_post(people["ada"], "zephyrine lesson")
    assert found(people["stranger"], "zephyrine") == []
    bookmark_create(actor=people["bo"], status=status)
    assert found(people["bo"], "zephyrine") == [status.pk]


def test_turning_indexing_off_hides_posts_at_once(people):
    status = make_post(people["ada"], "zephyrine lesson")
    assert found(people["stranger"], "zephyrine") == [status.pk]
    privacy_update(profile=people["ada"], is_indexable=False)
    assert found(people["stranger"], "zephyrine") == []


def test_blocks_hide_posts_both_ways_even_ones_favourited(people):
    status = make_post(people["ada"], "zephyrine lesson")
    favourite_create(actor=people["bo"], status=status)
    block_create(actor=people["ada"], target=people["bo"])
    assert found(people["bo"], "zephyrine") == []
    mine = make_post(people["bo"], "zephyrine reply")
    assert found(people["ada"], "zephyrine") == [status.pk]
    assert mine.pk not in found(people["ada"], "zephyrine")


def test_muted_authors_are_left_out(people):
    make_post(people["ada"], "zephyrine lesson")
    mute_create(actor=people["bo"], target=people["ada"])
    assert found(people["bo"], "zephyrine") == []


def test_signed_out_visitors_find_no_posts(people):
    make_post(people["ada"], "zephyrine lesson")
    assert found(None, "zephyrine") == []


def test_removed_and_restored_posts(people):
    status = make_post(people["ada"], "zephyrine lesson")
    status_remove(status=status)
    assert found(people["stranger"], "zephyrine") == []
    assert found(people["ada"], "zephyrine") == []
    status_restore(status=status)
    assert found(people["stranger"], "zephyrine") == [status.pk]


def test_a_suspended_author_is_never_found(people):
    make_post(people["ada"], "zephyrine lesson")
    profile_suspend(profile=people["ada"])
    assert found(people["stranger"], "zephyrine") == []


def test_deleted_posts_leave_the_index(people):
    status = make_post(people["ada"], "zephyrine lesson")
    status_delete(actor=people["ada"], status=status)
    assert found(people["ada"], "zephyrine") == []


def test_an_edit_replaces_the_old_words(people):
    status = make_post(people["ada"], "zephyrine lesson")
    status_edit(editor=people["ada"], status=status, draft=PostText(text="quillwort lesson"))
    assert found(people["stranger"], "zephyrine") == []
    assert found(people["stranger"], "quillwort") == [status.pk]


def test_reshares_are_not_found_twice(people):
    status = make_post(people["ada"], "zephyrine lesson")
    reblog_create(actor=people["bo"], status=status)
    assert found(people["stranger"], "zephyrine") == [status.pk]


def test_content_warnings_are_searched(people):
    status = make_post(people["ada"], "body text", spoiler_text="zephyrine spoilers")
    assert found(people["stranger"], "zephyrine") == [status.pk]


def test_from_tag_and_phrase(people):
    first = make_post(people["ada"], "number talks in #mathchat today")
    second = make_post(people["bo"], "talks about number lines #mathchat")
    third = make_post(people["bo"], "number talks without a tag")
    viewer = people["stranger"]
    assert set(found(viewer, "number talks")) == {first.pk, second.pk, third.pk}
    assert set(found(viewer, '"number talks"')) == {first.pk, third.pk}
    assert set(found(viewer, "#mathchat")) == {first.pk, second.pk}
    assert found(viewer, '"number talks" #mathchat') == [first.pk]
    assert set(found(viewer, "from:bo number")) == {second.pk, third.pk}
    assert found(viewer, "from:@bo #mathchat") == [second.pk]
    assert found(viewer, "from:nobody number") == []
    assert set(found(viewer, "number", account_id=people["bo"].pk)) == {second.pk, third.pk}


def test_hyphenated_words_and_accents_match(people):
    status = make_post(people["ada"], "Co-teaching with the café crew")
    assert found(people["stranger"], "co-teaching") == [status.pk]
    assert found(people["stranger"], "cafe") == [status.pk]
    assert found(people["stranger"], "CAFÉ") == [status.pk]


def test_ranking_prefers_relevance_and_recency(people):
    older = make_post(people["ada"], "ratios ratios ratios inquiry")
    newer = make_post(people["ada"], "ratios once among many other words of a long post here")
    assert found(people["stranger"], "ratios") == [older.pk, newer.pk]


def test_limit_and_offset_page_results(people):
    made = [make_post(people["ada"], f"zephyrine {number}").pk for number in range(5)]
    first = found(people["stranger"], "zephyrine", limit=2)
    rest = found(people["stranger"], "zephyrine", limit=2, offset=2)
    beyond = found(people["stranger"], "zephyrine", offset=99999999999999999999)
    assert len(first) == 2
    assert len(rest) == 2
    assert not set(first) & set(rest)
    assert set(first + rest) <= set(made)
    assert beyond == []


@pytest.mark.parametrize("text", BAD_INPUT)
def test_bad_input_gives_results_never_an_error(people, text):
    status = make_post(people["ada"], "co-teaching #edchat C++ and AND OR NOT near")
    results = search(people["stranger"], text)
    assert all(result.pk == status.pk for result in results.statuses)
