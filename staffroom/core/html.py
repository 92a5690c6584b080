"""The one path from user text to HTML: a Markdown subset rendered, then sanitized by nh3.

Raw HTML in the source is never passed through (markdown-it's `html` option is off), and
nh3 keeps only an allow-list of tags, attributes, classes and URL schemes on whatever came
out, so a bug in either layer alone does not open a hole. Sanitizing is always the last step.

Links never disguise where they go (SECURITY-PLAN H-6): a bare URL is linked and shown with
its full host; a Markdown link whose text does not show its destination's host is followed
by that host in parentheses, and hosts that mix scripts (IDN homographs) are shown as
punycode. Posts also link @mentions and #hashtags (`LinkTargets`), only in plain text: never
inside code, and never inside another link.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import nh3
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

ALLOWED_TAGS = frozenset(
    {"p", "br", "a", "strong", "em", "code", "pre", "ul", "ol", "li", "blockquote", "del"}
)
ALLOWED_ATTRIBUTES = {"a": frozenset({"href"})}
# Mastodon clients style mentions and hashtags by these classes; nothing else survives.
ALLOWED_CLASSES = {"a": frozenset({"mention", "hashtag", "u-url"})}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer ugc"
# A bare URL is shown as its host plus this much of the rest, then an ellipsis.
SHOWN_PATH_MAX = 30

HANDLE_PATTERN = r"[A-Za-z0-9_]{1,30}"
MENTION_RE = re.compile(
    rf"(?<![\w@/.])@(?P<handle>{HANDLE_PATTERN})(?:@(?P<domain>[A-Za-z0-9.-]+\.[A-Za-z]{{2,}}))?"
    r"(?![\w@])"
)
# A hashtag holds at least one letter (or underscore), so "#1" stays text, as on Mastodon.
HASHTAG_RE = re.compile(r"(?<![\w#&/])#(?P<tag>\w{0,99}[^\W\d]\w{0,99})(?!\w)")
_MENTION_OR_TAG = re.compile(f"{MENTION_RE.pattern}|{HASHTAG_RE.pattern}")


@dataclass(frozen=True)
class LinkTargets:
    """Where a post's mentions and hashtags link. `mentions` maps a lower-cased `handle` or
    `handle@domain` to the profile's URL; a mention not in it stays plain text (unknown,
    blocked or not visible to the author). `tag_url` gives a hashtag's page."""

    mentions: dict[str, str] = field(default_factory=dict)
    tag_url: Callable[[str], str] | None = None


def display_host(url: str) -> str:
    """The host a link really goes to, as a reader should see it: lower-case, and punycode
    when it mixes scripts (a Cyrillic letter among Latin ones). For mailto, the address."""
    parts = urlsplit(url)
    if parts.scheme == "mailto":
        return unquote(parts.path)
    host = parts.hostname or ""
    if host.isascii():
        return host
    scripts = {unicodedata.name(ch, "?").split(" ")[0] for ch in host if ch.isalpha()}
    if len(scripts) <= 1:
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host.encode("punycode").decode("ascii")


def _without_scheme(text: str) -> str:
    return re.sub(r"^[a-z][a-z0-9+.-]*://", "", text.strip(), flags=re.IGNORECASE).rstrip("/")


def _label_shows_host(label: str, url: str) -> bool:
    host = display_host(url).lower()
    shown = _without_scheme(label).lower()
    return bool(host) and (shown == host or shown.startswith((f"{host}/", f"{host}?")))


def _bare_url_label(url: str) -> str:
    """A bare URL shown as typed minus the scheme; the host is always whole, a long rest
    is cut with an ellipsis."""
    host = display_host(url)
    rest = _without_scheme(url)
    rest = rest[rest.find("/") :] if "/" in rest else ""
    if len(rest) > SHOWN_PATH_MAX:
        rest = rest[:SHOWN_PATH_MAX] + "…"
    return host + rest


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _link(href: str, label: str, css_class: str) -> list[Token]:
    opening = Token("link_open", "a", 1)
    opening.attrs = {"href": href, "class": css_class}
    return [opening, _text(label), Token("link_close", "a", -1)]


def _link_mentions_and_tags(content: str, targets: LinkTargets) -> list[Token]:
    tokens: list[Token] = []
    cursor = 0
    for match in _MENTION_OR_TAG.finditer(content):
        if match["handle"]:
            key = match["handle"].lower()
            if match["domain"]:
                key = f"{key}@{match['domain'].lower()}"
            href = targets.mentions.get(key)
            replacement = _link(href, match[0], "u-url mention") if href else None
        else:
            replacement = (
                _link(targets.tag_url(match["tag"]), match[0], "mention hashtag")
                if targets.tag_url
                else None
            )
        if replacement is None:
            continue
        if match.start() > cursor:
            tokens.append(_text(content[cursor : match.start()]))
        tokens.extend(replacement)
        cursor = match.end()
    if cursor < len(content):
        tokens.append(_text(content[cursor:]))
    return tokens


def _rewrite_inline(children: list[Token], targets: LinkTargets | None) -> list[Token]:
    """Label bare links, show the host after disguising ones, link mentions and tags."""
    out: list[Token] = []
    index = 0
    while index < len(children):
        token = children[index]
        if token.type != "link_open":
            if token.type == "text" and targets is not None and token.content:
                out.extend(_link_mentions_and_tags(token.content, targets))
            else:
                out.append(token)
            index += 1
            continue
        close = next(
            (i for i in range(index + 1, len(children)) if children[i].type == "link_close"),
            len(children) - 1,
        )
        inner = children[index + 1 : close]
        href = str(token.attrGet("href") or "")
        if token.markup in ("linkify", "autolink"):
            out.extend([token, _text(_bare_url_label(href)), children[close]])
        else:
            label = "".join(child.content for child in inner)
            out.extend([token, *inner, children[close]])
            if href and not _label_shows_host(label, href):
                out.append(_text(f" ({display_host(href) or href})"))
        index = close + 1
    return out


def _links_rule(state: StateCore) -> None:
    targets = state.env.get("link_targets")
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = _rewrite_inline(block.children, targets)


_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    .disable(["image", "heading", "lheading", "hr", "table"], ignoreInvalid=True)
    .enable(["strikethrough", "linkify"], ignoreInvalid=True)
)
_markdown.core.ruler.push("staffroom_links", _links_rule)
_linkify = LinkifyIt()


@dataclass(frozen=True)
class TextEntities:
    """The mentions (`(handle, domain or None)`) and hashtags written in a text, in order,
    each once, as the renderer would link them: never from code or from a link's text."""

    mentions: list[tuple[str, str | None]]
    tags: list[str]


def text_entities(text: str) -> TextEntities:
    mentions: dict[tuple[str, str | None], None] = {}
    tags: dict[str, str] = {}
    for block in _markdown.parse(text, {"link_targets": None}):
        inside_link = 0
        for token in block.children or ():
            inside_link += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type != "text" or inside_link:
                continue
            for match in _MENTION_OR_TAG.finditer(token.content):
                if match["handle"]:
                    domain = match["domain"].lower() if match["domain"] else None
                    mentions.setdefault((match["handle"].lower(), domain), None)
                else:
                    tags.setdefault(match["tag"].lower(), match["tag"])
    return TextEntities(mentions=list(mentions), tags=list(tags.values()))


def counted_length(text: str, *, per_url: int) -> int:
    """Characters as Mastodon counts them: each URL counts as `per_url`, however long."""
    matches = _linkify.match(text) or []
    url_chars = sum(int(match.last_index) - int(match.index) for match in matches)
    return len(text) - url_chars + per_url * len(matches)


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed markup; links get rel=nofollow noopener noreferrer ugc."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        allowed_classes={tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text: str, *, links: LinkTargets | None = None) -> str:
    """Render the Markdown subset (paragraphs, emphasis, links, lists, code, quotes), with
    mentions and hashtags linked where `links` says."""
    if not text.strip():
        return ""
    return sanitize_html(_markdown.render(text, {"link_targets": links})).strip()


def plain_text(html: str) -> str:
    """The text of sanitized HTML, for search indexes and previews."""
    return nh3.clean(html, tags=set()).strip()
