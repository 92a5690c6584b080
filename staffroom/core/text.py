"""What a name or a line of text people type may hold: one cleaner for every field.

A single-line name (a display name, a profile field, a list, filter or starter-pack title,
a poll answer, a content warning) loses control characters and the bidirectional
*embedding, override and isolate* controls (U+202A..U+202E, U+2066..U+2069). Those are how
"gnp.exe" is made to display as "exe.png", or a name reaches past its own end and reverses
the text around it. The bidi *marks* (U+200E, U+200F, U+061C) stay: they only settle where
neutral characters such as punctuation go, and writers of Arabic and Hebrew need them.

Multi-line text (a bio, a post) keeps its line breaks and tabs and loses other control
characters; its bidi controls stay, because each paragraph is its own block on the page,
where the controls end with the paragraph.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_C0_C1 = "\x00-\x1f\x7f-\x9f"
_NOT_IN_A_NAME = re.compile(f"[{_C0_C1}{BIDI_CONTROLS}]")
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_NOT_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def single_line(text: str) -> str:
    """`text` without control characters or bidi embedding/override/isolate controls,
    stripped at both ends (spacing inside is the caller's to collapse)."""
    return _NOT_IN_A_NAME.sub("", text).strip()


def without_bidi_controls(text: str) -> str:
    """`text` without the bidi embedding, override and isolate controls, and nothing else
    changed (a content warning keeps its line breaks)."""
    return _BIDI.sub("", text)


def multi_line(text: str) -> str:
    """`text` with line breaks as `\\n` and no control characters but line breaks and tabs,
    stripped at both ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_IN_TEXT.sub("", text).strip()


def one_spaced_line(text: str) -> str:
    """single_line with every run of white space made one space (titles and answers)."""
    return " ".join(single_line(text).split())
