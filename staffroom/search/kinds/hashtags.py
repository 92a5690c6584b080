"""Hashtags: by their normal form, a prefix finds longer tags (`math` finds #mathchat).

Each word of the query, and the whole query read as one tag (`inquiry ratios` as
#inquiryratios), is a prefix of `Tag.normalized`. Exact names come first, then the most
used in public. `exclude_unreviewed` keeps only tags a moderator reviewed. Anyone may
search tags.

A tag is found only where it is already public: carried by a listed post that anyone may
see (not removed, by an author in good standing whom no moderator limited), or followed or
featured by the searcher. A tag written only in followers-only or direct posts would
otherwise tell a stranger that it exists (a pupil's name in a tag, say).
"""

from __future__ import annotations

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When

from staffroom.core.hashtags import normalize_tag
from staffroom.hashtags.models import FeaturedTag, TagFollow
from staffroom.posts.audience import listed_q
from staffroom.posts.models import Status, Tag
from staffroom.profiles.models import Profile, good_standing_q
from staffroom.search.query import ParsedQuery
from staffroom.search.registry import SearchKind, SearchOptions, register_kind

KIND = "hashtags"


def _names(query: ParsedQuery) -> list[str]:
    joined = normalize_tag("".join(query.words).replace(" ", ""))
    names = [*query.tags, joined, *(normalize_tag(term) for term in query.terms)]
    return [name for name in dict.fromkeys(names) if name]


def _public_use_q(prefix: str) -> Q:
    """Posts (at `prefix`) that make their tags public."""
    return (
        listed_q(prefix)
        & Q(**{f"{prefix}removed_at__isnull": True})
        & Q(**{f"{prefix}account__limited_at__isnull": True})
        & good_standing_q(f"{prefix}account__")
    )


def _public_or_own(viewer: Profile | None) -> Q:
    # Correlated, so each candidate tag stops at its first public use: an `IN (every tag
    # with a public use)` list is built whole on SQLite, a scan of every post's tags.
    public = Status.tags.through.objects.filter(_public_use_q("status__"), tag_id=OuterRef("pk"))
    found = Q(Exists(public))
    if viewer is not None:
        found |= Q(pk__in=TagFollow.objects.filter(profile=viewer).values("tag_id"))
        found |= Q(pk__in=FeaturedTag.objects.filter(profile=viewer).values("tag_id"))
    return found


def search_hashtags(
    viewer: Profile | None, query: ParsedQuery, options: SearchOptions
) -> list[Tag]:
    """Tags whose normal form starts with a word of the query (module doc), best first."""
    names = _names(query)
    if not names:
        return []
    prefix = Q()
    for name in names:
        prefix |= Q(normalized__startswith=name)
    tags = Tag.objects.filter(prefix).filter(_public_or_own(viewer))
    if options.exclude_unreviewed:
        tags = tags.filter(reviewed_at__isnull=False)
    exact = Case(
        When(normalized__in=names, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    public_uses = Count("statuses", filter=_public_use_q("statuses__"))
    ordered = tags.annotate(exact=exact, uses=public_uses).order_by("exact", "-uses", "normalized")
    return list(ordered[options.offset : options.offset + options.limit])


register_kind(SearchKind(name=KIND, search=search_hashtags, order=30))
