"""SECURITY-PLAN H-1 and H-4: whatever a teacher types, the HTML we store and serve is safe.

Every payload of the XSS corpus, and a few hundred seeded tag-soup documents, go through
`render_markdown` (with mentions and hashtags linked), `sanitize_html` (as remote HTML
would) and `status_create` (the stored `content`). The output is parsed with the standard
library's HTML parser and must hold the H-1 properties: only allow-listed elements, no
`on*` or `style` attributes, every href an absolute http, https or mailto URL however it
was encoded, every link `rel="nofollow noopener noreferrer"`, sanitizing twice changes
nothing, nothing raises, and big inputs stay fast.
"""

from __future__ import annotations

import random
import re
import time
import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from staffroom.core import limits
from staffroom.core.html import LinkTargets, render_markdown, sanitize_html
from staffroom.core.text import without_bidi_controls
from staffroom.posts.services import CONTROL_CHARACTERS, PostText, status_create, status_edit
from tests.posts.xss_corpus import XSS_PAYLOADS

# What may appear at all (the H-1 list is a subset of what is refused).
PERMITTED = {"p", "br", "a", "strong", "em", "code", "pre", "ul", "ol", "li", "blockquote", "del"}
FORBIDDEN = {"script", "style", "iframe", "object", "embed", "form", "input", "svg", "math"}
FORBIDDEN |= {"img", "base", "meta", "link", "textarea", "button", "select", "template"}
FORBIDDEN |= {"noscript", "title", "xmp", "plaintext", "frame", "frameset", "video", "source"}
LINK_ATTRIBUTES = {"href", "rel", "class"}
LINK_CLASSES = {"mention", "hashtag", "u-url"}
REQUIRED_REL = {"nofollow", "noopener", "noreferrer"}
SAFE_SCHEME = re.compile(r"(https?|mailto):", re.IGNORECASE)
TARGETS = LinkTargets(
    mentions={"bo": "https://staffroom.example/@bo"},
    tag_url=lambda name: f"https://staffroom.example/tags/{name}",
)
KIB_64 = 64 * 1024
# H-1's budget for 64 KiB; measured times are printed with -s (11 to 16 ms on a quiet
# machine here). A timing check in the suite gets a 5x margin: with the other core busy the
# same input took 54 ms, and what the check is for (a quadratic blow-up) takes seconds.
BUDGET_SECONDS = 0.050
SUITE_MARGIN = 5


class _Markup(HTMLParser):
    """Every element (with attributes, entities decoded), comment and declaration."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.other: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.other.append(f"comment {data!r}")

    def handle_decl(self, decl: str) -> None:
        self.other.append(f"declaration {decl!r}")

    def handle_pi(self, data: str) -> None:
        self.other.append(f"processing instruction {data!r}")

    def unknown_decl(self, data: str) -> None:
        self.other.append(f"declaration {data!r}")


def _visible(value: str) -> str:
    """The URL as a browser reads its scheme: whitespace, controls and invisible format
    characters (zero-width joiners, RTL overrides) removed, lower case."""
    kept = (ch for ch in value if unicodedata.category(ch)[0] not in "CZ" and not ch.isspace())
    return "".join(kept).lower()


def _check_href(href: str | None) -> None:
    assert href is not None, "an href without a value"
    assert SAFE_SCHEME.match(href), f"href {href!r} is not an absolute http(s)/mailto URL"
    assert SAFE_SCHEME.match(_visible(href)), f"href {href!r} hides another scheme"
    assert _visible(href).split(":", 1)[0] in {"http", "https", "mailto"}


def assert_safe_html(html: str) -> None:
    """The H-1 properties of one piece of output HTML."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    assert parser.other == []
    for tag, attrs in parser.elements:
        assert tag not in FORBIDDEN, f"<{tag}> in {html!r}"
        assert tag in PERMITTED, f"<{tag}> in {html!r}"
        names = [name for name, _value in attrs]
        assert not [n for n in names if n.startswith("on") or n == "style"], html
        if tag != "a":
            assert names == [], f"<{tag}> carries {names} in {html!r}"
            continue
        assert set(names) <= LINK_ATTRIBUTES, html
        values = dict(attrs)
        if "href" in values:
            _check_href(values["href"])
        assert set((values.get("rel") or "").split()) >= REQUIRED_REL, html
        assert set((values.get("class") or "").split()) <= LINK_CLASSES, html


def assert_stable(html: str) -> None:
    assert sanitize_html(html) == html
    assert sanitize_html(sanitize_html(html)) == sanitize_html(html)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_render_markdown_output_is_safe(payload):
    for text in (payload, f"Before {payload} after @bo #edchat", f"* {payload}\n\n> {payload}"):
        html = render_markdown(text, links=TARGETS)
        assert_safe_html(html)
        assert_stable(html)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitize_html_output_is_safe_and_idempotent(payload):
    once = sanitize_html(payload)
    assert_safe_html(once)
    assert sanitize_html(once) == once


def test_sanitize_html_keeps_what_is_allowed():
    """The checks above would pass on an empty string: the sanitizer must also keep the
    allowed markup, or posts lose their links."""
    html = sanitize_html(
        '<p><a href="https://ok.example/x" class="mention evil">a</a> <strong>b</strong></p>'
    )
    assert html == (
        '<p><a href="https://ok.example/x" class="mention" '
        'rel="nofollow noopener noreferrer ugc">a</a> <strong>b</strong></p>'
    )


@pytest.mark.parametrize(
    "html",
    [
        "<pre>\n\nx</pre>",  # the parser eats one newline after <pre>
        "<pre>\n\n\nx</pre>",
        "<table>\ufeffx",  # a first pass leaves a byte order mark in front
        "\ufeff\ufeffx",
        "&#xfeff;x",
        "<td>\ufeff&amp;",
        "<p><select><pre>x",  # a tree the parser would never build: <p><pre>
        "<p><object><ul>x",
        "<li><table><li>x",  # <li><li>
    ],
)
def test_sanitize_html_is_idempotent_where_parser_and_serializer_disagree(html):
    once = sanitize_html(html)
    assert sanitize_html(once) == once
    assert "x" in once or "&amp;" in once


def test_sanitize_html_keeps_no_title_or_lang():
    """nh3 keeps `title` and `lang` on every element by default; a link's title tooltip
    could claim another destination (H-6)."""
    html = render_markdown('[x](https://a.example "https://bank.example")')
    assert "title" not in html
    assert "bank.example" not in html
    assert sanitize_html('<p lang="en" title="t">x</p>') == "<p>x</p>"


@pytest.mark.parametrize(
    "text",
    ["[home](/settings/delete)", "[x](//evil.example/a)", "[x](#top)", "[x](?q=1)", "[x](foo)"],
)
def test_render_markdown_drops_relative_links(text):
    """A relative href would go somewhere different on every server and client showing
    the post (`/settings/delete` here is our own page); Mastodon drops them too."""
    html = render_markdown(text)
    assert "href" not in html
    assert_safe_html(html)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_status_create_stores_safe_content_and_a_plain_text_spoiler(payload, ada, bo):
    status = status_create(
        author=ada,
        draft=PostText(text=f"{payload} @bo #edchat", spoiler_text=payload),
    )
    status.refresh_from_db()
    assert_safe_html(status.content)
    assert_stable(status.content)
    # The content warning is kept as typed (less control characters and bidi overrides):
    # it is text, escaped wherever it is shown.
    assert status.spoiler_text == CONTROL_CHARACTERS.sub("", without_bidi_controls(payload)).strip()
    shown = Template("<p>{{ status.spoiler_text }}</p>").render(Context({"status": status}))
    parser = _Markup()
    parser.feed(shown)
    assert [tag for tag, _attrs in parser.elements] == ["p"]
    edited = status_edit(editor=ada, status=status, draft=PostText(text=f"edited {payload}"))
    assert_safe_html(edited.content)
    assert all(_safe_each(edit.content) for edit in edited.edits.all())


def _safe_each(html: str) -> bool:
    assert_safe_html(html)
    return True


# Seeded tag soup (hypothesis is not installed): elements, attributes, values and text
# picked to hit the sanitizer's edges, cut off at random points.
SOUP_TAGS = (
    "script", "style", "iframe", "svg", "math", "img", "a", "p", "b", "em", "strong", "object",
    "embed", "form", "input", "base", "meta", "link", "div", "span", "table", "td", "select",
    "textarea", "title", "noscript", "template", "xmp", "plaintext", "mglyph", "mtext",
    "foreignObject", "annotation-xml", "details", "video", "source", "br", "pre", "code",
    "blockquote", "li", "ul", "SCRIPT", "ScRiPt", "a/", "img/",
)  # fmt: skip
SOUP_ATTRIBUTES = (
    "href", "src", "onerror", "onload", "onclick", "OnMouseOver", "style", "class", "rel",
    "xlink:href", "formaction", "action", "data", "srcdoc", "id", "title", "target", "on",
)  # fmt: skip
SOUP_VALUES = (
    "javascript:alert(1)", "jav&#x09;ascript:alert(1)", "&#106;avascript:alert(1)",
    " javascript:alert(1)", "JAVASCRIPT:alert(1)", "vbscript:x", "java\u200bscript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "https://ok.example/", "//evil.example",
    "/relative", "mailto:a@b.example", "expression(alert(1))", 'x" onerror="alert(1)',
    "mention hashtag evil", "java\x00script:alert(1)", "\u202ehttps://ok.example", "",
    "https://ok.example/?a=<b>&c=\"d\"", "&#x6A;avascript&colon;alert(1)", "\x01javascript:x",
)  # fmt: skip
SOUP_TEXT = (
    "alert(1)", "&lt;", "&amp;", "<", ">", '"', "'", "`", "<!--", "-->", "--!>", "]]>",
    "<![CDATA[", "@bo", "#edchat", "[x](javascript:alert(1))", "*", "_", "\n\n", "  ",
    "https://ok.example/path", "\u200b", "&#0;", "&#x110000;", "<?php", "<!DOCTYPE html>",
    "[a]: javascript:alert(1)", "[a]", "](", ")", "\\", "&", "\ufeff", "\u202e",
)  # fmt: skip


def _quoted(rng: random.Random, value: str) -> str:
    quote = rng.choice(('"', "'", ""))
    return f"{quote}{value}{quote}"


def _soup(rng: random.Random) -> str:
    pieces: list[str] = []
    for _piece in range(rng.randint(1, 30)):
        kind = rng.random()
        if kind < 0.4:
            tag = rng.choice(SOUP_TAGS)
            attrs = "".join(
                f"{rng.choice((' ', '/', chr(9), chr(12)))}{rng.choice(SOUP_ATTRIBUTES)}="
                f"{_quoted(rng, rng.choice(SOUP_VALUES))}"
                for _attr in range(rng.randint(0, 3))
            )
            pieces.append(f"<{tag}{attrs}{rng.choice(('>', '/>', '', ' '))}")
        elif kind < 0.6:
            pieces.append(f"</{rng.choice(SOUP_TAGS)}>")
        else:
            pieces.append(rng.choice(SOUP_TEXT))
    soup = "".join(pieces)
    return soup[: rng.randint(0, len(soup))] if rng.random() < 0.3 else soup


SOUP_EXAMPLES = 300


def test_tag_soup_sanitized_and_rendered_is_safe():
    rng = random.Random(20261129)  # noqa: S311 (a fixed seed: reproducible test input)
    for _example in range(SOUP_EXAMPLES):
        soup = _soup(rng)
        cleaned = sanitize_html(soup)
        assert_safe_html(cleaned)
        assert sanitize_html(cleaned) == cleaned, soup
        rendered = render_markdown(soup, links=TARGETS)
        assert_safe_html(rendered)
        assert sanitize_html(rendered) == rendered, soup


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _best_seconds(work: Callable[[], object], runs: int = 7, enough: float = 0.0) -> float:
    """The fastest of a few runs, in CPU time: what the code costs, without the noise of a
    busy machine (waiting for a core while another test worker runs) that a ratio of two
    timings magnifies. With `enough`, stop once a run is that fast (a budget met is met)."""
    best = float("inf")
    for _run in range(runs):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
        if best < enough:
            break
    return best


# Inputs repeated to 64 KiB. The nesting ones took html5ever (nh3's parser) time quadratic
# in the depth before sanitize_html capped it: 64 KiB of `<ul><li>` took 1.2 s, 1 MiB minutes.
HTML_UNITS = {
    "corpus": "\n\n".join(XSS_PAYLOADS),
    "open angles": "<",
    "paragraphs": "<p>x",
    "open links": "<a href=x>",
    "entities": "&#106;",
    "nested lists": "<ul><li>",
    "nested divs with stray ends": "<div></xyz>",
    "nested pre": "<pre>\n",
    "nested quotes": "<blockquote>",
    "misnested": "<li><table><li>x",
}
MARKDOWN_UNITS = {
    "corpus": "\n\n".join(XSS_PAYLOADS),
    "open angles": "<",
    "open links": "<a href=x>",
    "open brackets": "[",
    "emphasis": "*_a",
    "unclosed links": "[a](https://x.example/ ",
    "mentions and tags": "@bo #edchat ",
    "bare urls": "https://a.example/b ",
    "nested quotes": ">",
    "nested lists": "* ",
}


@pytest.mark.alone
@pytest.mark.parametrize("name", HTML_UNITS)
def test_sanitize_html_takes_under_50_ms_for_64_kib(name):
    nasty = _fill(HTML_UNITS[name], KIB_64)
    seconds = _best_seconds(lambda: sanitize_html(nasty), runs=30, enough=BUDGET_SECONDS)
    print(f"sanitize_html 64 KiB {name}: {seconds * 1000:.1f} ms")
    assert seconds < BUDGET_SECONDS * SUITE_MARGIN


@pytest.mark.alone
@pytest.mark.parametrize("name", MARKDOWN_UNITS)
def test_render_markdown_of_a_longest_post_takes_under_50_ms(name):
    """Posts are capped at `post_characters_max()` counted characters; the Markdown
    renderer (pure Python) takes ~15 µs a character at worst, so the budget is for the
    longest post, and 64 KiB must stay linear (next test)."""
    nasty = _fill(MARKDOWN_UNITS[name], limits.post_characters_max())
    seconds = _best_seconds(
        lambda: render_markdown(nasty, links=TARGETS), runs=30, enough=BUDGET_SECONDS
    )
    print(f"render_markdown longest post {name}: {seconds * 1000:.1f} ms")
    assert seconds < BUDGET_SECONDS * SUITE_MARGIN


@pytest.mark.alone
@pytest.mark.parametrize("name", ["open brackets", "emphasis", "unclosed links", "corpus"])
def test_render_markdown_time_grows_linearly_up_to_64_kib(name):
    """Four times the input may take about four times as long, never sixteen
    (SECURITY-PLAN Z-2)."""
    small = _fill(MARKDOWN_UNITS[name], KIB_64 // 4)
    large = _fill(MARKDOWN_UNITS[name], KIB_64)
    small_seconds = _best_seconds(lambda: render_markdown(small, links=TARGETS))
    large_seconds = _best_seconds(lambda: render_markdown(large, links=TARGETS))
    print(f"render_markdown {name}: 16 KiB {small_seconds:.3f} s, 64 KiB {large_seconds:.3f} s")
    assert large_seconds < 8 * small_seconds
    assert large_seconds < 5.0


@pytest.mark.alone
@pytest.mark.parametrize("name", ["nested lists", "nested divs with stray ends", "nested pre"])
def test_sanitize_html_time_grows_linearly_with_nesting(name):
    """Sixteen times the input (1 MiB) may take about sixteen times as long
    (SECURITY-PLAN Z-2)."""
    small = _fill(HTML_UNITS[name], KIB_64)
    large = _fill(HTML_UNITS[name], KIB_64 * 16)
    small_seconds = _best_seconds(lambda: sanitize_html(small))
    large_seconds = _best_seconds(lambda: sanitize_html(large))
    print(f"sanitize_html {name}: 64 KiB {small_seconds:.4f} s, 1 MiB {large_seconds:.4f} s")
    assert large_seconds < 0.5


def test_sanitize_html_keeps_the_text_of_markup_nested_too_deep():
    deep = "<blockquote>" * 150 + "deep <strong>text</strong>" + "</blockquote>" * 150
    assert " ".join(sanitize_html(deep).split()) == "deep text"
    fine = "<blockquote>" * 20 + "<p>kept</p>" + "</blockquote>" * 20
    assert sanitize_html(fine) == "<blockquote>" * 20 + "<p>kept</p>" + "</blockquote>" * 20
