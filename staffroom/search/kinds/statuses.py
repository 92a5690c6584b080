"""Posts: full text, with Mastodon 4.2's rule for whose posts may be found.

A post may be found by a signed-in searcher when it is a public post of an account that
opted in (`is_indexable`), or when the searcher wrote it, favourited it, bookmarked it or
was mentioned in it; and then only if the audience module lets the searcher see it
(`visible_statuses`: removed posts, authors not in good standing and blocks either way
are out), less the authors the searcher mutes. Reshares are not indexed (their original
is). Signed-out visitors find no posts (Mastodon asks for a token to search posts).

Cost is bounded: candidates are read newest first, WINDOW at a time, from the narrowest
source (an author's posts for `from:` or `account_id`, else the index's matches, else a
hashtag's posts); each window keeps the posts the searcher may find that match the whole
query, and another window is read only while the page is not full (at most WINDOWS_MAX; an
author's posts are then ranked by recency alone). The page is then ranked among those kept
(`ranking.ranked`: relevance and recency), so a word in half the posts costs about what a
rare one does.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from django.db.models import Q, QuerySet

from staffroom.core.html import plain_text
from staffroom.graph.models import Follow
from staffroom.graph.selectors import active_mutes
from staffroom.posts.audience import listed_q, visible_statuses
from staffroom.posts.models import Bookmark, Favourite, Mention, Status
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import split_acct
from staffroom.search import engine
from staffroom.search.query import ParsedQuery
from staffroom.search.ranking import ranked
from staffroom.search.registry import IndexSource, SearchKind, SearchOptions, register_kind
from staffroom.search.resolve import local_target

KIND = "statuses"
# Relevance costs FTS5 a read per match (about 30 microseconds): 200 keeps a window
# under 10 ms at any size.
WINDOW = 200
WINDOWS_MAX = 5


def status_document(content: str, spoiler_text: str) -> str:
    """The indexed text of a post: its content warning and its text, without HTML."""
    return f"{spoiler_text}\n{plain_text(content)}".strip()


def _indexed() -> QuerySet[Status]:
    return Status.objects.filter(reblog_of__isnull=True, removed_at__isnull=True)


def status_batch(after: int, size: int) -> Sequence[tuple[int, str]]:
    rows = (
        _indexed()
        .filter(pk__gt=after)
        .order_by("pk")
        .values_list("pk", "content", "spoiler_text")[:size]
    )
    return [(pk, status_document(content, spoiler)) for pk, content, spoiler in rows]


def statuses_of(ids: Collection[int]) -> dict[int, str]:
    rows = _indexed().filter(pk__in=list(ids)).values_list("pk", "content", "spoiler_text")
    return {pk: status_document(content, spoiler) for pk, content, spoiler in rows}


def findable_q(viewer: Profile) -> Q:
    """Mastodon 4.2's searchable posts for `viewer` (before the audience rule)."""
    return (
        (listed_q() & Q(account__is_indexable=True))
        | Q(account=viewer)
        | Q(pk__in=Favourite.objects.filter(account=viewer).values("status_id"))
        | Q(pk__in=Bookmark.objects.filter(account=viewer).values("status_id"))
        | Q(pk__in=Mention.objects.filter(profile=viewer).values("status_id"))
    )


def findable_statuses(viewer: Profile) -> QuerySet[Status]:
    """The posts `viewer` may find: `findable_q`, then the audience rule, less mutes."""
    return (
        visible_statuses(viewer)
        .filter(reblog_of__isnull=True)
        .filter(findable_q(viewer))
        .exclude(account__in=active_mutes(viewer).values("muted_id"))
    )


# The newest WINDOW candidates (id, relevance) with ids below an id (None: the newest).
Source = Callable[[int | None], list[tuple[int, float]]]


def _text_source(query: ParsedQuery) -> Source:
    def read(below: int | None) -> list[tuple[int, float]]:
        return engine.newest_matches(KIND, query, limit=WINDOW, below=below)

    return read


def _rows_source(ids: QuerySet[Any], field: str) -> Source:
    """Candidates from an indexed column of ids (a tag's posts, an author's), newest first,
    all equally relevant."""

    def read(below: int | None) -> list[tuple[int, float]]:
        window = ids.filter(**{f"{field}__lt": below}) if below is not None else ids
        return [
            (pk, 1.0) for pk in window.order_by(f"-{field}").values_list(field, flat=True)[:WINDOW]
        ]

    return read


def _author(query: ParsedQuery, options: SearchOptions) -> tuple[bool, int | None]:
    """(whether anyone can match, the author to narrow to or None for any): `from:` naming
    nobody known, or someone other than `account_id`, matches nothing."""
    if query.from_handle is None:
        return True, options.account_id
    handle, domain = split_acct(query.from_handle)
    author = Profile.objects.filter(handle__iexact=handle, domain__iexact=domain).first()
    if author is None or options.account_id not in (None, author.pk):
        return False, None
    return True, author.pk


def _source(query: ParsedQuery, author: int | None) -> Source:
    """Where candidates come from: the author's posts, the index, or a hashtag's posts,
    whichever is narrowest to read newest first."""
    if author is not None:
        return _rows_source(Status.objects.filter(account_id=author), "pk")
    if query.has_words:
        return _text_source(query)
    return _rows_source(
        Status.tags.through.objects.filter(tag__normalized=query.tags[0]), "status_id"
    )


# The ids of a window that pass, with their relevance (None: the source's).
Keep = Callable[[list[int]], dict[int, float | None]]


def _windows(source: Source, keep: Keep, wanted: int) -> list[tuple[int, float]]:
    """Candidates read a window at a time, each window filtered by `keep`, until `wanted`
    passed or WINDOWS_MAX windows were read."""
    kept: list[tuple[int, float]] = []
    below: int | None = None
    for _ in range(WINDOWS_MAX):
        candidates = source(below)
        if not candidates:
            break
        passed = keep([pk for pk, _ in candidates])
        kept += [
            (pk, score if (found := passed[pk]) is None else found)
            for pk, score in candidates
            if pk in passed
        ]
        below = candidates[-1][0]
        if len(kept) >= wanted or len(candidates) < WINDOW:
            break
    return kept


def _findable(viewer: Profile, query: ParsedQuery, options: SearchOptions) -> QuerySet[Status]:
    """The posts the viewer may find, narrowed by the query's hashtags and, when asked, to
    the viewer's and the people they follow."""
    found = findable_statuses(viewer)
    for tag in query.tags:
        found = found.filter(tags__normalized=tag)
    if options.authors_followed:
        followed = Follow.objects.filter(follower=viewer).values("followee_id")
        found = found.filter(Q(account=viewer) | Q(account__in=followed))
    return found


def _matching(
    viewer: Profile, query: ParsedQuery, options: SearchOptions, author: int | None
) -> Keep:
    """Which ids of a window the viewer may find and match the whole query, with their
    relevance. The findable posts' query is built once, at the first window (a few
    milliseconds of ORM work, so not at all when nothing matched)."""
    built: list[QuerySet[Status]] = []

    def keep(ids: list[int]) -> dict[int, float | None]:
        if not built:
            built.append(_findable(viewer, query, options))
        allowed = list(built[0].filter(pk__in=ids).values_list("pk", flat=True))
        if author is not None and query.has_words:
            # An author's posts: match the words, ranked by recency (relevance would cost
            # FTS5 a read per match of each word).
            return dict.fromkeys(engine.matching(KIND, query, allowed), 1.0)
        return dict.fromkeys(allowed)

    return keep


def _page(ids: list[int]) -> list[Status]:
    """The posts of `ids` in that order; they passed the audience rule in this request."""
    rows = Status.objects.select_related("account__user", "reblog_of__account__user").in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def _resolved(viewer: Profile, query: ParsedQuery) -> list[Status]:
    target = local_target(query.text)
    if target is None or target.status_id is None:
        return []
    found = visible_statuses(viewer).filter(
        pk=target.status_id, account__handle__iexact=target.handle, account__domain=""
    )
    return list(found)


def search_statuses(
    viewer: Profile | None, query: ParsedQuery, options: SearchOptions
) -> list[Status]:
    """The posts matching `query` that `viewer` may find (module doc), best first; none
    for a signed-out viewer. With `resolve`, a local post's URL gives that post."""
    if viewer is None:
        return []
    if options.resolve and (resolved := _resolved(viewer, query)):
        return resolved[options.offset : options.offset + options.limit]
    if query.is_empty:
        return []
    possible, author_id = _author(query, options)
    if not possible:
        return []
    wanted = options.offset + options.limit
    kept = _windows(_source(query, author_id), _matching(viewer, query, options, author_id), wanted)
    ordered = ranked(kept) if query.has_words else [pk for pk, _ in kept]
    return _page(ordered[options.offset : options.offset + options.limit])


register_kind(
    SearchKind(
        name=KIND,
        search=search_statuses,
        order=20,
        index=IndexSource(batch=status_batch, documents_of=statuses_of),
    )
)
