"""A teacher connects a Mastodon app: consent page, out-of-band code, then revoking it."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from staffroom.oauth.services import application_register
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_consent_then_code_then_revoke(page, sign_in, client):
    sign_in(make_user(handle="ada", display_name="Ada Lovelace"))
    registered = application_register(
        name="Pocket PLN <b>",
        redirect_uris=None,
        scopes="read write",
        website="https://pocket.example",
    )
    app = registered.application
    query = urlencode(
        {
            "client_id": app.client_id,
            "response_type": "code",
            "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
            "scope": "read write",
        }
    )
    page.goto(f"/oauth/authorize?{query}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Let “Pocket PLN <b>” use your account?"
    )
    expect(page.get_by_text("not made or checked by this server")).to_be_visible()
    screenshot(page, "oauth-consent")
    check_accessibility(page, "oauth-consent")

    page.get_by_role("button", name="Authorize").click()
    code = page.get_by_label("Authorization code")
    expect(code).to_be_visible()
    assert len(code.input_value()) > 10
    screenshot(page, "oauth-code")
    check_accessibility(page, "oauth-code")
    exchanged = client.post(
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "code": code.input_value(),
            "client_id": app.client_id,
            "client_secret": registered.client_secret,
            "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
        },
    )
    assert exchanged.status_code == 200

    page.goto("/settings/applications")
    expect(page.get_by_role("heading", name="Pocket PLN <b>")).to_be_visible()
    page.get_by_role("button", name="Revoke access for Pocket PLN <b>").click()
    expect(page.get_by_text("Access revoked")).to_be_visible()
    expect(page.get_by_text("No application can use your account")).to_be_visible()


def test_development_token_is_shown_once(page, sign_in):
    sign_in(make_user(handle="dev"))
    page.goto("/settings/development")
    page.get_by_label("Application name").fill("Gradebook sync")
    page.get_by_label("write: post, follow, change your profile").check()
    page.get_by_role("button", name="Create the application and a token").click()
    token = page.get_by_label("Access token")
    assert len(token.input_value()) > 20
    screenshot(page, "development-token")
    check_accessibility(page, "development-token")
    page.reload()
    expect(page.get_by_label("Access token")).to_have_count(0)
    expect(page.get_by_role("heading", name="Gradebook sync")).to_be_visible()
