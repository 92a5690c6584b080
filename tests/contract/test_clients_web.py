"""What browser clients and posting defaults need, against a real `staffroom serve`: CORS on
the API as Mastodon sets it, and Mastodon.py's `account_update_credentials(default_privacy=...)`
honoured by a later `status_post` that names no visibility."""

from __future__ import annotations

import pytest
from mastodon import Mastodon

from tests.contract.conftest import (
    ContractServer,
    RegisteredApp,
    local_session,
    signed_in_client,
)

pytestmark = pytest.mark.contract

ORIGIN = "https://phanpy.example"


@pytest.fixture(scope="module")
def hugo(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "hugo")


def test_public_timeline_answers_a_browser_preflight_and_get(contract_server: ContractServer):
    url = f"{contract_server.base_url}/api/v1/timelines/public"
    session = local_session()
    preflight = session.options(
        url,
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
        timeout=30,
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "authorization" in preflight.headers["Access-Control-Allow-Headers"]

    response = session.get(url, headers={"Origin": ORIGIN}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    exposed = response.headers["Access-Control-Expose-Headers"].lower()
    assert "link" in exposed
    assert "x-ratelimit-remaining" in exposed


def test_sign_in_page_gets_no_cors_headers(contract_server: ContractServer):
    response = local_session().get(
        f"{contract_server.base_url}/accounts/login", headers={"Origin": ORIGIN}, timeout=30
    )
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


def test_default_privacy_is_used_by_a_post_that_names_none(hugo: Mastodon):
    me = hugo.account_update_credentials(
        default_privacy="unlisted", default_sensitive=True, default_language="fr"
    )
    assert (me.source.privacy, me.source.sensitive, me.source.language) == ("unlisted", True, "fr")
    assert hugo.preferences()["posting:default:visibility"] == "unlisted"

    status = hugo.status_post("Bonjour la salle des profs")

    assert status.visibility == "unlisted"
    # Mastodon.py always sends `sensitive` (False by default); what a post says wins.
    assert status.sensitive is False
    assert status.language == "fr"
    explicit = hugo.status_post("For everyone", visibility="public")
    assert explicit.visibility == "public"
