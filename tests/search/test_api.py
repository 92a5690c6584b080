"""/api/v2/search and /api/v1/accounts/search: shape, filters, paging, scopes, bad input."""

import pytest

from staffroom.graph.services import follow_create
from staffroom.profiles.services import profile_update
from tests.factories import make_post, make_profile
from tests.search.test_query import BAD_INPUT

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada():
    ada = make_profile("ada", display_name="Ada Zephyrine")
    make_post(ada, "Zephyrine ratios #zephyrchat")
    return ada


@pytest.fixture
def bo():
    return make_profile("bo")


def get(client, params, headers=None):
    return client.get("/api/v2/search", params, **(headers or {}))


def test_search_answers_mastodons_search_entity(client, ada, bo, bearer):
    response = get(client, {"q": "zephyrine"}, bearer(bo))
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"accounts", "statuses", "hashtags"}
    assert [account["username"] for account in body["accounts"]] == ["ada"]
    assert body["statuses"][0]["account"]["id"] == str(ada.pk)
    assert "Zephyrine" in body["statuses"][0]["content"]
    tags = get(client, {"q": "#zephyr"}, bearer(bo)).json()["hashtags"]
    assert [tag["name"] for tag in tags] == ["zephyr", "zephyrchat"]  # the exact name first
    assert tags[0]["id"] == ""  # nobody used #zephyr yet
    tags = tags[1:]
    assert tags[0]["name"] == "zephyrchat"
    assert tags[0]["url"].endswith("/tags/zephyrchat")
    assert tags[0]["following"] is False
    assert len(tags[0]["history"]) == 7
    assert tags[0]["history"][0]["uses"] == "1"


def test_type_keeps_one_kind(client, ada, bo, bearer):
    body = get(client, {"q": "zephyrine", "type": "statuses"}, bearer(bo)).json()
    assert body["accounts"] == []
    assert len(body["statuses"]) == 1
    bad = get(client, {"q": "zephyrine", "type": "communities"}, bearer(bo))
    assert bad.status_code == 422
    assert bad.json()["error"].startswith("Validation failed")


def test_signed_out_search_finds_people_and_tags_but_not_posts(client, ada):
    body = get(client, {"q": "zephyrine"}).json()
    assert [account["username"] for account in body["accounts"]] == ["ada"]
    assert body["statuses"] == []
    assert get(client, {"q": "zephyrine", "offset": 1}).status_code == 401
    assert get(client, {"q": "zephyrine", "resolve": "true"}).status_code == 401


def test_a_token_needs_read_search(client, ada, bo, bearer):
    assert get(client, {"q": "zephyrine"}, bearer(bo, "read:search")).status_code == 200
    assert get(client, {"q": "zephyrine"}, bearer(bo, "write")).status_code == 403


def test_limit_offset_following_and_account_id(client, ada, bo, bearer):
    for number in range(3):
        make_post(bo, f"zephyrine note {number}")
    headers = bearer(bo)
    first = get(client, {"q": "zephyrine", "type": "statuses", "limit": 2}, headers).json()
    rest = get(client, {"q": "zephyrine", "type": "statuses", "limit": 2, "offset": 2}, headers)
    assert len(first["statuses"]) == 2
    assert len(rest.json()["statuses"]) == 2
    by_ada = get(client, {"q": "zephyrine", "account_id": str(ada.pk)}, headers).json()
    assert [status["account"]["id"] for status in by_ada["statuses"]] == [str(ada.pk)]
    assert get(client, {"q": "zephyrine", "account_id": "abc"}, headers).status_code == 422
    assert get(client, {"q": "ada", "following": "true"}, headers).json()["accounts"] == []
    follow_create(actor=bo, target=ada)
    followed = get(client, {"q": "ada", "following": "true"}, headers).json()["accounts"]
    assert [account["username"] for account in followed] == ["ada"]


def test_resolve_finds_a_local_post_by_its_url(client, ada, bo, bearer):
    status = make_post(ada, "resolvable")
    url = f"http://localhost:8000/@ada/{status.pk}"
    body = get(client, {"q": url, "resolve": "true", "type": "statuses"}, bearer(bo)).json()
    assert [found["id"] for found in body["statuses"]] == [str(status.pk)]
    hidden = make_post(ada, "private", visibility="followers")
    url = f"http://localhost:8000/@ada/{hidden.pk}"
    body = get(client, {"q": url, "resolve": "true", "type": "statuses"}, bearer(bo)).json()
    assert body["statuses"] == []


@pytest.mark.parametrize(
    "params",
    # A NUL never reaches the search: the input gate refuses it (the next test).
    [{"q": text} for text in BAD_INPUT if "\x00" not in text]
    + [
        {"q": "zephyrine", "offset": "99999999999999999999"},
        {"q": "zephyrine", "limit": "99999999999999999999"},
        {"q": "zephyrine", "limit": "-5"},
        {"q": "zephyrine", "offset": "-5"},
    ],
)
def test_bad_input_gives_results_never_a_500(client, ada, bo, bearer, params):
    response = get(client, params, bearer(bo))
    assert response.status_code == 200, response.content
    assert set(response.json()) == {"accounts", "statuses", "hashtags"}


def test_a_nul_in_the_query_is_a_clear_400(client, bo, bearer):
    response = get(client, {"q": "inquiry\x00ratios"}, bearer(bo))
    assert response.status_code == 400
    assert "NUL character" in response.json()["error"]


@pytest.mark.parametrize(
    "params", [{}, {"q": "x", "limit": "abc"}, {"q": "x", "offset": "1e9"}, {"q": "x" * 30_000}]
)
def test_malformed_parameters_answer_422(client, bo, bearer, params):
    response = get(client, params, bearer(bo))
    assert response.status_code == 422
    assert response.json()["error"].startswith("Validation failed")


def test_a_private_posts_unique_word_stays_hidden_from_a_stranger(client, ada, bo, bearer):
    make_post(ada, "quillwort secret", visibility="followers")
    body = get(client, {"q": "quillwort"}, bearer(bo)).json()
    assert body["statuses"] == []


def test_accounts_search_uses_the_same_engine(client, ada, bo, bearer):
    profile_update(profile=ada, note="I teach with quillwort gardens")
    response = client.get(
        "/api/v1/accounts/search", {"q": "quillwort"}, **bearer(bo, "read:accounts")
    )
    assert [account["username"] for account in response.json()] == ["ada"]
    response = client.get(
        "/api/v1/accounts/search",
        {"q": "ada", "following": "true"},
        **bearer(bo, "read:accounts"),
    )
    assert response.json() == []


def test_search_query_count_does_not_grow_with_results(
    client, ada, bo, bearer, django_assert_max_num_queries
):
    for number in range(8):
        make_post(make_profile(f"z{number}", display_name=f"Zephyrine {number}"), "zephyrine")
    headers = bearer(bo)
    # the token, the three kinds, and each page's entities in batches (18 for one result)
    with django_assert_max_num_queries(20):
        response = get(client, {"q": "zephyrine"}, headers)
    assert len(response.json()["statuses"]) == 9
    assert len(response.json()["accounts"]) == 9


def test_the_openapi_document_describes_search(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/v2/search"]["get"]
    assert operation["summary"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {
        "q",
        "type",
        "resolve",
        "following",
        "account_id",
        "exclude_unreviewed",
        "limit",
        "offset",
    }


def test_one_hashtag_name_is_answered_first_even_unused_or_private(client, ada, bo, bearer):
    make_post(ada, "#PrivateOnlyTag", visibility="followers")
    for q in ("#PrivateOnlyTag", "privateonlytag", "#NeverUsedYet"):
        tags = get(client, {"q": q, "type": "hashtags"}, bearer(bo)).json()["hashtags"]
        assert len(tags) == 1, q
        assert tags[0]["name"].lower() == q.removeprefix("#").lower()
        assert all(day["uses"] == "0" for day in tags[0]["history"]), q
    prefix = get(client, {"q": "privateonly", "type": "hashtags"}, bearer(bo)).json()
    assert [tag["name"] for tag in prefix["hashtags"]] == ["privateonly"]  # not the private one
    unreviewed = get(client, {"q": "#NeverUsedYet", "exclude_unreviewed": "true"}).json()
    assert unreviewed["hashtags"] == []
