"""Writing media attachments: upload, process, describe, attach to posts, delete.

The flow (docs/subsystems/attachments.md):
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

The package: `uploads` (upload, process, describe), `attachments` (on posts) and
`removal` (deleting rows and files, the sweep)."""

from __future__ import annotations

from staffroom.media.services.attachments import (
    ATTACHMENTS_MAX,
    MediaDescription,
    attachments_attach,
    attachments_check_descriptions,
    attachments_describe,
    attachments_for_post,
    attachments_replace,
    modality_of,
    uploads_describe,
)
from staffroom.media.services.removal import (
    attachments_delete_for_statuses,
    media_delete,
    media_delete_for_account,
    media_delete_rows,
    media_files_delete,
    media_holder,
    media_orphans_sweep,
)
from staffroom.media.services.uploads import (
    Focus,
    image_decoded_in_sandbox,
    media_captions_clear,
    media_captions_set,
    media_process,
    media_update,
    media_upload,
    parse_focus,
    processing_limits,
    sandbox_limits,
    used_bytes,
)

__all__ = [
    "ATTACHMENTS_MAX",
    "Focus",
    "MediaDescription",
    "attachments_attach",
    "attachments_check_descriptions",
    "attachments_delete_for_statuses",
    "attachments_describe",
    "attachments_for_post",
    "attachments_replace",
    "image_decoded_in_sandbox",
    "media_captions_clear",
    "media_captions_set",
    "media_delete",
    "media_delete_for_account",
    "media_delete_rows",
    "media_files_delete",
    "media_holder",
    "media_orphans_sweep",
    "media_process",
    "media_update",
    "media_upload",
    "modality_of",
    "parse_focus",
    "processing_limits",
    "sandbox_limits",
    "uploads_describe",
    "used_bytes",
]
