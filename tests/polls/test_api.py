"""The polls through the Mastodon API: posting with a poll (JSON and form), the Status's
`poll`, GET /api/v1/polls/:id, POST /api/v1/polls/:id/votes, privacy and bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from staffroom.core import limits
from staffroom.graph.services import follow_create
from staffroom.polls.models import Poll, PollVote
from staffroom.polls.services import PollDraft, poll_vote
from staffroom.posts.entities import status_entities
from staffroom.posts.models import Status
from staffroom.posts.selectors import visible_statuses
from staffroom.posts.services import PostText, status_create
from tests.graph.test_api_helpers import bearer, call

pytestmark = pytest.mark.django_db

POLL_KEYS = {"id", "expires_at", "expired", "multiple", "votes_count", "voters_count", "options",
             "emojis"}  # fmt: skip


def create(client, author, body):
    return call(client, "POST", "/api/v1/statuses", bearer(author), body)


def ask(author, options=("Yes", "No"), **kw):
    multiple = kw.pop("multiple", False)
    hide_totals = kw.pop("hide_totals", False)
    return status_create(
        author=author,
        draft=PostText(text="Which?"),
        poll=PollDraft(
            options=tuple(options), expires_in=3600, multiple=multiple, hide_totals=hide_totals
        ),
        **kw,
    ).poll


def test_post_with_a_json_poll_answers_the_poll(client, ada):
    body = {
        "status": "Best way in?",
        "poll": {"options": ["Games", "Stories"], "expires_in": 3600, "multiple": True},
    }
    response = create(client, ada, body)
    assert response.status_code == 200, response.content
    poll = response.json()["poll"]
    assert set(poll) == POLL_KEYS | {"voted", "own_votes"}
    assert poll["options"] == [
        {"title": "Games", "votes_count": 0},
        {"title": "Stories", "votes_count": 0},
    ]
    assert poll["multiple"] is True
    assert poll["expired"] is False
    assert poll["voted"] is True  # the author has nothing left to do, as on Mastodon
    assert poll["own_votes"] == []
    assert poll["expires_at"].endswith("Z")
    assert Poll.objects.get(pk=int(poll["id"])).status_id == int(response.json()["id"])


def test_post_with_a_form_poll(client, ada):
    response = client.post(
        "/api/v1/statuses",
        {
            "status": "Form poll",
            "poll[options][]": ["One", "Two", "Three"],
            "poll[expires_in]": "300",
            "poll[hide_totals]": "true",
        },
        **bearer(ada),
    )
    assert response.status_code == 200, response.content
    poll = Poll.objects.get()
    assert poll.hide_totals is True
    assert poll.multiple is False
    assert response.json()["poll"]["options"][0] == {"title": "One", "votes_count": None}


@pytest.mark.parametrize(
    ("poll", "message"),
    [
        ({"options": ["a"], "expires_in": 3600}, "more than one item"),
        ({"options": [f"o{i}" for i in range(50)], "expires_in": 3600}, "more than 4 items"),
        ({"options": ["a", ""], "expires_in": 3600}, "blank"),
        ({"options": ["a", "x" * 51], "expires_in": 3600}, "longer than 50"),
        ({"options": ["a", "b"], "expires_in": 10}, "too soon"),
        ({"options": ["a", "b"], "expires_in": 10**9}, "too far"),
        ({"options": ["a", "b"], "expires_in": "soon"}, "expires_in"),
        ({"options": ["a", "b"]}, "expires_in"),
        ({"options": "a,b", "expires_in": 3600}, "more than one item"),
        ({"options": [1, 2], "expires_in": 3600}, "options"),
        ({"options": [["a"], {"b": 1}], "expires_in": 3600}, "options"),
        ({"options": ["a", "b"], "expires_in": 3600, "multiple": {"x": 1}}, "multiple"),
        ("junk", "poll"),
        ([1, 2], "poll"),
    ],
)
def test_bad_polls_are_422_with_a_message_and_store_nothing(client, ada, poll, message):
    response = create(client, ada, {"status": "Hello", "poll": poll})
    assert response.status_code == 422, response.content
    assert message in response.json()["error"]
    assert not Status.objects.exists()


def test_poll_with_media_is_422(client, ada):
    body = {"status": "x", "media_ids": ["1"], "poll": {"options": ["a", "b"], "expires_in": 3600}}
    response = create(client, ada, body)
    assert response.status_code == 422
    assert "media and a poll" in response.json()["error"]


def test_instance_advertises_exactly_the_limits_accepted(client):
    for path in ("/api/v1/instance", "/api/v2/instance"):
        polls = client.get(path).json()["configuration"]["polls"]
        assert polls == {
            "max_options": limits.POLL_OPTIONS_MAX,
            "max_characters_per_option": limits.POLL_OPTION_CHARS_MAX,
            "min_expiration": limits.POLL_EXPIRATION_MIN,
            "max_expiration": limits.POLL_EXPIRATION_MAX,
        }


def test_get_poll_signed_out_and_in(client, ada, bo):
    poll = ask(ada)
    response = client.get(f"/api/v1/polls/{poll.pk}")
    assert response.status_code == 200
    assert set(response.json()) == POLL_KEYS
    response = call(client, "GET", f"/api/v1/polls/{poll.pk}", bearer(bo))
    assert response.json()["voted"] is False
    assert response.json()["own_votes"] == []


def test_vote_answers_the_poll_with_own_votes(client, ada, bo):
    poll = ask(ada, ["A", "B", "C"], multiple=True)
    response = call(
        client, "POST", f"/api/v1/polls/{poll.pk}/votes", bearer(bo), {"choices": [0, 2]}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["voted"] is True
    assert body["own_votes"] == [0, 2]
    assert body["votes_count"] == 2
    assert body["voters_count"] == 1
    assert [o["votes_count"] for o in body["options"]] == [1, 0, 1]


def test_vote_with_a_form_and_string_indexes(client, ada, bo):
    poll = ask(ada)
    response = client.post(f"/api/v1/polls/{poll.pk}/votes", {"choices[]": ["1"]}, **bearer(bo))
    assert response.status_code == 200, response.content
    assert response.json()["own_votes"] == [1]


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ([5], "does not exist"),
        ([0, 1], "already voted"),
        ([], "blank"),
        (["x"], ""),
        ({"a": 1}, ""),
    ],
)
def test_bad_votes_are_422(client, ada, bo, choices, message):
    poll = ask(ada)
    response = call(
        client, "POST", f"/api/v1/polls/{poll.pk}/votes", bearer(bo), {"choices": choices}
    )
    assert response.status_code == 422, response.content
    assert message in response.json()["error"]
    assert not PollVote.objects.exists()


def test_second_vote_own_poll_and_ended_poll_are_422(client, ada, bo):
    poll = ask(ada)
    path = f"/api/v1/polls/{poll.pk}/votes"
    assert call(client, "POST", path, bearer(bo), {"choices": [0]}).status_code == 200
    again = call(client, "POST", path, bearer(bo), {"choices": [1]})
    assert again.status_code == 422
    assert "already voted" in again.json()["error"]
    own = call(client, "POST", path, bearer(ada), {"choices": [0]})
    assert own.status_code == 422
    assert "own polls" in own.json()["error"]
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        ended = call(client, "POST", path, bearer(bo), {"choices": [0]})
        assert ended.status_code == 422
        assert "ended" in ended.json()["error"]


def test_followers_only_poll_is_404_to_others(client, ada, bo, cy):
    follow_create(actor=bo, target=ada)
    poll = ask(ada, visibility="followers")
    for path in (f"/api/v1/polls/{poll.pk}", f"/api/v1/polls/{poll.pk}/votes"):
        method = "GET" if path.endswith(str(poll.pk)) else "POST"
        response = call(client, method, path, bearer(cy), {"choices": [0]})
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found"}
    assert client.get(f"/api/v1/polls/{poll.pk}").status_code == 404
    assert call(client, "GET", f"/api/v1/polls/{poll.pk}", bearer(bo)).status_code == 200
    vote = call(client, "POST", f"/api/v1/polls/{poll.pk}/votes", bearer(bo), {"choices": [0]})
    assert vote.status_code == 200


@pytest.mark.parametrize("poll_id", ["0", "abc", "99999999999999999999999", "-1"])
def test_unknown_poll_ids_are_404(client, bo, poll_id):
    assert call(client, "GET", f"/api/v1/polls/{poll_id}", bearer(bo)).status_code == 404


def test_vote_needs_write_scope(client, ada, bo):
    poll = ask(ada)
    response = call(
        client, "POST", f"/api/v1/polls/{poll.pk}/votes", bearer(bo, "read"), {"choices": [0]}
    )
    assert response.status_code == 403
    assert client.post(f"/api/v1/polls/{poll.pk}/votes", {"choices[]": "0"}).status_code == 401


def test_hide_totals_hides_option_counts_until_the_end_even_for_the_author(client, ada, bo):
    poll = ask(ada, hide_totals=True)
    poll_vote(voter=bo, poll=poll, choices=[0])
    body = call(client, "GET", f"/api/v1/polls/{poll.pk}", bearer(ada)).json()
    assert [o["votes_count"] for o in body["options"]] == [None, None]
    assert body["votes_count"] == 1
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        body = call(client, "GET", f"/api/v1/polls/{poll.pk}", bearer(ada)).json()
        assert body["expired"] is True
        assert [o["votes_count"] for o in body["options"]] == [1, 0]


def test_status_shows_the_viewers_own_votes(client, ada, bo):
    poll = ask(ada)
    poll_vote(voter=bo, poll=poll, choices=[1])
    body = call(client, "GET", f"/api/v1/statuses/{poll.status_id}", bearer(bo)).json()
    assert body["poll"]["own_votes"] == [1]
    assert body["poll"]["voted"] is True
    signed_out = client.get(f"/api/v1/statuses/{poll.status_id}").json()
    assert "voted" not in signed_out["poll"]
    assert signed_out["poll"]["options"][1]["votes_count"] == 1


def test_edit_replaces_the_poll_and_resets_votes(client, ada, bo):
    poll = ask(ada)
    poll_vote(voter=bo, poll=poll, choices=[0])
    body = {"status": "Edited", "poll": {"options": ["X", "Y"], "expires_in": 600}}
    response = call(client, "PUT", f"/api/v1/statuses/{poll.status_id}", bearer(ada), body)
    assert response.status_code == 200, response.content
    assert [o["title"] for o in response.json()["poll"]["options"]] == ["X", "Y"]
    assert response.json()["poll"]["votes_count"] == 0


def test_a_page_of_statuses_with_polls_costs_constant_queries(
    ada, bo, django_assert_max_num_queries
):
    for _ in range(3):
        poll_vote(voter=bo, poll=ask(ada), choices=[0])

    def page():
        statuses = list(visible_statuses(bo).order_by("-id"))
        return status_entities(statuses, bo, None)

    page()
    with django_assert_max_num_queries(20) as few:
        page()
    for _ in range(5):
        ask(ada)
    with django_assert_max_num_queries(len(few.captured_queries)):
        entities = page()
    assert all(entity["poll"] is not None for entity in entities)
