"""Writes for profiles."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from staffroom.core import limits
from staffroom.core.events import ProfileUpdated, emit
from staffroom.core.exceptions import ValidationFailed
from staffroom.core.html import render_markdown
from staffroom.core.images import (
    AVATAR,
    HEADER,
    ImageKind,
    ImageRejected,
    ProcessedImage,
    delete_stored_image,
    process_image,
    read_limited,
    rejection,
    store_image,
)
from staffroom.core.text import multi_line, single_line
from staffroom.leaving.reservations import handle_is_reserved
from staffroom.media.processing.types import MediaRejected, RejectionCode
from staffroom.media.services import image_decoded_in_sandbox
from staffroom.profiles.handles import normalize_handle, validate_handle_format
from staffroom.profiles.models import (
    FIELD_NAME_MAX_LENGTH,
    FIELD_VALUE_MAX_LENGTH,
    FIELDS_MAX_COUNT,
    NOTE_MAX_LENGTH,
    Profile,
)
from staffroom.profiles.uris import local_profile_uri

if TYPE_CHECKING:
    from staffroom.accounts.models import User


def handle_is_taken(handle: str) -> bool:
    return Profile.objects.filter(handle__iexact=normalize_handle(handle), domain="").exists()


def handle_check_available(handle: str) -> None:
    """Raise ValidationError if the handle is malformed, reserved or taken."""
    validate_handle_format(handle)
    if handle_is_taken(handle) or handle_is_reserved(handle):
        raise ValidationError(
            _("The handle “%(handle)s” is taken. Please choose another."),
            code="handle_taken",
            params={"handle": handle},
        )


@transaction.atomic
def profile_create_local(*, user: User, handle: str, display_name: str = "") -> Profile:
    """Create the local actor for `user`.

    The handle keeps the case the teacher typed; uniqueness is case-insensitive (a database
    constraint backs the check, so a race ends in IntegrityError, never two profiles).
    Raises ValidationError for a malformed, reserved or taken handle.
    """
    handle = handle.strip()
    handle_check_available(handle)
    profile = Profile(
        user=user,
        handle=handle,
        domain="",
        uri=local_profile_uri(handle),
        display_name=single_line(display_name),
    )
    profile.full_clean(validate_unique=False, validate_constraints=False)
    profile.save()
    emit(ProfileUpdated(profile_id=profile.pk))
    return profile


# --- Editing a profile ------------------------------------------------------------------

DISPLAY_NAME_MAX_LENGTH = limits.DISPLAY_NAME_MAX


@dataclass(frozen=True)
class _ImageChange:
    attribute: str  # "avatar" or "header"
    processed: ProcessedImage


def _too_long(label: str, limit: int) -> str:
    return _("%(label)s is too long (maximum is %(limit)d characters)") % {
        "label": label,
        "limit": limit,
    }


def _clean_fields(raw: list[dict[str, str]], errors: list[str]) -> list[dict[str, str]]:
    """Strip each name/value pair, drop pairs left blank, and check the limits."""
    cleaned: list[dict[str, str]] = []
    for item in raw:
        name, value = single_line(item.get("name", "")), single_line(item.get("value", ""))
        if name or value:
            cleaned.append({"name": name, "value": value})
    if len(cleaned) > FIELDS_MAX_COUNT:
        errors.append(_("Fields are too many (maximum is %(count)d)") % {"count": FIELDS_MAX_COUNT})
    for item in cleaned:
        if not item["name"]:
            errors.append(_("Field name can't be blank"))
        if len(item["name"]) > FIELD_NAME_MAX_LENGTH:
            errors.append(_too_long(_("Field name"), FIELD_NAME_MAX_LENGTH))
        if len(item["value"]) > FIELD_VALUE_MAX_LENGTH:
            errors.append(_too_long(_("Field value"), FIELD_VALUE_MAX_LENGTH))
    return cleaned


def _clean_changes(
    *,
    display_name: str | None,
    note: str | None,
    is_locked: bool | None,
    is_discoverable: bool | None,
    fields: list[dict[str, str]] | None,
) -> dict[str, Any]:
    """The text and flag changes, cleaned; ValidationFailed lists every problem at once."""
    errors: list[str] = []
    changes: dict[str, Any] = {}
    if display_name is not None:
        changes["display_name"] = single_line(display_name)
        if len(changes["display_name"]) > DISPLAY_NAME_MAX_LENGTH:
            errors.append(_too_long(_("Display name"), DISPLAY_NAME_MAX_LENGTH))
    if note is not None:
        changes["note"] = multi_line(note)
        changes["note_html"] = render_markdown(changes["note"])
        if len(changes["note"]) > NOTE_MAX_LENGTH:
            errors.append(_too_long(_("Note"), NOTE_MAX_LENGTH))
    if fields is not None:
        changes["fields"] = _clean_fields(fields, errors)
    if is_locked is not None:
        changes["is_locked"] = is_locked
    if is_discoverable is not None:
        changes["is_discoverable"] = is_discoverable
    if errors:
        raise ValidationFailed(_("Validation failed: %(errors)s") % {"errors": ", ".join(errors)})
    return changes


# The sandboxed decoder's reasons, in the image pipeline's words.
_SANDBOX_REASONS = {
    RejectionCode.EMPTY: "image_empty",
    RejectionCode.NOT_SUPPORTED: "image_not_supported",
    RejectionCode.TOO_MANY_PIXELS: "image_too_large",
}


def _process_upload(upload: UploadedFile, kind: ImageKind, label: str) -> ProcessedImage:
    """The upload is decoded first in the media sandbox (a memory ceiling of its own), then
    cropped and shrunk here from that safe, at most 2560 px copy."""
    try:
        data = read_limited(upload, kind.byte_limit())
        try:
            safe = image_decoded_in_sandbox(data)
        except MediaRejected as refusal:
            raise rejection(_SANDBOX_REASONS.get(refusal.code, "image_damaged")) from refusal
        return process_image(safe, kind)
    except ImageRejected as error:
        if error.status_code != 422:  # 413 (too many bytes) keeps its own status and text
            raise
        raise ValidationFailed(
            _("Validation failed: %(label)s: %(reason)s")
            % {"label": label, "reason": error.message}
        ) from error


def profile_update(
    *,
    profile: Profile,
    display_name: str | None = None,
    note: str | None = None,
    is_locked: bool | None = None,
    is_discoverable: bool | None = None,
    fields: list[dict[str, str]] | None = None,
    avatar: UploadedFile | None = None,
    header: UploadedFile | None = None,
) -> Profile:
    """Change what the teacher edits on their own profile; `None` leaves a part as it is.

    Text is stripped of control characters (the bio keeps its line breaks); `fields`
    replaces all profile fields, and pairs left blank are dropped (as Mastodon does). Images
    go through core/images.py (`AVATAR`, `HEADER` presets) and are stored before the
    transaction; the row is locked (`select_for_update`) and saved in one transaction. The
    images they replace are deleted only after commit; if the save fails, the new files are
    deleted instead. Returns the updated profile (a fresh instance).

    Raises ValidationFailed (422) listing every problem, or ImageRejected (413) for an image
    with too many bytes; nothing is written then.
    """
    changes = _clean_changes(
        display_name=display_name,
        note=note,
        is_locked=is_locked,
        is_discoverable=is_discoverable,
        fields=fields,
    )
    images: list[_ImageChange] = []
    if avatar is not None:
        images.append(_ImageChange("avatar", _process_upload(avatar, AVATAR, _("Avatar"))))
    if header is not None:
        images.append(_ImageChange("header", _process_upload(header, HEADER, _("Header"))))
    stored: list[str] = []
    try:
        for image in images:
            name = store_image(image.processed, folder=f"{image.attribute}s")
            stored.append(name)
            changes[image.attribute] = name
        return _profile_save_changes(profile.pk, changes)
    except BaseException:
        for name in stored:
            delete_stored_image(name)
        raise


def profile_image_remove(*, profile: Profile, attribute: str) -> Profile:
    """Take the avatar or header image off the profile (the default shows again); the stored
    file is deleted after commit. Removing an image that is not there changes nothing."""
    if attribute not in ("avatar", "header"):
        raise ValueError(attribute)
    if not getattr(profile, attribute):
        return profile
    return _profile_save_changes(profile.pk, {attribute: ""})


@transaction.atomic
def _profile_save_changes(profile_id: int, changes: dict[str, Any]) -> Profile:
    profile = Profile.objects.select_for_update().get(pk=profile_id)
    replaced = [
        getattr(profile, attribute)
        for attribute in ("avatar", "header")
        if attribute in changes and getattr(profile, attribute)
    ]
    for attribute, value in changes.items():
        setattr(profile, attribute, value)
    try:
        profile.full_clean(
            exclude=[f.name for f in Profile._meta.fields if f.name not in changes],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        messages = "; ".join(error.messages)
        raise ValidationFailed(_("Validation failed: %(errors)s") % {"errors": messages}) from error
    profile.save(update_fields=[*changes, "updated_at"])
    emit(ProfileUpdated(profile_id=profile.pk))
    for name in replaced:
        transaction.on_commit(partial(delete_stored_image, name), robust=True)
    return profile
