"""The API docs page works in a real browser under the site's CSP, with no CDN."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_api_docs_page_renders_the_operations(page):
    blocked: list[str] = []
    page.on("requestfailed", lambda request: blocked.append(request.url))
    page.goto("/api/docs")
    expect(page.get_by_text("/api/v1/apps/verify_credentials").first).to_be_visible(timeout=15000)
    screenshot(page, "api-docs")
    assert not [url for url in blocked if not url.startswith(page.url.split("/api/")[0])]
