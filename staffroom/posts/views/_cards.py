"""How a post is shown: one `PostCard` per row, built for a whole page at once.

Every page of posts (a thread, a profile, bookmarks, a hashtag) renders its rows through
`posts/_status.html` from these cards, so what a viewer may do with a post (favourite,
reshare, bookmark, and for the author edit, pin and delete) is decided here, once, with
the viewer's marks read in three queries for the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from django.templatetags.static import static
from django.urls import reverse

from staffroom.core.images import media_url
from staffroom.core.pln import Modality
from staffroom.media.cards import MediaCard, ready_cards
from staffroom.media.selectors import attachments_prefetch
from staffroom.polls.cards import PollCard, poll_cards
from staffroom.posts.audience import audience_for
from staffroom.posts.models import Status, Visibility
from staffroom.posts.selectors import viewer_marks
from staffroom.profiles.models import Profile

# Replies deeper than this are drawn at this indent, so a long thread stays readable.
DEPTH_SHOWN_MAX = 5
DEFAULT_AVATAR = "web/default-avatar.png"
# Posts of these modalities carry attachments: only they cost the page's media query.
MEDIA_MODALITIES = frozenset({Modality.IMAGE, Modality.AUDIO, Modality.VIDEO, Modality.DOCUMENT})


def status_url(status: Status, view: str = "posts:status-detail") -> str:
    """The address of a post's page (or of one of its pages: history, edit, ...).
    A reshare's page is its original's."""
    original = status.reblog_of or status
    return reverse(view, args=[original.account.acct, original.pk])


@dataclass
class PostCard:
    """A row as the viewer sees it. `status` is the row (a post or a reshare);
    `original` is what it shows and what actions act on."""

    status: Status
    original: Status
    url: str
    favourited: bool = False
    reshared: bool = False
    bookmarked: bool = False
    is_own: bool = False
    signed_in: bool = False
    depth: int = 0
    highlighted: bool = False
    media: list[MediaCard] = field(default_factory=list)
    poll: PollCard | None = None

    @property
    def media_images(self) -> list[MediaCard]:
        """The images, drawn together as a grid."""
        return [item for item in self.media if item.is_image]

    @property
    def media_others(self) -> list[MediaCard]:
        """Recordings and documents, each drawn on its own below the grid."""
        return [item for item in self.media if not item.is_image]

    @property
    def is_reshare(self) -> bool:
        return self.status.reblog_of_id is not None

    @property
    def can_reshare(self) -> bool:
        """Only public and unlisted posts are reshared: anything else would widen its
        audience (the service refuses it too)."""
        return audience_for(self.original.visibility).is_open

    @property
    def can_pin(self) -> bool:
        return self.is_own and self.original.visibility != Visibility.DIRECT

    @property
    def indent(self) -> int:
        return min(self.depth, DEPTH_SHOWN_MAX)

    @property
    def author_url(self) -> str:
        account = self.original.account
        if account.is_local:
            return reverse("profiles:profile-detail", args=[account.handle])
        return account.uri  # a federated author's page is on their own server

    @property
    def avatar_url(self) -> str:
        avatar = self.original.account.avatar
        return media_url(avatar) if avatar else static(DEFAULT_AVATAR)


def post_cards(
    viewer: Profile | None,
    statuses: Sequence[Status],
    *,
    depths: dict[int, int] | None = None,
    highlighted: int | None = None,
) -> list[PostCard]:
    """Cards for a page of rows with the viewer's marks on each original."""
    originals = [status.reblog_of or status for status in statuses]
    # "Replying to @x" names the account: one query for the page, not one per reply.
    prefetch_related_objects(originals, "in_reply_to_account")
    with_media = [original for original in originals if original.modality in MEDIA_MODALITIES]
    prefetch_related_objects(with_media, attachments_prefetch())
    marks = viewer_marks(viewer, [original.pk for original in originals], muted=False)
    polls = poll_cards([original.pk for original in originals], viewer)
    return [
        PostCard(
            status=status,
            original=original,
            url=status_url(original),
            favourited=original.pk in marks.favourited,
            reshared=original.pk in marks.reblogged,
            bookmarked=original.pk in marks.bookmarked,
            is_own=viewer is not None and original.account_id == viewer.pk,
            signed_in=viewer is not None,
            depth=(depths or {}).get(status.pk, 0),
            highlighted=status.pk == highlighted,
            media=(
                ready_cards(list(original.media_attachments.all()))
                if original.modality in MEDIA_MODALITIES
                else []
            ),
            poll=polls.get(original.pk),
        )
        for status, original in zip(statuses, originals, strict=True)
    ]


def post_card(viewer: Profile | None, status: Status) -> PostCard:
    [card] = post_cards(viewer, [status])
    return card
