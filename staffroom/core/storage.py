"""Media in an S3-compatible bucket (DESIGN.md, scale path), chosen in settings when
STAFFROOM_S3_BUCKET is set.

The bucket serves the files itself, so each object carries the headers the media view would
send, fixed when it is written: the content type from our extension table (never guessed by
the bucket or by `mimetypes`), `attachment` with the file's name for documents and `inline`
for the rest, and immutable caching. A bucket cannot send `nosniff` or our sandboxing CSP:
media must then come from a domain of their own (docs/subsystems/media.md).
"""

from __future__ import annotations

from storages.backends.s3 import S3Storage

from staffroom.core.media_types import (
    FALLBACK_CONTENT_TYPE,
    IMMUTABLE_CACHE,
    content_disposition,
    served_content_type,
)


class MediaS3Storage(S3Storage):
    def get_object_parameters(self, name: str) -> dict[str, str]:
        """What S3 stores with the object `name` and sends with it on every GET."""
        params: dict[str, str] = super().get_object_parameters(name)
        location = self.location.strip("/")
        relative = name.removeprefix(f"{location}/") if location else name
        content_type = served_content_type(relative)
        if content_type is None:
            # A raw upload (`incoming/`) or a type never served: private where the bucket
            # takes ACLs, and a download, never a page, should it be reached anyway.
            params.update(
                ContentType=FALLBACK_CONTENT_TYPE,
                ContentDisposition="attachment",
                CacheControl="private, no-store",
            )
            if self.default_acl:
                params["ACL"] = "private"
            return params
        params.update(
            ContentType=content_type,
            ContentDisposition=content_disposition(relative),
            CacheControl=IMMUTABLE_CACHE,
        )
        return params
