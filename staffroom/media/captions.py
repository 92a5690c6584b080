"""Captions for videos: a teacher's WebVTT file, checked and written anew.

Browsers draw `<track kind="captions">` text as text, but a caption file is still the
teacher's bytes served from our origin, so nothing of it travels as it came: the cues are
parsed (timings must be well formed and in order within each cue), every tag and control
character is dropped from their text, `&` and `<` are escaped again, and a fresh WebVTT
file is written with only timings and text (no styles, regions, notes or cue settings).
"""

from __future__ import annotations

import html
import re

CAPTIONS_MAX_BYTES = 512 * 1024
CUES_MAX = 5000
_TIMESTAMP = r"(?:(\d{1,3}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIMESTAMP}\s+-->\s+{_TIMESTAMP}(?:\s.*)?$")
_TAG = re.compile(r"<[^>]*>")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class CaptionsRejected(ValueError):
    """Not captions we can use; the message is for the teacher."""


def _milliseconds(hours: str | None, minutes: str, seconds: str, millis: str) -> int:
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def _stamp(value: int) -> str:
    hours, rest = divmod(value, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _text(line: str) -> str:
    plain = html.unescape(_TAG.sub("", _CONTROLS.sub("", line))).strip()
    return plain.replace("&", "&amp;").replace("<", "&lt;")


def clean_webvtt(data: bytes) -> str:
    """The cues of a WebVTT file as a new, plain WebVTT document; CaptionsRejected for
    anything else (not UTF-8, no `WEBVTT` header, no cue, too large, too many cues)."""
    if len(data) > CAPTIONS_MAX_BYTES:
        raise CaptionsRejected("too large")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CaptionsRejected("not UTF-8") from error
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or not lines[0].startswith("WEBVTT"):
        raise CaptionsRejected("no WEBVTT header")
    cues: list[str] = []
    index = 1
    while index < len(lines):
        match = _TIMING.match(lines[index].strip())
        if match is None:
            index += 1
            continue
        start = _milliseconds(*match.groups()[:4])
        end = _milliseconds(*match.groups()[4:])
        index += 1
        body: list[str] = []
        while index < len(lines) and lines[index].strip():
            cleaned = _text(lines[index])
            if cleaned:
                body.append(cleaned)
            index += 1
        if end > start and body:
            cues.append(f"{_stamp(start)} --> {_stamp(end)}\n" + "\n".join(body))
        if len(cues) > CUES_MAX:
            raise CaptionsRejected("too many cues")
    if not cues:
        raise CaptionsRejected("no cues")
    return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"
