"""Which rows a post's public counters count, and recounting them from the rows.

`replies_count`, `reblogs_count` and `favourites_count` are shown to everyone, signed out
included, so each counts only what anyone may list (as Mastodon counts only public and
unlisted replies):

- a reply or a reshare counts while it is public or unlisted, not removed by a moderator,
  and its author is in good standing: a followers-only, connections-only or direct reply,
  or a followers-only reshare, would otherwise tell everyone that a hidden post exists;
- a favourite counts while its author is in good standing (`favourited_by` leaves the
  others out).

The services move the counters by one in the transaction of the row they count (a new
reply, a deleted reshare, a removed or restored post). What changes many rows at once (an
account suspended or back, an account deleted, rows loaded in bulk) recounts the posts
concerned from the rows here, so no path can count a row twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from staffroom.posts.models import Favourite, Status, Visibility
from staffroom.profiles.models import good_standing_q

# The visibilities of the replies and reshares that counters count.
COUNTED_VISIBILITIES = frozenset({Visibility.PUBLIC, Visibility.UNLISTED})
RECOUNT_BATCH = 500


def counts_on_parent(*, visibility: str, removed: bool = False) -> bool:
    """Whether a reply or reshare of `visibility` (by an author in good standing) counts on
    the post it answers or reshares."""
    return visibility in COUNTED_VISIBILITIES and not removed


def counted_statuses_q(prefix: str = "") -> Q:
    """Replies and reshares (at `prefix`) that count on their post: open, not removed, by
    an author in good standing."""
    return (
        Q(**{f"{prefix}visibility__in": sorted(COUNTED_VISIBILITIES)})
        & Q(**{f"{prefix}removed_at__isnull": True})
        & good_standing_q(f"{prefix}account__")
    )


def _count_of(rows: QuerySet[Status] | QuerySet[Favourite], link: str) -> Coalesce:
    counted = (
        rows.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def counts_recount(status_ids: Iterable[int | None]) -> int:
    """Set the three counters of the posts `status_ids` (None and repeats ignored) to what
    their rows say, in batches. Returns how many posts were recounted."""
    ids = sorted({pk for pk in status_ids if pk is not None})
    done = 0
    for start in range(0, len(ids), RECOUNT_BATCH):
        done += _recount(Status.objects.filter(pk__in=ids[start : start + RECOUNT_BATCH]))
    return done


def counts_recount_all() -> int:
    """Recount every post's counters (after a bulk load, or to repair them)."""
    return _recount(Status.objects.all())


def _recount(posts: QuerySet[Status]) -> int:
    counted = Status.objects.filter(counted_statuses_q())
    return posts.update(
        replies_count=_count_of(counted, "in_reply_to"),
        reblogs_count=_count_of(counted, "reblog_of"),
        favourites_count=_count_of(
            Favourite.objects.filter(good_standing_q("account__")), "status"
        ),
    )


def counted_parents_of(account_id: int) -> set[int]:
    """The posts whose counters count a row of `account_id`'s: those they replied to,
    reshared or favourited."""
    mine = Status.objects.filter(account_id=account_id)
    parents = set(mine.filter(in_reply_to__isnull=False).values_list("in_reply_to_id", flat=True))
    parents |= set(mine.filter(reblog_of__isnull=False).values_list("reblog_of_id", flat=True))
    parents |= set(
        Favourite.objects.filter(account_id=account_id).values_list("status_id", flat=True)
    )
    return parents
