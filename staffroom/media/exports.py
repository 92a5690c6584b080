"""The media export part: every attachment file the teacher uploaded to a post.

`media/attachments/<id>.<ext>` holds each processed file as it is served (metadata already
removed), and `media_attachments.json` says which post each belongs to (by the post's id and
URI, as in `posts.json`), in which place, with its alt text and transcript (and a video's
captions, `media/attachments/<id>.vtt`). Uploads never
attached to a post are left out: they are deleted within a day anyway.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from staffroom.leaving.export import ExportWriter, export_part
from staffroom.media.models import MediaAttachment, MediaState
from staffroom.profiles.models import Profile

if TYPE_CHECKING:
    from staffroom.accounts.models import User

CHUNK = 200


def _entry(media: MediaAttachment, path: str | None) -> dict[str, Any]:
    return {
        "id": str(media.pk),
        "status_id": str(media.status_id),
        "status_uri": media.status.uri if media.status is not None else None,
        "position": media.position,
        "kind": media.kind,
        "file": path,
        "content_type": media.content_type,
        "original_name": media.original_name,
        "description": media.description,
        "transcript": media.transcript,
        "focus": {"x": media.focus_x, "y": media.focus_y},
        "meta": media.meta,
        "created_at": media.created_at,
    }


@export_part(name="media_attachments", version=1, order=210)
def media_attachments_export(user: User, writer: ExportWriter) -> None:
    """`media_attachments.json` and the files under `media/attachments/`."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    rows = (
        MediaAttachment.objects.filter(
            account=profile, status__isnull=False, state=MediaState.READY
        )
        .select_related("status")
        .order_by("id")
    )
    entries = []
    for media in rows.iterator(chunk_size=CHUNK):
        extension = media.file.rpartition(".")[2]
        path = f"media/attachments/{media.pk}.{extension}"
        copied = writer.copy_stored_file(path, media.file)
        entry = _entry(media, path if copied else None)
        if media.captions:
            captions = f"media/attachments/{media.pk}.vtt"
            entry["captions"] = (
                captions if writer.copy_stored_file(captions, media.captions) else None
            )
            entry["captions_language"] = media.captions_language
        entries.append(entry)
    writer.write_json("media_attachments.json", {"media_attachments": entries})
