"""One spelling per hashtag: how `#Café`, `#CAFE` and `#cafe` become the same tag.

The rules are Mastodon's, so a tag means the same here as on the servers we federate with:
compatibility-normalise (NFKC, which also folds full-width and other CJK variants), lower-case,
fold Latin letters with accents to ASCII (`é` to `e`, `ß` to `ss`), and keep only letters,
digits and the separators Mastodon allows (`_`, the middle dots and the zero-width non-joiner).
Letters of other scripts keep their marks: folding them would merge distinct words.

Pure Python, no Django: `core/html.py` uses it while reading a post's text.
"""

from __future__ import annotations

import unicodedata

# The characters Mastodon accepts inside a hashtag besides letters and digits.
SEPARATORS = frozenset("_\u00b7\u30fb\u200c")

# Latin letters NFKD does not decompose into a base letter and a mark.
_FOLD_SPECIAL = {
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "\u0131": "i",  # dotless i
    "ħ": "h",
    "ŋ": "n",
}


def _fold_letter(char: str) -> str:
    if char.isascii():
        return char
    special = _FOLD_SPECIAL.get(char)
    if special is not None:
        return special
    if "LATIN" not in unicodedata.name(char, ""):
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base.isascii() and base else char


def normalize_tag(name: str) -> str:
    """The key a hashtag is matched by: `normalize_tag("#Café") == normalize_tag("cafe")`.
    A leading `#` is dropped; an empty string means no valid hashtag was left."""
    text = unicodedata.normalize("NFKC", name.removeprefix("#")).lower()
    folded = "".join(_fold_letter(char) for char in text)
    return "".join(char for char in folded if _kept(char))


def _kept(char: str) -> bool:
    # Letters, digits and marks (Ruby's [[:alnum:]], which Mastodon uses, includes marks:
    # Devanagari or Thai words are written with them).
    return char.isalnum() or char in SEPARATORS or unicodedata.category(char).startswith("M")
