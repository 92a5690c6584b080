"""Field limits, in one place: forms, the JSON API, the Mastodon API and (later) the inbox
all validate against these, and `/api/v2/instance` publishes them (SECURITY-PLAN R-4)."""

from __future__ import annotations

from django.conf import settings

DISPLAY_NAME_MAX = 100
NOTE_MAX = 5000
PROFILE_FIELDS_MAX = 4
PROFILE_FIELD_NAME_MAX = 255
PROFILE_FIELD_VALUE_MAX = 2048
MAX_FEATURED_TAGS = 10
MAX_PINNED_STATUSES = 5
MAX_MEDIA_ATTACHMENTS = 4
CHARACTERS_RESERVED_PER_URL = 23
MEDIA_DESCRIPTION_MAX = 1500
# Polls (staffroom/polls): what POST /api/v1/statuses accepts and the instance advertises.
POLL_OPTIONS_MIN = 2
POLL_OPTIONS_MAX = 4
POLL_OPTION_CHARS_MAX = 50
POLL_EXPIRATION_MIN = 5 * 60  # seconds
POLL_EXPIRATION_MAX = 2_629_746  # about a month, as Mastodon
LIST_NAME_MAX = 256
PAGE_LIMIT_DEFAULT = 40
PAGE_LIMIT_MAX = 80
IMAGE_MIME_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
# What post attachments accept besides images (decided from content; staffroom/media).
AUDIO_MIME_TYPES = (
    "audio/mpeg",
    "audio/mp3",
    "audio/mp4",
    "audio/x-m4a",
    "audio/aac",
    "audio/ogg",
    "audio/opus",
    "audio/flac",
    "audio/wav",
    "audio/x-wav",
    "audio/webm",
)
VIDEO_MIME_TYPES = ("video/mp4", "video/quicktime", "video/webm", "video/x-matroska")
DOCUMENT_MIME_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.presentation",
    "application/vnd.oasis.opendocument.spreadsheet",
)
ATTACHMENT_MIME_TYPES = IMAGE_MIME_TYPES + AUDIO_MIME_TYPES + VIDEO_MIME_TYPES + DOCUMENT_MIME_TYPES
# Videos are stored as uploaded (remuxed, never transcoded): these are refused, not resized.
VIDEO_MATRIX_MAX = 3840 * 2160
VIDEO_FRAME_RATE_MAX = 120


def post_characters_max() -> int:
    """Post length is a setting (STAFFROOM_MAX_POST_CHARS, default 1,000)."""
    return int(settings.STAFFROOM_MAX_POST_CHARS)


def image_bytes_max() -> int:
    """Avatars and headers (STAFFROOM_IMAGE_MAX_BYTES)."""
    return int(getattr(settings, "STAFFROOM_IMAGE_MAX_BYTES", 8 * 1024 * 1024))


def attachment_bytes_max(kind: str) -> int:
    """A post attachment of `kind` (image, audio, video, document)."""
    return int(settings.STAFFROOM_MEDIA_MAX_BYTES[kind])


def image_pixels_max() -> int:
    return int(getattr(settings, "STAFFROOM_IMAGE_MAX_PIXELS", 40_000_000))
