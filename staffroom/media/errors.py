"""What a teacher reads when an upload is refused, and the HTTP status that goes with it.

Processors (in a sandboxed child with no Django) only name a `RejectionCode`; the sentence
is chosen here, in the teacher's language. 413 is for size (a file over its limit, a full
quota), 422 for everything else, as the API and the pages both answer.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from staffroom.core.exceptions import DomainError
from staffroom.media.processing.types import RejectionCode

MEGABYTE = 1024 * 1024


class MediaRefused(DomainError):
    """An upload or attachment refused: `message` for people, `code` for programs."""

    status_code = 422

    def __init__(self, message: str, *, code: str, status_code: int = 422) -> None:
        super().__init__(message)
        self.code = code
        self.status_code = status_code


def _messages() -> dict[str, str]:
    return {
        RejectionCode.NOT_SUPPORTED: _(
            "This file is not a kind we can share. Images (JPEG, PNG, GIF, WebP), audio (MP3, "
            "M4A, Ogg, Opus, FLAC, WAV), video (MP4, MOV, WebM) and documents (PDF, Word, "
            "PowerPoint, Excel, OpenDocument) are welcome."
        ),
        RejectionCode.EMPTY: _("This file is empty."),
        RejectionCode.DAMAGED: _(
            "This file seems damaged or incomplete: please save it again and upload the new copy."
        ),
        RejectionCode.TOO_MANY_PIXELS: _(
            "This image has too many pixels: please make it smaller and upload it again."
        ),
        RejectionCode.TOO_LONG: _("This recording is too long for this server."),
        RejectionCode.TOO_MANY_PAGES: _("This document has too many pages for this server."),
        RejectionCode.TOO_COMPLEX: _(
            "This file took too much memory or time to check, so it was not kept. A simpler "
            "or smaller copy will work."
        ),
        RejectionCode.MACROS: _(
            "This document contains macros, which we never share. Save it as a plain "
            "document (for example .docx rather than .docm) and upload it again."
        ),
        RejectionCode.TRACKED_CHANGES: _(
            "This document has tracked changes, which would show earlier versions and their "
            "authors. Accept or reject them, then upload it again."
        ),
        RejectionCode.COMMENTS: _(
            "This document has comments, which carry their authors' names. Delete them, then "
            "upload it again."
        ),
        RejectionCode.ENCRYPTED: _(
            "This document is password protected. Remove the password, then upload it again."
        ),
        RejectionCode.ACTIVE_CONTENT: _(
            "This PDF contains scripts, actions or embedded files, which we never share. "
            "Print it to a new PDF and upload that."
        ),
    }


def rejected(code: str) -> MediaRefused:
    """The refusal for a processor's code (an unknown code reads as "damaged")."""
    messages = _messages()
    return MediaRefused(messages.get(code, messages[RejectionCode.DAMAGED]), code=code)


def processing_message(code: str) -> str:
    return rejected(code).message


def too_large(limit_bytes: int) -> MediaRefused:
    message = _("This file is too large: the most is %(size)s MB for this kind of file.") % {
        "size": f"{limit_bytes / MEGABYTE:g}"
    }
    return MediaRefused(message, code="file_too_large", status_code=413)


def quota_full(quota_bytes: int, used_bytes: int) -> MediaRefused:
    message = _(
        "Your media space is full: you use %(used)s of %(quota)s MB. Delete some posts with "
        "media (or ask an administrator for more space) and try again."
    ) % {"used": f"{used_bytes / MEGABYTE:.1f}", "quota": f"{quota_bytes / MEGABYTE:g}"}
    return MediaRefused(message, code="quota_exceeded", status_code=413)
