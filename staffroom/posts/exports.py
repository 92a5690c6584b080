"""The posts' export parts: the teacher's own posts, and their bookmarks and favourites.

`posts.json` holds every post, reply and reshare the teacher made (direct ones included:
they wrote them), each with its Markdown source, rendered HTML and edit history. Bookmarks
and favourites are written only for posts the teacher can still see
(`posts.selectors.visible_statuses`), so an archive never carries another teacher's
followers-only or direct post that its owner has since lost access to (SECURITY-PLAN D-1);
of those, only the post's URI is written, never its text. `bookmarks.csv` is Mastodon's
format (no header, one post URI a line), so a Mastodon server can import it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet

from staffroom.graph.exports import address_of
from staffroom.leaving.export import ExportWriter, export_part
from staffroom.posts.models import Bookmark, Favourite, Status, StatusEdit
from staffroom.posts.selectors import visible_statuses
from staffroom.profiles.models import Profile

if TYPE_CHECKING:
    from staffroom.accounts.models import User

CHUNK = 500


def _own_statuses(profile: Profile) -> QuerySet[Status]:
    return (
        Status.objects.filter(account=profile)
        .select_related("in_reply_to", "reblog_of")
        .prefetch_related(
            "tags",
            "mentions",
            Prefetch("edits", queryset=StatusEdit.objects.order_by("id")),
        )
        .order_by("id")
    )


def _post(status: Status) -> dict[str, Any]:
    return {
        "id": str(status.pk),
        "uri": status.uri,
        "created_at": status.created_at,
        "edited_at": status.edited_at,
        "visibility": status.visibility,
        "language": status.language or None,
        "sensitive": status.sensitive,
        "spoiler_text": status.spoiler_text,
        "text": status.text,
        "content": status.content,
        # The post they answered or reshared, as a reference only (never its text).
        "in_reply_to": status.in_reply_to.uri if status.in_reply_to else None,
        "reblog_of": status.reblog_of.uri if status.reblog_of else None,
        "pinned": status.pinned_at is not None,
        "tags": sorted(tag.name for tag in status.tags.all()),
        "mentions": sorted(address_of(profile) for profile in status.mentions.all()),
        "edits": [
            {
                "created_at": edit.created_at,
                "spoiler_text": edit.spoiler_text,
                "sensitive": edit.sensitive,
                "text": edit.text,
                "content": edit.content,
            }
            for edit in status.edits.all()
        ],
    }


def _marks(
    rows: QuerySet[Bookmark] | QuerySet[Favourite], profile: Profile
) -> Iterator[tuple[str, Any]]:
    """(post URI, when marked) for the teacher's marks on posts they can still see."""
    visible = rows.filter(account=profile, status__in=visible_statuses(profile).values("pk"))
    marks = visible.order_by("id").values_list("status__uri", "created_at")
    yield from marks.iterator(chunk_size=CHUNK)


@export_part(name="posts", version=1, order=200)
def posts_export(user: User, writer: ExportWriter) -> None:
    """`posts.json`: `posts` (the teacher's own, oldest first), and `favourites` and
    `bookmarks` (`uri`, `created_at`) of posts still visible to them."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    posts = [_post(status) for status in _own_statuses(profile).iterator(chunk_size=CHUNK)]
    writer.write_json(
        "posts.json",
        {
            "posts": posts,
            "favourites": [
                {"uri": uri, "created_at": at}
                for uri, at in _marks(Favourite.objects.all(), profile)
            ],
            "bookmarks": [
                {"uri": uri, "created_at": at}
                for uri, at in _marks(Bookmark.objects.all(), profile)
            ],
        },
    )


@export_part(name="bookmarks", version=1, order=201)
def bookmarks_export(user: User, writer: ExportWriter) -> None:
    """`bookmarks.csv` (no header): one URI a line, oldest bookmark first, as Mastodon
    writes it; only posts the teacher can still see."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    rows = ([uri] for uri, _at in _marks(Bookmark.objects.all(), profile))
    writer.write_csv("bookmarks.csv", None, rows)
