"""Answers to a signed-in teacher or an API client are never kept by a shared browser or a
proxy (`Cache-Control: private, no-store`, as Mastodon sends)."""

from __future__ import annotations

import pytest

from staffroom.core.middleware import PRIVATE_CACHE_CONTROL
from tests.factories import make_profile
from tests.graph.test_api_helpers import bearer

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_is_private_and_not_stored(client_for):
    teacher = make_profile("teacher", onboarded=True)
    assert teacher.user is not None
    response = client_for(teacher.user).get("/home")
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE_CACHE_CONTROL


def test_an_api_answer_to_a_token_is_private_and_not_stored(client, ada):
    response = client.get("/api/v1/accounts/verify_credentials", **bearer(ada))
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE_CACHE_CONTROL


def test_an_api_answer_to_a_token_on_a_public_route_is_private_too(client, ada):
    response = client.get("/api/v1/timelines/public", **bearer(ada))
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE_CACHE_CONTROL


def test_an_error_answer_to_a_token_is_private_too(client, ada):
    response = client.get("/api/v1/statuses/123456789", **bearer(ada))
    assert response.status_code == 404
    assert response["Cache-Control"] == PRIVATE_CACHE_CONTROL


def test_a_signed_out_public_answer_is_left_cacheable(client, ada):
    response = client.get("/api/v1/timelines/public")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_an_answer_with_its_own_cache_policy_keeps_it(client_for, ada):
    assert ada.user is not None
    response = client_for(ada.user).get("/manifest.webmanifest")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
