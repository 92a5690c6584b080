"""SECURITY-PLAN H-6 (CVE-2023-36462): a link never disguises where it goes.

A table of `display_host` answers, then a table of rendered posts: link text that names
another host is followed by the real one, mixed-script (homograph) hosts are shown as
punycode, single-script IDN hosts stay readable, and a bare URL keeps its whole host
however much of its path is cut.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from staffroom.core.html import SHOWN_PATH_MAX, display_host, render_markdown

LONG_HOST = "a-very-long-host-name-for-the-district-resource-library.example"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://ok.example/path", "ok.example"),
        ("https://OK.Example:8443/path", "ok.example"),
        ("https://bank.example@evil.example/login", "evil.example"),
        ("https://bank.example.evil.example/", "bank.example.evil.example"),
        ("http://127.0.0.1/admin", "127.0.0.1"),
        # Mixed scripts: a Cyrillic a (U+0430) or a Greek o (U+03BF) among Latin letters.
        ("https://pаypal.com/login", "xn--pypal-4ve.com"),  # noqa: RUF001 (lookalike letters are the attack)
        ("https://gοogle.com/", "xn--gogle-rce.com"),  # noqa: RUF001 (lookalike letters are the attack)
        ("https://аррӏе.com/", "xn--80ak6aa92e.com"),  # all Cyrillic but a Latin TLD  # noqa: RUF001 (lookalike letters are the attack)
        ("https://xn--pypal-4ve.com/", "xn--pypal-4ve.com"),  # already encoded
        # One script: shown as written, also when the link arrives punycode-encoded.
        ("https://bücher.de/", "bücher.de"),
        ("https://xn--bcher-kva.de/", "bücher.de"),
        ("https://пример.рф/", "пример.рф"),
        ("https://xn--e1afmkfd.xn--p1ai/", "пример.рф"),
        # Invisible and direction-changing characters never reach the reader.
        ("https://example.com\u202e/", "example.com-5p3f"),
        ("https://exa\u200bmple.com/", "example.com"),  # IDNA maps it away, as browsers do
        # mailto: the address, decoded unless decoding would hide something.
        ("mailto:ada@school.example", "ada@school.example"),
        ("mailto:ada%40school.example?subject=Hi", "ada@school.example"),
        ("mailto:ada%E2%80%AE@school.example", "ada%E2%80%AE@school.example"),
    ],
)
def test_display_host(url, shown):
    assert display_host(url) == shown


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str | None] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href"))

    def handle_data(self, data: str) -> None:
        self.text += data


def _shown(text: str) -> tuple[list[str | None], str]:
    """The rendered links' hrefs and the text a reader sees."""
    parser = _Links()
    parser.feed(render_markdown(text))
    return parser.hrefs, parser.text


@pytest.mark.parametrize(
    ("text", "href", "seen"),
    [
        # Link text naming another host gets the real host after it.
        (
            "[https://ok.example](https://evil.example)",
            "https://evil.example",
            "https://ok.example (evil.example)",
        ),
        (
            "[https://ok.example/](https://evil.example/ok.example)",
            "https://evil.example/ok.example",
            "https://ok.example/ (evil.example)",
        ),
        (
            "[ok.example](https://ok.example.evil.example/)",
            "https://ok.example.evil.example/",
            "ok.example (ok.example.evil.example)",
        ),
        (
            "[www.ok.example](https://ok.example)",
            "https://ok.example",
            "www.ok.example (ok.example)",
        ),
        (
            "[https://bank.example](https://bank.example@evil.example/)",
            "https://bank.example@evil.example/",
            "https://bank.example (evil.example)",
        ),
        ("[lesson plans](https://ok.example/plans)", None, "lesson plans (ok.example)"),
        # Link text that shows the real host needs nothing more.
        ("[ok.example](https://ok.example/path)", "https://ok.example/path", "ok.example"),
        ("[OK.Example/path](https://ok.example/path)", None, "OK.Example/path"),
        # Homographs: the punycode is what the reader sees.
        (
            "[paypal.com](https://pаypal.com/login)",  # noqa: RUF001 (lookalike letters are the attack)
            "https://xn--pypal-4ve.com/login",
            "paypal.com (xn--pypal-4ve.com)",
        ),
        ("https://pаypal.com/login", "https://xn--pypal-4ve.com/login", "xn--pypal-4ve.com/login"),  # noqa: RUF001 (lookalike letters are the attack)
        # A single-script IDN host stays readable, in the text as in the suffix.
        ("[bücher.de](https://bücher.de/x)", "https://xn--bcher-kva.de/x", "bücher.de"),
        ("https://пример.рф/", "https://xn--e1afmkfd.xn--p1ai/", "пример.рф"),
        ("[Lesen](https://bücher.de/)", None, "Lesen (bücher.de)"),
        # mailto shows the address.
        ("[write to me](mailto:ada@school.example)", None, "write to me (ada@school.example)"),
        ("<mailto:ada@school.example>", "mailto:ada@school.example", "ada@school.example"),
    ],
)
def test_rendered_link_shows_where_it_goes(text, href, seen):
    hrefs, shown = _shown(text)
    assert len(hrefs) == 1
    if href is not None:
        assert hrefs == [href]
    assert shown == seen


def test_bare_url_keeps_its_whole_host_when_the_path_is_cut():
    path = "/units/fractions/" + "lesson-" * 20
    hrefs, shown = _shown(f"https://{LONG_HOST}{path}")
    assert hrefs == [f"https://{LONG_HOST}{path}"]
    assert shown == f"{LONG_HOST}{path[:SHOWN_PATH_MAX]}…"
    assert len(shown) < len(LONG_HOST + path)


def test_bare_url_with_a_short_path_is_shown_whole():
    assert _shown("https://ok.example/a") == (["https://ok.example/a"], "ok.example/a")


@pytest.mark.parametrize(
    "text",
    [
        "[\u202eelpmaxe.ko](https://evil.example/)",
        "\u202e[ok.example](https://evil.example/)",
        "`\u202d` [\u2067ok.example\u2069](https://evil.example/)",
    ],
)
def test_direction_overrides_cannot_reverse_the_shown_host(text):
    """An override or embedding reorders all that follows it in the paragraph, the real
    host after the link included; they are dropped (the marks U+200E/U+200F stay)."""
    _hrefs, shown = _shown(text)
    assert shown.endswith(" (evil.example)")
    assert not {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e"} & set(shown)
    assert not {"\u2066", "\u2067", "\u2068", "\u2069"} & set(shown)


def test_right_to_left_marks_stay():
    assert "\u200f" in render_markdown("שלום\u200f ok")
