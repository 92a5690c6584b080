"""A result's snippet: plain text around the first match, escaped, matches in `<mark>`."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from staffroom.search.query import ParsedQuery

ELLIPSIS = "…"


def _pattern(query: ParsedQuery) -> re.Pattern[str] | None:
    """Whole words of the query (a phrase's words with anything between them that is not a
    word character), longest first so a phrase wins over its own words."""
    alternatives = [
        r"\W+".join(re.escape(word) for word in phrase.split()) for phrase in query.words
    ]
    alternatives += [re.escape(tag) for tag in query.tags]
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)


def _window(text: str, start: int, length: int) -> tuple[int, int]:
    """A slice of about `length` characters that shows `start` a third of the way in,
    cut at spaces where it can."""
    begin = max(0, start - length // 3)
    if begin > 0:
        space = text.find(" ", begin, start)
        begin = space + 1 if space != -1 else begin
    end = min(len(text), begin + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return begin, end


def highlight(text: str, query: ParsedQuery, *, length: int = 240) -> SafeString:
    """`text` (plain text) cut to about `length` characters around the query's first match,
    HTML-escaped, with every match wrapped in `<mark>`; the start of the text when nothing
    matches. Safe to put in a template as it is."""
    plain = " ".join(text.split())
    pattern = _pattern(query)
    first = pattern.search(plain) if pattern is not None else None
    begin, end = _window(plain, first.start() if first is not None else 0, length)
    shown = plain[begin:end]
    pieces = [ELLIPSIS] if begin > 0 else []
    position = 0
    if pattern is not None:
        for found in pattern.finditer(shown):
            pieces.append(escape(shown[position : found.start()]))
            pieces.append(f"<mark>{escape(found.group())}</mark>")
            position = found.end()
    pieces.append(escape(shown[position:]))
    if end < len(plain):
        pieces.append(ELLIPSIS)
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text above is escaped
