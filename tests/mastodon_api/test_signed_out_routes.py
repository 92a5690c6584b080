"""The routes Mastodon serves without a token answer a signed-out visitor (what they may
see), never "The access token is invalid"; a token that is sent and is not valid is a 401
on every one of them, as on the routes that require one."""

from __future__ import annotations

import re

import pytest

from staffroom.config.api import api
from staffroom.core.api.auth import access_token_for
from staffroom.core.api.errors import INVALID_TOKEN
from staffroom.graph.services import follow_create
from staffroom.polls.services import PollDraft
from staffroom.posts.services import favourite_create, reblog_create
from staffroom.profiles.models import Profile
from staffroom.profiles.uris import instance_base_url
from tests.factories import make_post, make_profile
from tests.graph.test_api_helpers import bearer

# Every GET route that Mastodon (and this server) serves signed out, with `{account}`,
# `{status}`, `{poll}` and `{tag}` filled in by the test: Mastodon's
# `authorize_if_got_token!` routes, whose answer depends on who asks (a token, when sent,
# must be valid)...
VIEWER_ROUTES = [
    "/api/v1/accounts?id[]={account}",
    "/api/v1/accounts/lookup?acct=ada",
    "/api/v1/accounts/{account}",
    "/api/v1/accounts/{account}/statuses",
    "/api/v1/accounts/{account}/followers",
    "/api/v1/accounts/{account}/following",
    "/api/v1/accounts/{account}/featured_tags",
    "/api/v1/accounts/{account}/endorsements",
    "/api/v1/statuses?id[]={status}",
    "/api/v1/statuses/{status}",
    "/api/v1/statuses/{status}/context",
    "/api/v1/statuses/{status}/favourited_by",
    "/api/v1/statuses/{status}/reblogged_by",
    "/api/v1/statuses/{status}/history",
    "/api/v1/polls/{poll}",
    "/api/v1/tags/{tag}",
    "/api/v1/timelines/public",
    "/api/v1/timelines/tag/{tag}",
    "/api/v1/directory",
    "/api/v1/trends",
    "/api/v1/trends/tags",
    "/api/v1/trends/statuses",
    "/api/v1/trends/links",
    "/api/v2/search?q=ada",
    # This server's own open routes (the professional learning network's).
    "/api/v1/pln/accounts/{account}/similar",
    "/api/v1/pln/starter_packs",
    "/api/v1/pln/starter_packs/{pack}",
]
# ...and the instance's descriptions, the same for everyone, which read no token at all
# (as on Mastodon).
ANYONE_ROUTES = [
    "/api/v1/custom_emojis",
    "/api/oembed?url={status_url}",
    "/api/v1/instance",
    "/api/v2/instance",
    "/api/v1/instance/peers",
    "/api/v1/instance/activity",
    "/api/v1/instance/rules",
    "/api/v1/instance/domain_blocks",
    "/api/v1/instance/extended_description",
    "/api/v1/instance/translation_languages",
    "/api/v1/instance/privacy_policy",
    "/api/v1/instance/terms_of_service",
    "/api/v1/streaming/health",
    "/api/v1/pln/directory",
    "/api/v1/pln/taxonomy",
]
SIGNED_OUT_ROUTES = VIEWER_ROUTES + ANYONE_ROUTES


def _filled(route: str, ids: dict[str, str]) -> str:
    return route.format(**ids)


@pytest.fixture
def ids(db) -> dict[str, str]:
    ada = make_profile("ada")
    bo = make_profile("bo")
    Profile.objects.filter(pk=ada.pk).update(is_discoverable=True)
    post = make_post(ada, "Fractions with #maths")
    polled = make_post(ada, "Which?", poll=PollDraft(options=("this", "that"), expires_in=3600))
    favourite_create(actor=bo, status=post)
    reblog_create(actor=bo, status=post)
    follow_create(actor=bo, target=ada)
    return {
        "account": str(ada.pk),
        "status": str(post.pk),
        "status_url": f"{instance_base_url()}/@ada/{post.pk}",
        "poll": str(polled.poll.pk),
        "tag": "maths",
        "pack": "1",  # none: a 404, as for anyone
    }


@pytest.mark.django_db
@pytest.mark.parametrize("route", SIGNED_OUT_ROUTES)
def test_route_mastodon_serves_signed_out_answers_without_a_token(client, ids, route):
    response = client.get(_filled(route, ids))
    assert response.status_code not in {401, 403}, (route, response.content[:200])
    assert response.status_code < 500, (route, response.content[:200])


@pytest.mark.django_db
@pytest.mark.parametrize("route", VIEWER_ROUTES)
def test_route_mastodon_serves_signed_out_refuses_an_invalid_token(client, ids, route):
    response = client.get(_filled(route, ids), HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401, (route, response.content[:200])
    assert response.json() == {"error": INVALID_TOKEN}


@pytest.mark.django_db
def test_a_revoked_token_is_refused_on_a_route_open_to_everyone(client, ids):
    ada = Profile.objects.get(pk=ids["account"])
    headers = bearer(ada, "read")
    raw = headers["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    token = access_token_for(raw)
    assert token is not None
    token.revoke()
    response = client.get(f"/api/v1/accounts/{ada.pk}/followers", **headers)
    assert response.status_code == 401


@pytest.mark.django_db
def test_followers_signed_out_lists_what_a_visitor_may_see(client, ids):
    response = client.get(f"/api/v1/accounts/{ids['account']}/followers")
    assert response.status_code == 200
    assert [account["username"] for account in response.json()] == ["bo"]
    bo = Profile.objects.get(handle="bo")
    following = client.get(f"/api/v1/accounts/{bo.pk}/following")
    assert [account["username"] for account in following.json()] == ["ada"]


@pytest.mark.django_db
def test_follow_lists_signed_out_respect_hidden_follows(client, ids):
    Profile.objects.filter(pk=ids["account"]).update(hide_follows=True)
    response = client.get(f"/api/v1/accounts/{ids['account']}/followers")
    assert response.status_code == 200
    assert response.json() == []


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path.split("?")[0])


def test_every_get_route_without_a_token_requirement_is_walked_signed_out():
    """A route added later without `TokenAuth` is served signed out: it joins the walk."""
    walked = {_shape(route) for route in SIGNED_OUT_ROUTES}
    open_routes = {
        _shape(path)
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method, operation in operations.items()
        if method == "get" and not operation.get("security")
    }
    assert open_routes - walked == set()
