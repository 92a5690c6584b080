"""Uploads: sniffing, quotas, storing the upload as it came, processing it in the sandbox
(in the request or as a job), describing it."""

from __future__ import annotations

import logging
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from staffroom.core import limits
from staffroom.core.events import MediaUploaded, emit
from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.core.ratelimit import enforce
from staffroom.media import errors, storage
from staffroom.media.captions import CAPTIONS_MAX_BYTES, CaptionsRejected, clean_webvtt
from staffroom.media.models import (
    DESCRIPTION_MAX,
    TRANSCRIPT_MAX,
    MediaAttachment,
    MediaState,
    MediaType,
)
from staffroom.media.processing.sniff import SNIFF_BYTES, sniff
from staffroom.media.processing.types import (
    MediaKind,
    MediaRejected,
    OutputFile,
    ProcessedMedia,
    ProcessingLimits,
    RejectionCode,
)
from staffroom.media.sandbox import SandboxLimits, run_sandboxed
from staffroom.media.services.removal import files_delete_after_commit, media_delete_rows
from staffroom.profiles.models import Profile

logger = logging.getLogger(__name__)

NOT_FOUND = "Record not found"
# Control characters other than tab and newline mean nothing in alt text or a transcript
# (and PostgreSQL refuses NUL).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FOLDERS = {
    MediaType.IMAGE: "attachments",
    MediaType.VIDEO: "attachments",
    MediaType.AUDIO: "attachments",
    MediaType.DOCUMENT: "documents",
}


@dataclass(frozen=True)
class Focus:
    x: float = 0.0
    y: float = 0.0


def processing_limits() -> ProcessingLimits:
    return ProcessingLimits(
        max_pixels=settings.STAFFROOM_IMAGE_MAX_PIXELS,
        max_video_seconds=float(settings.STAFFROOM_MEDIA_VIDEO_MAX_SECONDS),
        max_audio_seconds=float(settings.STAFFROOM_MEDIA_AUDIO_MAX_SECONDS),
        max_document_pages=settings.STAFFROOM_MEDIA_DOCUMENT_MAX_PAGES,
    )


def sandbox_limits() -> SandboxLimits:
    cpu = settings.STAFFROOM_MEDIA_WORKER_CPU_SECONDS
    return SandboxLimits(
        memory_bytes=settings.STAFFROOM_MEDIA_WORKER_MEMORY_MB * 1024 * 1024,
        cpu_seconds=cpu,
        wall_seconds=cpu * 2.0,
    )


def parse_focus(value: str | None) -> Focus | None:
    """Mastodon's focal point, "x,y" with each between -1 and 1; None when not given."""
    if value is None or not str(value).strip():
        return None
    try:
        x_text, y_text = str(value).split(",")
        x, y = float(x_text), float(y_text)
    except ValueError as error:
        raise ValidationFailed(
            _("Validation failed: focus must be two numbers between -1 and 1, as in 0.2,-0.5")
        ) from error
    if not (-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0):
        raise ValidationFailed(
            _("Validation failed: focus must be two numbers between -1 and 1, as in 0.2,-0.5")
        )
    return Focus(round(x, 3), round(y, 3))


def _clean_text(value: str | None, *, limit: int, label: str) -> str:
    text = _CONTROLS.sub("", value or "").strip()
    if len(text) > limit:
        raise ValidationFailed(
            _("Validation failed: %(label)s is too long (the most is %(max)d characters)")
            % {"label": label, "max": limit}
        )
    return text


def _description(value: str | None) -> str:
    return _clean_text(value, limit=DESCRIPTION_MAX, label=_("Description"))


def _transcript(value: str | None) -> str:
    return _clean_text(value, limit=TRANSCRIPT_MAX, label=_("Transcript"))


def used_bytes(owner: Profile) -> int:
    """What the teacher's attachments take in storage now."""
    total = MediaAttachment.objects.filter(account=owner).aggregate(total=Sum("stored_bytes"))
    return int(total["total"] or 0)


def _sniffed_kind(upload: UploadedFile) -> MediaKind:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if not head:
        raise errors.rejected(RejectionCode.EMPTY)
    kind = sniff(head)
    if kind is None:
        raise errors.rejected(RejectionCode.NOT_SUPPORTED)
    return kind


def _check_room(owner: Profile, size: int) -> None:
    quota: int = settings.STAFFROOM_MEDIA_QUOTA_BYTES
    used = used_bytes(owner)
    if used + size > quota:
        raise errors.quota_full(quota, used)


def media_upload(
    *,
    owner: Profile,
    upload: UploadedFile,
    description: str | None = None,
    focus: str | None = None,
    transcript: str | None = None,
    process_now: bool | None = None,
) -> MediaAttachment:
    """Take an upload for `owner`; answers the attachment, ready or processing.

    `process_now=None` processes images at once and the rest in a job (Mastodon's v2
    media); True processes anything at once (v1, and the page form without script).
    Raises MediaRefused (413 for a file over its kind's limit or a full quota, 422 for a
    type we do not take or a file that fails processing now), ValidationFailed for bad
    alt text or focus, RateLimited past the upload limit. A refused upload keeps nothing.
    """
    enforce("media-upload", f"profile:{owner.pk}")
    alt = _description(description)
    spoken = _transcript(transcript)
    point = parse_focus(focus) or Focus()
    kind = _sniffed_kind(upload)
    limit: int = settings.STAFFROOM_MEDIA_MAX_BYTES[str(kind)]
    size = int(upload.size or 0)
    if size > limit:
        raise errors.too_large(limit)
    _check_room(owner, size)
    original_name = storage.clean_original_name(upload.name or "")
    upload_name = storage.save_upload(upload, storage.new_name("incoming", "upload"))
    immediately = kind is MediaKind.IMAGE if process_now is None else process_now
    try:
        with transaction.atomic():
            Profile.objects.select_for_update().filter(pk=owner.pk).first()  # one at a time
            _check_room(owner, size)
            media = MediaAttachment.objects.create(
                account=owner,
                kind=str(kind),
                upload=upload_name,
                stored_bytes=size,
                description=alt,
                transcript=spoken,
                focus_x=point.x,
                focus_y=point.y,
                original_name=original_name,
            )
            emit(
                MediaUploaded(
                    media_id=media.pk,
                    account_id=owner.pk,
                    kind=str(kind),
                    processed=immediately,
                )
            )
    except BaseException:
        storage.delete_names([upload_name])
        raise
    if immediately:
        return _process_now(media)
    return media


def _process_now(media: MediaAttachment) -> MediaAttachment:
    """Process in this request; a refusal deletes the row and every file before the
    request answers (the deletion job that follows finds nothing left), then raises."""
    uploaded = list(media.stored_names)
    media_process(media.pk)
    media.refresh_from_db()
    if media.state == MediaState.FAILED:
        code = media.error_code
        media_delete_rows([media])
        storage.delete_names(uploaded)
        raise errors.rejected(code)
    return media


def media_process(media_id: int) -> None:
    """Prove and rewrite one upload (the job's body; idempotent: a row no longer
    processing, or gone, is left as it is)."""
    media = MediaAttachment.objects.filter(pk=media_id, state=MediaState.PROCESSING).first()
    if media is None or not media.upload:
        return
    with tempfile.TemporaryDirectory(prefix="staffroom-media-") as folder:
        work = Path(folder)
        source, out_dir = work / "upload", work / "out"
        out_dir.mkdir()
        try:
            storage.copy_to_path(media.upload, source)
            result = run_sandboxed(
                MediaKind(media.kind), source, out_dir, processing_limits(), sandbox_limits()
            )
            _check_video(result)
        except MediaRejected as refusal:
            logger.info("media %s refused: %s", media.pk, refusal)
            _fail(media, refusal.code)
            return
        except FileNotFoundError:
            logger.warning("media %s: the upload is gone from storage", media.pk)
            _fail(media, RejectionCode.DAMAGED)
            return
        stored = _store_outputs(media, result, out_dir)
    _finish(media, result, stored)


def _check_video(result: ProcessedMedia) -> None:
    """Videos are kept as recorded (never transcoded), so what apps are told we accept
    (`video_matrix_limit`, `video_frame_rate_limit`) is refused, not scaled down."""
    if result.kind is not MediaKind.VIDEO:
        return
    original = result.meta.get("original") or {}
    width, height = int(original.get("width") or 0), int(original.get("height") or 0)
    if width * height > limits.VIDEO_MATRIX_MAX:
        raise MediaRejected(RejectionCode.TOO_MANY_PIXELS, f"video {width}x{height}")
    numerator, _slash, denominator = str(original.get("frame_rate") or "0/1").partition("/")
    try:
        rate = float(numerator) / float(denominator or 1)
    except (ValueError, ZeroDivisionError):
        rate = 0.0
    if rate > limits.VIDEO_FRAME_RATE_MAX:
        raise MediaRejected(RejectionCode.TOO_COMPLEX, f"video at {rate:g} frames/s")


@dataclass(frozen=True)
class _Stored:
    file: str
    preview: str
    size: int


def _store_outputs(media: MediaAttachment, result: ProcessedMedia, out_dir: Path) -> _Stored:
    kind = _media_type(result.kind)
    folder = _FOLDERS[kind]
    stem = storage.safe_stem(media.original_name) if kind == MediaType.DOCUMENT else None
    size = 0
    file_name = _store_one(out_dir, result.file, folder, stem)
    size += (out_dir / result.file.name).stat().st_size
    preview_name = ""
    if result.preview is not None:
        preview_name = _store_one(out_dir, result.preview, "previews", None)
        size += (out_dir / result.preview.name).stat().st_size
    return _Stored(file=file_name, preview=preview_name, size=size)


def _store_one(out_dir: Path, output: OutputFile, folder: str, stem: str | None) -> str:
    # Only a bare name the child wrote into its own folder (never a path it chose).
    if "/" in output.name or output.name.startswith("."):
        raise ValueError(f"unexpected output name {output.name!r}")
    name = storage.new_name(folder, output.extension, readable_stem=stem)
    return storage.save_path(out_dir / output.name, name)


def _media_type(kind: MediaKind) -> MediaType:
    return MediaType(str(kind))


def _finish(media: MediaAttachment, result: ProcessedMedia, stored: _Stored) -> None:
    with transaction.atomic():
        row = MediaAttachment.objects.select_for_update().filter(pk=media.pk).first()
        if row is None or row.state != MediaState.PROCESSING:
            # Deleted (or finished by another run) meanwhile: these files belong to no one.
            storage.delete_names([stored.file, stored.preview])
            return
        upload = row.upload
        row.kind = _media_type(result.kind)
        row.state = MediaState.READY
        row.file = stored.file
        row.preview = stored.preview
        row.content_type = result.file.content_type
        row.stored_bytes = stored.size
        row.meta = result.meta
        row.extra = result.extra
        row.blurhash = result.blurhash or ""
        row.upload = ""
        row.processed_at = timezone.now()
        row.save()
        files_delete_after_commit([upload])


def _fail(media: MediaAttachment, code: str) -> None:
    with transaction.atomic():
        row = MediaAttachment.objects.select_for_update().filter(pk=media.pk).first()
        if row is None or row.state != MediaState.PROCESSING:
            return
        upload = row.upload
        MediaAttachment.objects.filter(pk=row.pk).update(
            state=MediaState.FAILED,
            error_code=str(code),
            upload="",
            stored_bytes=0,
            processed_at=timezone.now(),
        )
        files_delete_after_commit([upload])


def media_update(
    *,
    owner: Profile,
    media: MediaAttachment,
    description: str | None = None,
    focus: str | None = None,
    transcript: str | None = None,
) -> MediaAttachment:
    """Change the alt text, focal point or transcript of the owner's attachment; absent
    values stay. Anyone else's attachment is a NotFound, as an unknown id."""
    if media.account_id != owner.pk:
        raise NotFound(NOT_FOUND)
    fields: dict[str, object] = {}
    if description is not None:
        fields["description"] = _description(description)
    if transcript is not None:
        fields["transcript"] = _transcript(transcript)
    point = parse_focus(focus)
    if point is not None:
        fields["focus_x"], fields["focus_y"] = point.x, point.y
    if fields:
        MediaAttachment.objects.filter(pk=media.pk).update(**fields)
        for name, value in fields.items():
            setattr(media, name, value)
    return media


def image_decoded_in_sandbox(data: bytes) -> bytes:
    """`data` proven, decoded, oriented and re-encoded (at most 2560 px a side, no
    metadata) by the sandboxed child, for callers that shape the picture further in their
    own process (avatars and headers): a web worker then never decodes an upload itself,
    so a small file claiming 40 megapixels costs the child's memory, not the worker's.
    Raises MediaRejected."""
    with tempfile.TemporaryDirectory(prefix="staffroom-image-") as folder:
        source, out_dir = Path(folder) / "upload", Path(folder) / "out"
        source.write_bytes(data)
        out_dir.mkdir()
        limits = processing_limits()
        result = run_sandboxed(MediaKind.IMAGE, source, out_dir, limits, sandbox_limits())
        return (out_dir / result.file.name).read_bytes()


_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")


def media_captions_set(
    *, owner: Profile, media: MediaAttachment, upload: UploadedFile, language: str = ""
) -> MediaAttachment:
    """Give the owner's ready video captions from a WebVTT file (rewritten, see
    media/captions.py), replacing any it had; `language` is a code such as en or pt-BR.
    Raises NotFound for anyone else's attachment, MediaRefused (413 past 512 KB, 422 for a
    file that is not WebVTT captions or an attachment that is not a ready video),
    ValidationFailed for a bad language code."""
    if media.account_id != owner.pk:
        raise NotFound(NOT_FOUND)
    if media.kind != MediaType.VIDEO or media.state != MediaState.READY:
        raise errors.MediaRefused(
            _("Captions go with a video that has finished processing."), code="captions_not_video"
        )
    code = (language or "").strip()
    if code and not _LANGUAGE.match(code):
        raise ValidationFailed(
            _("Validation failed: Language is not a language code such as en or pt-BR")
        )
    upload.seek(0)
    data = upload.read(CAPTIONS_MAX_BYTES + 1)
    if len(data) > CAPTIONS_MAX_BYTES:
        raise errors.too_large(CAPTIONS_MAX_BYTES)
    try:
        cleaned = clean_webvtt(data).encode()
    except CaptionsRejected as error:
        raise errors.MediaRefused(
            _(
                "These captions are not a WebVTT file we can use: save them as .vtt (UTF-8, "
                "starting with WEBVTT, with timed cues) and try again."
            ),
            code="captions_not_supported",
        ) from error
    name = default_storage.save(storage.new_name("captions", "vtt"), ContentFile(cleaned))
    try:
        with transaction.atomic():
            row = MediaAttachment.objects.select_for_update().filter(pk=media.pk).first()
            if row is None:
                raise NotFound(NOT_FOUND)
            old = row.captions
            MediaAttachment.objects.filter(pk=row.pk).update(
                captions=name,
                captions_language=code,
                stored_bytes=row.stored_bytes + len(cleaned) - _stored_size(old),
            )
            files_delete_after_commit([old])
    except BaseException:
        storage.delete_names([name])
        raise
    media.refresh_from_db()
    return media


def media_captions_clear(*, owner: Profile, media: MediaAttachment) -> MediaAttachment:
    """Remove the owner's video captions (the file goes after commit)."""
    if media.account_id != owner.pk:
        raise NotFound(NOT_FOUND)
    with transaction.atomic():
        row = MediaAttachment.objects.select_for_update().filter(pk=media.pk).first()
        if row is None:
            raise NotFound(NOT_FOUND)
        if row.captions:
            MediaAttachment.objects.filter(pk=row.pk).update(
                captions="",
                captions_language="",
                stored_bytes=max(0, row.stored_bytes - _stored_size(row.captions)),
            )
            files_delete_after_commit([row.captions])
    media.refresh_from_db()
    return media


def _stored_size(name: str) -> int:
    if not name:
        return 0
    try:
        return int(default_storage.size(name))
    except (FileNotFoundError, OSError):
        return 0
