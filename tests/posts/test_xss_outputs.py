"""The XSS corpus through what people and apps actually receive (SECURITY-PLAN H-1, H-2):
each payload is posted as a post's text and as its content warning, then the thread page
and the Mastodon API answer are checked. Pages: nothing injected anywhere in the document
(no script but the page's own, no event handler or style attribute, no frame, object, SVG,
MathML, base or refresh, no unsafe URL). API: `content` passes the sanitizer's properties
and `spoiler_text` is the plain text as stored, for the app to escape."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from staffroom.core.exceptions import ValidationFailed
from staffroom.posts.services import PostText, status_create
from tests.graph.test_api_helpers import bearer, call
from tests.posts.test_sanitizer import _check_href, assert_safe_html
from tests.posts.xss_corpus import XSS_PAYLOADS

pytestmark = pytest.mark.django_db

NEVER_ON_A_PAGE = {"iframe", "object", "embed", "svg", "math", "base", "frame", "frameset"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in NEVER_ON_A_PAGE:
            self.problems.append(f"<{tag}>")
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.problems.append(f"<script {values}>")
        if tag == "meta" and "http-equiv" in values:
            self.problems.append(f"<meta {values}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value:
                if value.startswith(("/", "#", "?")) and not value.startswith("//"):
                    continue  # the page's own relative links
                try:
                    _check_href(value)
                except AssertionError:
                    self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def _posted(author, payload: str):
    """The payload as text and content warning; as a warning only when it is no valid text
    (blank once control characters are dropped)."""
    try:
        return status_create(author=author, draft=PostText(text=payload, spoiler_text=payload))
    except ValidationFailed:
        return status_create(author=author, draft=PostText(text="x", spoiler_text=payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_thread_page_and_api_carry_no_injected_markup(payload, client, ada):
    status = _posted(ada, payload)

    page = client.get(f"/@ada/{status.pk}")
    assert page.status_code == 200
    parser = _Page()
    parser.feed(page.text)
    parser.close()
    assert parser.problems == [], payload

    api = call(client, "GET", f"/api/v1/statuses/{status.pk}", bearer(ada))
    assert api.status_code == 200
    body = api.json()
    assert_safe_html(body["content"])
    assert body["spoiler_text"] == status.spoiler_text
