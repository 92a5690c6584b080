"""Writing media attachments: upload, process, describe, attach to posts, delete.

The flow (docs/subsystems/media.md):
1. `media_upload` sniffs the first bytes (the kind decides the size limit), checks the
   teacher's quota, stores the upload as it came under a private name, and writes a row in
   `processing` state. Images are processed at once (Mastodon answers them with 200);
   audio, video and documents by a job (202, then `GET /api/v1/media/:id` until ready).
2. `media_process` proves and rewrites the upload in a sandboxed child process, stores the
   files to serve, and deletes the upload. A refusal deletes every file: a request that
   fails keeps nothing, and a job that fails keeps only the row saying why.
3. `attachments_for_post` checks the ids a post names; `attachments_attach` and
   `attachments_replace` run inside the posts' own transaction.
4. Rows and files go with their post (StatusDeleted, `subscribers.py`), with their
   teacher (`deletions.py`), or unattached after a day (`media_orphans_sweep`).
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from staffroom.accounts.selectors import site_configuration
from staffroom.core import limits
from staffroom.core.events import MediaDeleted, MediaUploaded, emit
from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.core.pln import Modality
from staffroom.core.ratelimit import enforce
from staffroom.media import errors, storage
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
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile

logger = logging.getLogger(__name__)

ATTACHMENTS_MAX = 4
NOT_FOUND = "Record not found"
# Control characters other than tab and newline mean nothing in alt text or a transcript
# (and PostgreSQL refuses NUL).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# The modality a post takes from its attachments: the richest way of learning it offers.
_MODALITY_ORDER = (
    (MediaType.VIDEO, Modality.VIDEO),
    (MediaType.AUDIO, Modality.AUDIO),
    (MediaType.IMAGE, Modality.IMAGE),
    (MediaType.DOCUMENT, Modality.DOCUMENT),
)
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
        _delete_files_later([upload])


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
        _delete_files_later([upload])


def _delete_files_later(names: Sequence[str], media_ids: Sequence[int] = ()) -> None:
    """Say which stored files to delete: MediaDeleted's subscriber deletes them after
    commit, by a retried job."""
    kept = tuple(name for name in names if name)
    if kept or media_ids:
        emit(MediaDeleted(media_ids=tuple(media_ids), stored_names=kept))


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


@dataclass(frozen=True)
class MediaDescription:
    """New alt text, focus or transcript for one attachment, given with a post (or its
    edit); None keeps what it has."""

    media_id: str | int
    description: str | None = None
    focus: str | None = None
    transcript: str | None = None


def attachments_describe(
    *, owner: Profile, rows: Sequence[MediaAttachment], changes: Sequence[MediaDescription]
) -> None:
    """Apply `changes` to a post's attachments `rows` (each change must name one of them:
    ValidationFailed otherwise)."""
    by_id = {media.pk: media for media in rows}
    for change in changes:
        pk = _parse_ids([change.media_id])[0]
        media = by_id.get(pk)
        if media is None:
            raise ValidationFailed(
                _("Validation failed: media attachment %(id)s is not part of this post")
                % {"id": pk}
            )
        media_update(
            owner=owner,
            media=media,
            description=change.description,
            focus=change.focus,
            transcript=change.transcript,
        )


def uploads_describe(*, owner: Profile, changes: Sequence[MediaDescription]) -> None:
    """Apply `changes` to the owner's uploads that no post uses yet: the alt text and
    transcripts a page sends with a new post, written before `status_create` checks them
    (so a server that requires descriptions sees the ones just typed). One update per
    upload. Ids that are not such uploads are left alone: `status_create` refuses them with
    its reason, or answers the earlier post for a form sent twice. Raises ValidationFailed
    for more than four changes, a malformed id, or text over its limit."""
    if not changes:
        return
    ids = _parse_ids([change.media_id for change in changes])
    if len(changes) > ATTACHMENTS_MAX:
        raise ValidationFailed(
            _("Validation failed: a post may carry at most %(max)d attachments")
            % {"max": ATTACHMENTS_MAX}
        )
    rows = MediaAttachment.objects.filter(account=owner, status__isnull=True).in_bulk(ids)
    for change in changes:
        media = rows.get(_parse_ids([change.media_id])[0])
        if media is not None:
            media_update(
                owner=owner,
                media=media,
                description=change.description,
                focus=change.focus,
                transcript=change.transcript,
            )


def media_delete(*, owner: Profile, media: MediaAttachment) -> None:
    """Delete the owner's attachment that no post uses yet (409 once it is attached: the
    post's edit removes it)."""
    if media.account_id != owner.pk:
        raise NotFound(NOT_FOUND)
    if media.status_id is not None:
        raise errors.MediaRefused(
            _("This attachment is part of a post: edit the post to remove it."),
            code="media_attached",
            status_code=409,
        )
    with transaction.atomic():
        media_delete_rows([media])


def media_delete_rows(rows: Sequence[MediaAttachment]) -> int:
    """Delete attachment rows and, after commit, their files."""
    if not rows:
        return 0
    names = [name for row in rows for name in row.stored_names]
    with transaction.atomic():
        ids = [row.pk for row in rows]
        deleted, _detail = MediaAttachment.objects.filter(pk__in=ids).delete()
        _delete_files_later(names, ids)
    return deleted


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


def _parse_ids(ids: Sequence[str | int]) -> list[int]:
    parsed: list[int] = []
    for value in ids:
        text = str(value).strip()
        if not text.isdigit() or len(text) > 20:
            raise ValidationFailed(
                _("Validation failed: %(id)s is not a media attachment id") % {"id": text[:40]}
            )
        if int(text) not in parsed:
            parsed.append(int(text))
    return parsed


def attachments_for_post(
    *,
    owner: Profile,
    ids: Sequence[str | int],
    status_id: int | None = None,
    check_descriptions: bool = True,
) -> list[MediaAttachment]:
    """The owner's attachments `ids` names, in that order, checked for a post: at most
    four, each the owner's own, ready, not used by another post, and described when the
    server requires it. `status_id` is the post being edited (its own stay allowed).
    Raises ValidationFailed (422) with a sentence that says which rule."""
    wanted = _parse_ids(ids)
    if len(wanted) > ATTACHMENTS_MAX:
        raise ValidationFailed(
            _("Validation failed: a post may carry at most %(max)d attachments")
            % {"max": ATTACHMENTS_MAX}
        )
    found = MediaAttachment.objects.filter(account=owner).in_bulk(wanted)
    rows: list[MediaAttachment] = []
    for pk in wanted:
        media = found.get(pk)
        if media is None:
            raise ValidationFailed(
                _("Validation failed: media attachment %(id)s is not one of your uploads")
                % {"id": pk}
            )
        if media.status_id is not None and media.status_id != status_id:
            raise ValidationFailed(
                _("Validation failed: media attachment %(id)s is already part of another post")
                % {"id": pk}
            )
        if media.state == MediaState.PROCESSING:
            raise ValidationFailed(
                _("Cannot attach files that have not finished processing. Try again in a moment!")
            )
        if media.state == MediaState.FAILED:
            raise ValidationFailed(errors.processing_message(media.error_code))
        rows.append(media)
    if check_descriptions:
        attachments_check_descriptions(rows)
    return rows


def attachments_check_descriptions(rows: Sequence[MediaAttachment]) -> None:
    """Where the server requires it, every image has alt text and every recording a
    transcript or description; else ValidationFailed. (An edit checks after applying its
    new descriptions, so it can add the missing ones in the same request.)"""
    if not rows or not site_configuration().require_media_description:
        return
    for media in rows:
        if media.kind == MediaType.IMAGE and not media.description:
            raise ValidationFailed(
                _(
                    "Validation failed: this server asks for alt text on every image. Describe "
                    "what the image shows for colleagues who cannot see it."
                )
            )
        if media.kind in (MediaType.AUDIO, MediaType.VIDEO) and not (
            media.description or media.transcript
        ):
            raise ValidationFailed(
                _(
                    "Validation failed: this server asks for a transcript or description of "
                    "every recording, for colleagues who cannot hear it."
                )
            )


def modality_of(rows: Sequence[MediaAttachment]) -> str | None:
    """The post modality its attachments give it (video, audio, image, document), or None."""
    kinds = {row.kind for row in rows}
    for kind, modality in _MODALITY_ORDER:
        if kind in kinds:
            return str(modality)
    return None


def attachments_attach(*, status_id: int, rows: Sequence[MediaAttachment]) -> None:
    """Attach checked rows to a new post, in order. Call inside the post's transaction;
    a row taken by another post meanwhile raises ValidationFailed (rolling the post back)."""
    for position, media in enumerate(rows):
        taken = MediaAttachment.objects.filter(
            Q(status__isnull=True) | Q(status_id=status_id), pk=media.pk
        ).update(status_id=status_id, position=position)
        if not taken:
            raise ValidationFailed(
                _("Validation failed: media attachment %(id)s is already part of another post")
                % {"id": media.pk}
            )
        media.status_id, media.position = status_id, position


def attachments_replace(*, status_id: int, rows: Sequence[MediaAttachment]) -> None:
    """An edited post's attachments become `rows`; the ones it no longer names are deleted
    (rows now, files after commit). Call inside the post's transaction."""
    keep = [media.pk for media in rows]
    dropped = list(MediaAttachment.objects.filter(status_id=status_id).exclude(pk__in=keep))
    media_delete_rows(dropped)
    attachments_attach(status_id=status_id, rows=rows)


def attachments_delete_for_statuses(status_ids: Sequence[int]) -> int:
    """Delete the attachments of posts that are gone (rows now, files after commit)."""
    rows = list(MediaAttachment.objects.filter(status_id__in=status_ids))
    return media_delete_rows(rows)


def media_files_delete(names: Sequence[str]) -> None:
    storage.delete_names(names)


def media_orphans_sweep(*, now: datetime | None = None) -> int:
    """Delete what no post will use: uploads never attached after
    STAFFROOM_MEDIA_UNATTACHED_HOURS, and attachments whose post no longer exists."""
    moment = now or timezone.now()
    cutoff = moment - timedelta(hours=settings.STAFFROOM_MEDIA_UNATTACHED_HOURS)
    unattached = MediaAttachment.objects.filter(status__isnull=True, created_at__lt=cutoff)
    dangling = MediaAttachment.objects.filter(status__isnull=False).exclude(
        Exists(Status.objects.filter(pk=OuterRef("status_id")))
    )
    total = 0
    for queryset in (unattached, dangling):
        while True:
            batch = list(queryset[:500])
            if not batch:
                break
            total += media_delete_rows(batch)
    return total


def media_delete_for_account(profile: Profile) -> int:
    """Every attachment of a teacher who leaves (their posts' ones go with the posts)."""
    total = 0
    while True:
        batch = list(MediaAttachment.objects.filter(account=profile)[:500])
        if not batch:
            return total
        total += media_delete_rows(batch)
