"""Fixtures of the search tests: an API token and a helper to read ids from results."""

import pytest

from staffroom.oauth.services import personal_token_create


@pytest.fixture
def bearer():
    def headers(profile, scopes="read"):
        raw = personal_token_create(user=profile.user, scopes=scopes).raw_token
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return headers
