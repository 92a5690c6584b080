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

import html as html_module
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import nh3
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from staffroom.core.hashtags import normalize_tag

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


def _unicode_label(label: str) -> str:
    """A punycode (`xn--`) label decoded where it is valid IDNA; the Markdown renderer
    encodes every non-ASCII host, so this is how the writer typed it. An invalid one (a
    zero-width or fullwidth character inside) stays encoded."""
    if not label.startswith("xn--"):
        return label
    try:
        return label.encode("ascii").decode("idna")
    except UnicodeError:
        return label


def _one_script(host: str) -> bool:
    """Letters of one script only, and nothing else but digits, dots and hyphens: no
    invisible, bidirectional-override or symbol characters."""
    scripts = set()
    for ch in host:
        if ch.isalpha():
            scripts.add(unicodedata.name(ch, "?").split(" ")[0])
        elif ch not in "0123456789.-":
            return False
    return len(scripts) <= 1


def _printable(text: str) -> bool:
    return all(ch.isprintable() and unicodedata.category(ch) != "Cf" for ch in text)


def display_host(url: str) -> str:
    """The host a link really goes to, as a reader should see it: lower-case, in Unicode
    when all its letters are of one script, as punycode when it mixes scripts (a Cyrillic
    letter among Latin ones) or holds anything else (invisible or bidirectional-override
    characters). For mailto, the address."""
    parts = urlsplit(url)
    if parts.scheme == "mailto":
        address = unquote(parts.path)
        return address if _printable(address) else parts.path
    host = ".".join(_unicode_label(label) for label in (parts.hostname or "").split("."))
    if host.isascii() or _one_script(host):
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
                    key = normalize_tag(match["tag"])
                    if key:
                        tags.setdefault(key, match["tag"])
    return TextEntities(mentions=list(mentions), tags=list(tags.values()))


def counted_length(text: str, *, per_url: int) -> int:
    """Characters as Mastodon counts them: each URL counts as `per_url`, however long."""
    matches = _linkify.match(text) or []
    url_chars = sum(int(match.last_index) - int(match.index) for match in matches)
    return len(text) - url_chars + per_url * len(matches)


# Two of nh3's defaults are turned off. Its "generic" attributes `title` and `lang` would
# be kept on every element: a Markdown link title (`[x](https://a.example "https://bank")`)
# shows as a tooltip claiming another destination (H-6), so `"*"` allows nothing. And
# relative hrefs are dropped, as Mastodon does: a post's links are absolute, and a relative
# one ("/settings/delete", "//elsewhere.example") would point somewhere different on each
# server and client that shows the post, with nothing in the text saying where.
_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={"*": set(), **{tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}},
    allowed_classes={tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
    url_schemes=set(ALLOWED_SCHEMES),
    url_relative="deny",
    link_rel=LINK_REL,
    strip_comments=True,
)


# H-1 wants sanitize(sanitize(x)) == sanitize(x), and one nh3 pass does not always give it.
# Its parser drops one newline right after `<pre>` that its serializer does not write back,
# and a leading U+FEFF (byte order mark) that a first pass can leave at the start. (Values
# of attributes are serialized with `<` escaped, so a literal `<pre>` is always a tag.)
# And hostile markup (tables, <select>, foreign content) can leave a tree the parser would
# never build from the serialized text, such as <p><ul> or <li><li>: the second parse
# reshapes it. So passes repeat until one changes nothing; a second pass always settles
# it in practice, and the bound only keeps a surprise from looping.
_PRE_NEWLINE = re.compile(r"<pre>(?=\n)")
_PASSES_MAX = 4

# html5ever, nh3's parser, takes time quadratic in the nesting depth: each block-level tag
# searches the stack of open elements, so 64 KiB of `<ul><li>` took a second and 1 MiB
# minutes (the DoS of GHSA-qrgq-9fx2-vf2r). A linear scan first estimates the depth, over
# estimating it (tags in comments count, and so do elements the parser would close), and
# markup deeper than NESTING_MAX loses its tags, keeping its text, before nh3 sees it.
# Real posts, Markdown output (markdown-it stops at 20 levels) and remote HTML come
# nowhere near it.
NESTING_MAX = 100
_ANY_TAG = re.compile(r"</?[A-Za-z][^>]*>?")
# Elements that never hold anything, and those a parser closes when the next one opens.
_NOT_NESTING = frozenset(
    {
        *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"),
        *("source", "track", "wbr", "param", "keygen", "frame", "image"),
        *("p", "li", "dd", "dt", "option", "optgroup", "tr", "td", "th", "rb", "rt", "rp"),
    }
)


# A start or end tag (its name ends at a space, "/" or ">") unless the name is in _NOT_NESTING:
# the regular expression skips the others itself, so 16,000 paragraphs cost no Python loop.
# The letter is looked for first: a "<" that opens no tag ("<<<<", "a < b") then costs one
# comparison instead of one per name in _NOT_NESTING (64 KiB of "<" took 15 ms, now 1 ms).
_NESTING_TAG = re.compile(
    r"<(/?)(?=[A-Za-z])(?!(?:"
    + "|".join(sorted(_NOT_NESTING))
    + r")(?:[\s/>]|$))([A-Za-z][^\s/>]*)",
    re.IGNORECASE,
)


def _too_deep(html: str) -> bool:
    """Whether the markup may nest deeper than NESTING_MAX. An end tag only counts when
    an element of its name is open: the parser ignores the others."""
    depth = 0
    open_by_name: Counter[str] = Counter()
    for match in _NESTING_TAG.finditer(html):
        name = match[2].lower()
        if not match[1]:
            open_by_name[name] += 1
            depth += 1
            if depth > NESTING_MAX:
                return True
        elif open_by_name[name]:
            open_by_name[name] -= 1
            depth -= 1
    return False


def _clean_once(html: str) -> str:
    return _PRE_NEWLINE.sub("<pre>\n", _cleaner.clean(html).lstrip("\ufeff"))


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed markup; links get rel=nofollow noopener noreferrer ugc,
    and an href that is not an absolute http, https or mailto URL is removed. Idempotent."""
    if _too_deep(html):
        html = _ANY_TAG.sub(" ", html)
    cleaned = _clean_once(html)
    if "<" not in cleaned:
        return cleaned  # text only: nothing to reshape
    for _pass in range(_PASSES_MAX - 1):
        again = _clean_once(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder
# everything after them up to the end of the paragraph, the "(real.host)" shown after a
# link included: "[\u202eelpmaxe.ko](https://evil.example)" would show its suffix
# reversed (H-6). They are dropped from the source; the marks U+200E and U+200F, which
# right-to-left writers use and which reorder nothing, stay.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def render_markdown(text: str, *, links: LinkTargets | None = None) -> str:
    """Render the Markdown subset (paragraphs, emphasis, links, lists, code, quotes), with
    mentions and hashtags linked where `links` says."""
    text = _BIDI_CONTROLS.sub("", text)
    if not text.strip():
        return ""
    return sanitize_html(_markdown.render(text, {"link_targets": links})).strip()


# Where one block of a post ends and the next begins: words either side must not run together.
_BLOCK_BREAK = re.compile(r"<br\s*/?>|</(?:p|li|blockquote|pre|h[1-6])>", re.IGNORECASE)


def plain_text(html: str) -> str:
    """The words of sanitized HTML as a reader sees them (entities decoded, one space
    between paragraphs and lines), for search indexes and snippets."""
    spaced = _BLOCK_BREAK.sub(" ", html)
    text = html_module.unescape(nh3.clean(spaced, tags=set()))
    return " ".join(text.split())
