"""What a searcher typed, read into words, phrases, hashtags and an author.

User text never reaches an index as syntax: `parse_query` keeps only words (Unicode word
characters, as both indexes tokenise them), and the engines quote every word and phrase
before it reaches FTS5's MATCH or bind it as a parameter of PostgreSQL's
`phraseto_tsquery`. So `co-teaching`, `C++`, a lone `"`, `*`, `NEAR(` or `AND OR NOT` are
plain text, never operators.

Understood syntax:

- `"exact phrase"`: the words in this order (a quote left open runs to the end);
- `#tag`: posts carrying that hashtag (matched by its normal form), and hashtag results;
- `from:handle` (or `from:@handle`, `from:handle@domain`): posts by that account;
- a word joined by punctuation (`co-teaching`, `K-12`) is a phrase of its parts, which is
  how both indexes stored it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from staffroom.core.hashtags import normalize_tag

QUERY_MAX_LENGTH = 500
# What the API accepts before answering 422: far above what is read, so a long paste is
# cut, not refused.
QUERY_FIELD_MAX = 20_000
TOKENS_MAX = 16
TERM_MAX_LENGTH = 64

_WORD = re.compile(r"\w+")
_PIECE = re.compile(r'"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+)')
_FROM = re.compile(r"from:@?(?P<handle>[\w.-]+(?:@[\w.-]+)?)", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedQuery:
    """A query read once, for every kind: `terms` and `phrases` are lower-case words
    (a phrase is its words joined by one space), `tags` are normalised hashtag names, and
    `text` is the cleaned text (for account and hashtag lookups and for display)."""

    terms: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    from_handle: str | None = None
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases or self.tags or self.from_handle)

    @property
    def has_words(self) -> bool:
        """Whether there is text to match in an index (terms or phrases)."""
        return bool(self.terms or self.phrases)

    @property
    def words(self) -> tuple[str, ...]:
        """Every term and phrase, in the order the engines match them (all must match)."""
        return self.terms + self.phrases


def clean_text(text: str) -> str:
    """The text without NUL and other control characters, at most QUERY_MAX_LENGTH long."""
    without_controls = "".join(char if char.isprintable() else " " for char in text)
    return without_controls[:QUERY_MAX_LENGTH].strip()


def _words(text: str) -> list[str]:
    return [word[:TERM_MAX_LENGTH] for word in _WORD.findall(text.lower())]


@dataclass
class _Reading:
    terms: list[str]
    phrases: list[str]
    tags: list[str]
    from_handle: str | None = None

    def count(self) -> int:
        return len(self.terms) + len(self.phrases) + len(self.tags)

    def add_words(self, words: list[str]) -> None:
        if len(words) == 1 and words[0] not in self.terms:
            self.terms.append(words[0])
        elif len(words) > 1 and (phrase := " ".join(words)) not in self.phrases:
            self.phrases.append(phrase)

    def add_piece(self, word: str) -> None:
        if (found := _FROM.fullmatch(word)) is not None and self.from_handle is None:
            self.from_handle = found["handle"]
        elif word.startswith("#"):
            tag = normalize_tag(word)[: TERM_MAX_LENGTH * 2]
            if tag and tag not in self.tags:
                self.tags.append(tag)
        else:
            self.add_words(_words(word))


def parse_query(text: str) -> ParsedQuery:
    """Read `text` (any string: NUL bytes and control characters are dropped, and only the
    first QUERY_MAX_LENGTH characters and TOKENS_MAX words, phrases and tags are kept).
    Never raises; a query with nothing left `is_empty`."""
    cleaned = clean_text(text)
    reading = _Reading([], [], [])
    for piece in _PIECE.finditer(cleaned):
        if reading.count() >= TOKENS_MAX:
            break
        if piece["phrase"] is not None:
            reading.add_words(_words(piece["phrase"]))
        else:
            reading.add_piece(piece["word"])
    return ParsedQuery(
        terms=tuple(reading.terms),
        phrases=tuple(reading.phrases),
        tags=tuple(reading.tags),
        from_handle=reading.from_handle,
        text=cleaned,
    )
