"""The benchmark's network generator, at a tiny scale."""

from __future__ import annotations

import numpy as np

from bench.network import NetworkParams, band_of, generate

PARAMS = NetworkParams(
    users=120, posts=3000, follow_min=5, follow_max=60, feed_max=40, viewers_per_band=3
)


def test_follow_counts_are_bounded_and_everyone_follows_the_star():
    network = generate(PARAMS)
    counts = network.follow_counts()
    assert counts[1:].min() >= PARAMS.follow_min
    assert counts.max() <= PARAMS.follow_max + 1  # + the star
    for user in range(1, PARAMS.users):
        following = network.following(user)
        assert 0 in following
        assert user not in following
        assert len(np.unique(following)) == len(following)


def test_home_feed_is_the_newest_posts_of_the_followed_and_own():
    network = generate(PARAMS)
    user = 7
    authors = set(network.following(user).tolist()) | {user}
    expected = [i for i in range(PARAMS.posts) if network.post_author[i] in authors]
    expected = expected[::-1][: PARAMS.feed_max]
    assert network.home_feed(user).tolist() == expected
    ids = network.post_id[network.home_feed(user)]
    assert (np.diff(ids) < 0).all()  # newest first, ids sort by time


def test_post_ids_are_unique_snowflakes_in_time_order():
    network = generate(PARAMS)
    assert len(np.unique(network.post_id)) == PARAMS.posts
    assert (np.diff(network.post_id) > 0).all()
    assert ((network.post_id >> 16) == network.post_ms).all()


def test_the_same_seed_draws_the_same_network():
    first, second = generate(PARAMS), generate(PARAMS)
    assert (first.followees == second.followees).all()
    assert (first.post_id == second.post_id).all()


def test_viewers_have_lists_of_people_they_follow():
    network = generate(PARAMS)
    assert len(network.viewers) == len(network.list_members) > 0
    for viewer, members in zip(network.viewers.tolist(), network.list_members, strict=True):
        assert set(members.tolist()) <= set(network.following(viewer).tolist())
    feeds = list(network.feeds())
    assert len(feeds) == PARAMS.users + len(network.viewers)
    assert all(len(posts) <= PARAMS.feed_max for _owner, _list, posts in feeds)


def test_band_of():
    assert band_of(20) == "20-49"
    assert band_of(501) == "500-2000"
    assert band_of(5) == "<20"
