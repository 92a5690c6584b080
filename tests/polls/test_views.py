"""The web pages: the composer's poll, the poll on a post's card, and voting without
JavaScript (a refused vote changes nothing and says why)."""

from __future__ import annotations

import pytest

from staffroom.polls.models import Poll, PollVote
from staffroom.polls.services import PollDraft
from staffroom.posts.models import Status
from staffroom.posts.services import PostText, status_create

pytestmark = pytest.mark.django_db


def ask(author, **kw):
    return status_create(
        author=author,
        draft=PostText(text="Which?"),
        poll=PollDraft(
            options=("Red", "Blue"), expires_in=3600, multiple=kw.pop("multiple", False)
        ),
        **kw,
    ).poll


def test_composer_offers_a_poll(client_for, ada):
    page = client_for(ada.user).get("/compose").content.decode()
    assert "Add a poll" in page
    assert "<legend>Poll answers</legend>" in page
    assert 'name="poll_option_4"' in page


def test_composer_publishes_a_poll(client_for, ada):
    client = client_for(ada.user)
    response = client.post(
        "/compose",
        {
            "text": "Quick poll",
            "visibility": "public",
            "poll_option_1": "Yes",
            "poll_option_2": "",
            "poll_option_3": "No",
            "poll_duration": "3600",
            "poll_multiple": "on",
        },
    )
    assert response.status_code == 302
    poll = Poll.objects.get()
    assert poll.multiple is True
    assert list(poll.options.values_list("title", flat=True)) == ["Yes", "No"]


def test_composer_refuses_a_one_answer_poll_and_keeps_the_text(client_for, ada):
    client = client_for(ada.user)
    response = client.post(
        "/compose", {"text": "Lonely poll", "visibility": "public", "poll_option_1": "Only"}
    )
    assert response.status_code == 422
    assert "more than one item" in response.content.decode()
    assert "Lonely poll" in response.content.decode()
    assert not Status.objects.exists()


def test_card_shows_the_vote_form_then_the_results(client_for, ada, bo):
    poll = ask(ada)
    client = client_for(bo.user)
    url = f"/@ada/{poll.status_id}"
    page = client.get(url).content.decode()
    assert 'type="radio" name="choices"' in page
    assert "Choose one answer" in page
    response = client.post(f"/polls/{poll.pk}/vote", {"choices": "1", "next": url})
    assert response.status_code == 302
    assert response.url == url
    page = client.get(url).content.decode()
    assert 'name="choices"' not in page
    assert "100%" in page
    assert "your vote" in page


def test_multiple_choice_card_has_checkboxes(client_for, ada, bo):
    poll = ask(ada, multiple=True)
    page = client_for(bo.user).get(f"/@ada/{poll.status_id}").content.decode()
    assert 'type="checkbox" name="choices"' in page


def test_signed_out_reader_sees_results_and_no_form(client, ada):
    poll = ask(ada)
    page = client.get(f"/@ada/{poll.status_id}").content.decode()
    assert 'name="choices"' not in page
    assert "Sign in to vote" in page


def test_refused_votes_change_nothing(client_for, ada, bo):
    poll = ask(ada)
    client = client_for(bo.user)
    assert client.post(f"/polls/{poll.pk}/vote", {}).status_code == 422
    assert client.post(f"/polls/{poll.pk}/vote", {"choices": "7"}).status_code == 422
    assert client.post(f"/polls/{poll.pk}/vote", {"choices": ["0", "1"]}).status_code == 422
    own = client_for(ada.user).post(f"/polls/{poll.pk}/vote", {"choices": "0"})
    assert own.status_code == 422
    assert not PollVote.objects.exists()


def test_vote_on_a_hidden_poll_is_404(client_for, ada, bo):
    poll = ask(ada, visibility="followers")
    client = client_for(bo.user)
    assert client.get(f"/@ada/{poll.status_id}").status_code == 404
    assert client.post(f"/polls/{poll.pk}/vote", {"choices": "0"}).status_code == 404
    assert client.post("/polls/nope/vote", {"choices": "0"}).status_code == 404


def test_vote_page_redirects_only_to_this_site(client_for, ada, bo):
    """SECURITY-PLAN A-10."""
    poll = ask(ada)
    response = client_for(bo.user).post(
        f"/polls/{poll.pk}/vote", {"choices": "0", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response.url == "/home"
