"""Polls against a real `staffroom serve`, driven by stock Mastodon.py 2.3.3:
`status_post(poll=make_poll(...))`, `poll(id)`, `poll_vote(id, [0])`, a second vote and a
vote on one's own poll refused, and a bad poll refused with the server's message.

The posts are deleted again (in `finally`), so the other contract modules see the
accounts as they were.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from tests.contract.conftest import ContractServer, RegisteredApp, signed_in_client

pytestmark = pytest.mark.contract


@pytest.fixture(scope="module")
def asker(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "hamid")


@pytest.fixture(scope="module")
def voter(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "heidi")


@pytest.fixture
def made(asker: Mastodon) -> Iterator[list[str]]:
    created: list[str] = []
    yield created
    for status_id in created:
        with contextlib.suppress(MastodonNotFoundError):
            asker.status_delete(status_id)


def test_polls_post_read_and_vote(asker: Mastodon, voter: Mastodon, made: list[str]):
    poll = asker.make_poll(["Number talks", "Exit tickets", "Both"], expires_in=3600)
    status = asker.status_post("Which do you use most?", poll=poll)
    made.append(status.id)
    assert [option.title for option in status.poll.options] == [
        "Number talks",
        "Exit tickets",
        "Both",
    ]
    assert status.poll.multiple is False
    assert status.poll.expired is False
    assert status.poll.voted is True  # the author's own poll

    seen = voter.poll(status.poll.id)
    assert seen.voted is False
    assert seen.own_votes == []

    voted = voter.poll_vote(status.poll.id, [0])
    assert voted.voted is True
    assert voted.own_votes == [0]
    assert voted.votes_count == 1
    assert voted.voters_count == 1
    assert [option.votes_count for option in voted.options] == [1, 0, 0]

    with pytest.raises(MastodonAPIError, match="already voted"):
        voter.poll_vote(status.poll.id, [1])
    with pytest.raises(MastodonAPIError, match="own polls"):
        asker.poll_vote(status.poll.id, [1])
    fetched = voter.status(status.id)
    assert fetched.poll.own_votes == [0]


def test_polls_multiple_choice_with_hidden_totals(
    asker: Mastodon, voter: Mastodon, made: list[str]
):
    poll = asker.make_poll(["A", "B", "C"], expires_in=600, multiple=True, hide_totals=True)
    status = asker.status_post("Pick any", poll=poll)
    made.append(status.id)
    voted = voter.poll_vote(status.poll.id, [0, 2])
    assert voted.own_votes == [0, 2]
    assert voted.votes_count == 2
    assert [option.votes_count for option in voted.options] == [None, None, None]


def test_polls_bad_poll_is_refused_with_the_reason(asker: Mastodon):
    instance = asker.instance()
    limits = instance.configuration.polls
    too_many = [f"answer {i}" for i in range(limits.max_options + 1)]
    with pytest.raises(MastodonAPIError, match="more than"):
        asker.status_post("Too many", poll=asker.make_poll(too_many, expires_in=3600))
    too_short = limits.min_expiration - 1
    with pytest.raises(MastodonAPIError, match="too soon"):
        asker.status_post("Too short", poll=asker.make_poll(["a", "b"], expires_in=too_short))


def test_polls_unknown_poll_is_not_found(voter: Mastodon):
    with pytest.raises(MastodonNotFoundError):
        voter.poll("1")
