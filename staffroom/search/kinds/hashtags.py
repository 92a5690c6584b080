"""Hashtags: by their normal form, a prefix finds longer tags (`math` finds #mathchat).

Each word of the query, and the whole query read as one tag (`inquiry ratios` as
#inquiryratios), is a prefix of `Tag.normalized`. Exact names come first, then the most
used. `exclude_unreviewed` keeps only tags a moderator reviewed. Anyone may search tags.
"""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, Value, When

from staffroom.core.hashtags import normalize_tag
from staffroom.posts.models import Tag
from staffroom.profiles.models import Profile
from staffroom.search.query import ParsedQuery
from staffroom.search.registry import SearchKind, SearchOptions, register_kind

KIND = "hashtags"


def _names(query: ParsedQuery) -> list[str]:
    joined = normalize_tag("".join(query.words).replace(" ", ""))
    names = [*query.tags, joined, *(normalize_tag(term) for term in query.terms)]
    return [name for name in dict.fromkeys(names) if name]


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
    tags = Tag.objects.filter(prefix)
    if options.exclude_unreviewed:
        tags = tags.filter(reviewed_at__isnull=False)
    exact = Case(
        When(normalized__in=names, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    ordered = tags.annotate(exact=exact, uses=Count("statuses")).order_by(
        "exact", "-uses", "normalized"
    )
    return list(ordered[options.offset : options.offset + options.limit])


register_kind(SearchKind(name=KIND, search=search_hashtags, order=30))
