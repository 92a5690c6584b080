"""Helpers for the graph API tests (bearer tokens, JSON calls, Link headers), and their test."""

from __future__ import annotations

import json
from typing import Any

from staffroom.oauth.services import personal_token_create
from staffroom.profiles.models import Profile

ALL_SCOPES = "read write follow"


def bearer(profile: Profile, scopes: str = ALL_SCOPES) -> dict[str, str]:
    assert profile.user is not None
    raw = personal_token_create(user=profile.user, scopes=scopes).raw_token
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def call(client: Any, method: str, path: str, headers: dict[str, str], body: Any = None) -> Any:
    data = json.dumps(body if body is not None else {})
    return client.generic(method, path, data=data, content_type="application/json", **headers)


def link_params(response: Any) -> dict[str, str]:
    """rel -> the query string of that Link header URL."""
    found = {}
    for part in response.headers.get("Link", "").split(","):
        if not part.strip():
            continue
        url, rel = part.split(";")
        found[rel.strip().removeprefix('rel="').rstrip('"')] = url.strip()[1:-1].split("?")[1]
    return found


def test_link_params_reads_mastodon_link_headers():
    class Response:
        headers = {"Link": '<https://x/a?max_id=2>; rel="next", <https://x/a?min_id=9>; rel="prev"'}

    assert link_params(Response()) == {"next": "max_id=2", "prev": "min_id=9"}
