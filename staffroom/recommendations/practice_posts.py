"""Which of the taxonomy's practices a post talks about, and how many recent posts each
account wrote about each practice: what the `practices` purpose means by "people who share
about your practices", beside the practices a profile lists.

A post talks about a practice when its text names it: the practice's words in order, with
spaces, hyphens, underscores or nothing between them, so "retrieval practice",
"Retrieval-Practice" and "#retrievalpractice" all count, plurals too ("formative
assessments"). A name is its slug's words or its label's ("udl", "universal design for
learning"), in English, the taxonomy's own language. Names are read left to right, the
longest first where several start at the same word, and a name's words are not read again:
"formative assessment" is not also "assessment".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp
from django.utils import translation

from staffroom.profiles import taxonomy

PRACTICE_SLUGS: tuple[str, ...] = tuple(term.slug for term in taxonomy.PRACTICES)
PRACTICE_COLUMN: dict[str, int] = {slug: i for i, slug in enumerate(PRACTICE_SLUGS)}
# Words are runs of letters and digits: "retrieval-practice" and "classroom_management" are
# two words each, "#retrievalpractice" one.
_WORD = re.compile(r"[^\W_]+")
Name = tuple[str, ...]


def _names(term: taxonomy.Term) -> set[Name]:
    """The word sequences that name a practice: its slug's and its English label's, each
    also run together (a hashtag) and with a plural last word."""
    with translation.override("en"):
        label = str(term.label)
    found: set[Name] = set()
    for words in (tuple(_WORD.findall(term.slug.lower())), tuple(_WORD.findall(label.lower()))):
        for form in (words, ("".join(words),)):
            found.update((*form[:-1], form[-1] + ending) for ending in ("", "s", "es"))
    return found


@functools.cache
def _names_by_first_word() -> dict[str, list[tuple[Name, str]]]:
    """Every name of every practice, by its first word, longest first (where names
    overlap at the same word, the longer one is meant), with the practice's slug."""
    table: dict[str, list[tuple[Name, str]]] = {}
    for term in taxonomy.PRACTICES:
        for name in _names(term):
            table.setdefault(name[0], []).append((name, term.slug))
    for names in table.values():
        names.sort(key=lambda item: (-len(item[0]), item[0]))
    return table


def practices_in(text: str) -> set[str]:
    """The slugs of the practices a text talks about.

    Words, not a regular expression over the text: most posts name no practice and are
    turned away by one set test, about 3 µs a post (a pattern of every name took 35 µs,
    seven seconds for a community's 200,000 recent posts)."""
    table = _names_by_first_word()
    words = _WORD.findall(text.lower())
    if table.keys().isdisjoint(words):
        return set()
    found: set[str] = set()
    i = 0
    while i < len(words):
        for name, slug in table.get(words[i], ()):
            if tuple(words[i : i + len(name)]) == name:
                found.add(slug)
                i += len(name)
                break
        else:
            i += 1
    return found


def practice_post_counts(ids: np.ndarray, posts: Iterable[tuple[int, str]]) -> sp.csr_matrix:
    """An (accounts x PRACTICE_SLUGS) matrix: how many of the given posts, as (author
    profile id, text) pairs, talk about each practice. `ids` are the accounts' sorted
    profile ids (the rows); posts by anyone else are left out. A post counts once per
    practice however often it names it."""
    authors: list[int] = []
    columns: list[int] = []
    for author, text in posts:
        for slug in practices_in(text):
            authors.append(author)
            columns.append(PRACTICE_COLUMN[slug])
    by_author = np.array(authors, dtype=np.int64)
    rows = np.minimum(np.searchsorted(ids, by_author), max(len(ids) - 1, 0))
    known = ids[rows] == by_author if len(ids) else np.zeros(len(by_author), dtype=np.bool_)
    counts = sp.csr_matrix(
        (np.ones(int(known.sum())), (rows[known], np.array(columns, dtype=np.int64)[known])),
        shape=(len(ids), len(PRACTICE_SLUGS)),
    )
    counts.sum_duplicates()  # (row, column) pairs repeated once per post: summed to counts
    return counts
