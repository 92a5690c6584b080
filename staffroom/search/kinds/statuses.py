"""Posts: full text, with Mastodon 4.2's rule for whose posts may be found.

A post may be found by a signed-in searcher when it is a public post of an account that
opted in (`is_indexable`), or when the searcher wrote it, favourited it, bookmarked it or
was mentioned in it; and then only if the audience module lets the searcher see it
(`visible_statuses`: removed posts, authors not in good standing and blocks either way
are out), less the authors the searcher mutes. Reshares are not indexed (their original
is). Signed-out visitors find no posts (Mastodon asks for a token to search posts).

Cost is bounded: without an author or hashtag to narrow by, the index gives its newest
WINDOW matches, those the searcher may find are kept, and the page is ranked among them
(`ranking.ranked`); more windows are read only while a page is not yet full. With
`from:`, `#tag` or `account_id`, the narrowed posts are matched against the index in SQL,
newest WINDOW of them ranked.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from django.db.models import Q, QuerySet

from staffroom.core.html import plain_text
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
WINDOW = 1000
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


def _narrowed(
    found: QuerySet[Status], query: ParsedQuery, options: SearchOptions
) -> QuerySet[Status] | None:
    """`found` narrowed by author and hashtags; None when the author is unknown."""
    if options.account_id is not None:
        found = found.filter(account_id=options.account_id)
    if query.from_handle is not None:
        handle, domain = split_acct(query.from_handle)
        author = Profile.objects.filter(handle__iexact=handle, domain__iexact=domain).first()
        if author is None:
            return None
        found = found.filter(account=author)
    for tag in query.tags:
        found = found.filter(tags__normalized=tag)
    return found


def _ranked_ids(
    found: QuerySet[Status], query: ParsedQuery, narrowed: bool, wanted: int
) -> list[int]:
    if narrowed:
        ids = list(
            found.filter(pk__in=engine.matching_ids(KIND, query))
            .order_by("-pk")
            .values_list("pk", flat=True)[:WINDOW]
        )
        scores = engine.scores(KIND, query, ids)
        return ranked((pk, scores.get(pk, 0.0)) for pk in ids)
    kept: list[tuple[int, float]] = []
    below: int | None = None
    for _ in range(WINDOWS_MAX):
        matches = engine.newest_matches(KIND, query, limit=WINDOW, below=below)
        if not matches:
            break
        allowed = set(found.filter(pk__in=[pk for pk, _ in matches]).values_list("pk", flat=True))
        kept += [(pk, score) for pk, score in matches if pk in allowed]
        below = matches[-1][0]
        if len(kept) >= wanted or len(matches) < WINDOW:
            break
    return ranked(kept)


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
    base = findable_statuses(viewer)
    found = _narrowed(base, query, options)
    if found is None:
        return []
    if not query.has_words:
        return list(found.order_by("-pk")[options.offset : options.offset + options.limit])
    narrowed = found is not base
    page = _ranked_ids(found, query, narrowed, options.offset + options.limit)
    page = page[options.offset : options.offset + options.limit]
    rows = visible_statuses(viewer).in_bulk(page)
    return [rows[pk] for pk in page if pk in rows]


register_kind(
    SearchKind(
        name=KIND,
        search=search_statuses,
        order=20,
        index=IndexSource(batch=status_batch, documents_of=statuses_of),
    )
)
