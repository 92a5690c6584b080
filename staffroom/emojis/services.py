"""Writes of custom emojis, for administrators only (`moderation.roles.require_admin`).

An upload must be a PNG, GIF or WebP of at most EMOJI_MAX_BYTES (256 KiB, as Mastodon). It
is decoded in the media sandbox, shrunk into EMOJI_SIZE pixels and re-encoded by the one
image pipeline (`core/images.py`: first frame only, no metadata), then stored under
`emojis/`. The stored file is removed again if the row cannot be written, and after commit
when an emoji is deleted. Every change drops the cached map of enabled emojis after commit.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from staffroom.accounts.models import User
from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.core.ids import id_or_not_found
from staffroom.core.images import (
    CropMode,
    ImageKind,
    ImageRejected,
    ProcessedImage,
    delete_stored_image,
    process_image,
    read_limited,
    rejection,
    store_image,
)
from staffroom.emojis.models import (
    CATEGORY_MAX_LENGTH,
    EMOJI_MAX_BYTES,
    EMOJI_SIZE,
    SHORTCODE_MAX_LENGTH,
    SHORTCODE_PATTERN,
    CustomEmoji,
)
from staffroom.emojis.selectors import CACHE_KEY
from staffroom.media.processing.types import MediaRejected, RejectionCode
from staffroom.media.services import image_decoded_in_sandbox
from staffroom.moderation.roles import require_admin

EMOJI_IMAGE = ImageKind(
    "emoji",
    EMOJI_SIZE,
    EMOJI_SIZE,
    CropMode.FIT,
    keep_lossless=True,
    max_bytes=EMOJI_MAX_BYTES,
)

_SANDBOX_REASONS = {
    RejectionCode.EMPTY: "image_empty",
    RejectionCode.NOT_SUPPORTED: "image_not_supported",
    RejectionCode.TOO_MANY_PIXELS: "image_too_large",
}


def _forget_cached_map() -> None:
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def shortcode_clean(shortcode: str) -> str:
    """`shortcode` without surrounding colons and spaces, or ValidationFailed: letters,
    digits and `_`, at least two, at most SHORTCODE_MAX_LENGTH."""
    code = (shortcode or "").strip().strip(":")
    if not SHORTCODE_PATTERN.fullmatch(code) or len(code) > SHORTCODE_MAX_LENGTH:
        raise ValidationFailed(
            _(
                "Validation failed: Shortcode must be at least 2 characters, only letters, "
                "digits and underscores (at most %(count)d)"
            )
            % {"count": SHORTCODE_MAX_LENGTH}
        )
    return code


def _category_clean(category: str) -> str:
    category = " ".join((category or "").split())
    if len(category) > CATEGORY_MAX_LENGTH:
        raise ValidationFailed(
            _("Validation failed: Category is at most %(count)d characters")
            % {"count": CATEGORY_MAX_LENGTH}
        )
    return category


def _is_png_gif_or_webp(data: bytes) -> bool:
    return (
        data.startswith(b"\x89PNG\r\n\x1a\n")
        or data[:6] in (b"GIF87a", b"GIF89a")
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
    )


def emoji_image_process(upload: UploadedFile) -> ProcessedImage:
    """The upload as the emoji's stored image. Raises ImageRejected: 413 `file_too_large`
    past EMOJI_MAX_BYTES, 422 for anything but a sound PNG, GIF or WebP."""
    data = read_limited(upload, EMOJI_MAX_BYTES)
    if not data:
        raise rejection("image_empty")
    if not _is_png_gif_or_webp(data):
        raise ImageRejected(
            _("A custom emoji must be a PNG, GIF or WebP image."), code="image_not_supported"
        )
    try:
        safe = image_decoded_in_sandbox(data)
    except MediaRejected as refusal:
        raise rejection(_SANDBOX_REASONS.get(refusal.code, "image_damaged")) from refusal
    return process_image(safe, EMOJI_IMAGE)


def custom_emoji_create(
    *,
    actor: User,
    shortcode: str,
    image: UploadedFile,
    category: str = "",
    visible_in_picker: bool = True,
) -> CustomEmoji:
    """Add a custom emoji. PermissionDenied unless `actor` is an administrator;
    ValidationFailed (422) for a bad or taken shortcode or category; ImageRejected (413 or
    422) for the image. Nothing is stored when it fails."""
    require_admin(actor)
    code = shortcode_clean(shortcode)
    category = _category_clean(category)
    if CustomEmoji.objects.filter(shortcode__iexact=code).exists():
        raise _taken()
    processed = emoji_image_process(image)
    name = store_image(processed, folder="emojis")
    try:
        with transaction.atomic():
            emoji = CustomEmoji.objects.create(
                shortcode=code,
                image=name,
                width=processed.width,
                height=processed.height,
                category=category,
                is_visible_in_picker=visible_in_picker,
            )
            _forget_cached_map()
    except IntegrityError as error:  # taken meanwhile by a concurrent upload
        delete_stored_image(name)
        raise _taken() from error
    except BaseException:
        delete_stored_image(name)
        raise
    return emoji


def _taken() -> ValidationFailed:
    return ValidationFailed(_("Validation failed: Shortcode has already been taken"))


def _emoji(emoji_id: object) -> CustomEmoji:
    emoji = CustomEmoji.objects.select_for_update().filter(pk=id_or_not_found(emoji_id)).first()
    if emoji is None:
        raise NotFound("Record not found")
    return emoji


@transaction.atomic
def custom_emoji_update(
    *,
    actor: User,
    emoji_id: object,
    category: str | None = None,
    visible_in_picker: bool | None = None,
    disabled: bool | None = None,
) -> CustomEmoji:
    """Change an emoji's category, whether pickers list it, or whether it is disabled (a
    disabled emoji shows as its plain `:shortcode:` everywhere); None leaves a part as it
    is. PermissionDenied unless an administrator; NotFound for an unknown id."""
    require_admin(actor)
    emoji = _emoji(emoji_id)
    if category is not None:
        emoji.category = _category_clean(category)
    if visible_in_picker is not None:
        emoji.is_visible_in_picker = visible_in_picker
    if disabled is not None:
        emoji.is_disabled = disabled
    emoji.save(update_fields=["category", "is_visible_in_picker", "is_disabled", "updated_at"])
    _forget_cached_map()
    return emoji


@transaction.atomic
def custom_emoji_delete(*, actor: User, emoji_id: object) -> None:
    """Delete an emoji; its image file goes after commit. Posts that used it show the
    plain `:shortcode:` from then on. PermissionDenied unless an administrator; NotFound
    for an unknown id."""
    require_admin(actor)
    emoji = _emoji(emoji_id)
    name = emoji.image
    emoji.delete()
    _forget_cached_map()
    transaction.on_commit(lambda: delete_stored_image(name))
