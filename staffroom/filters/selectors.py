"""Reading filters, and matching posts against them: the one implementation behind the
`filtered` of every Status (REST and streaming), the posts `hide` filters take out of
timelines, threads, profiles and notifications, and the warnings of the web pages.

A viewer's active filters (not expired) are read once per request (three queries: filters,
keywords, posts) into a `ViewerFilters`, which compiles one regular expression over all
their keywords: a post none of them can match costs one search. Only a post it matches is
checked keyword by keyword, to name the filters and keywords that matched.

Matching follows Mastodon: a keyword matches the post's plain text, its content warning and
its attachments' descriptions, case-insensitively; a `whole_word` keyword matches only
between word boundaries (a boundary is asked for only on a side that starts or ends with a
letter, digit or underscore, so `#edchat` and `c++` behave); a reshare is matched by the
post it reshares.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from staffroom.core.exceptions import NotFound
from staffroom.core.html import plain_text
from staffroom.core.ids import id_or_not_found
from staffroom.filters.models import Filter, FilterAction, FilterKeyword, FilterStatus
from staffroom.media.models import MediaAttachment
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile

# The attribute of a request holding the filters read for it, by viewer id.
_REQUEST_CACHE = "_staffroom_filters"
_WORD = re.compile(r"\w")


def keyword_pattern(keyword: str, *, whole_word: bool) -> str:
    """The regular expression of one keyword, without flags (Mastodon's rule)."""
    escaped = re.escape(keyword)
    if not whole_word:
        return escaped
    start = r"\b" if keyword and _WORD.match(keyword[0]) else ""
    end = r"\b" if keyword and _WORD.match(keyword[-1]) else ""
    return f"{start}{escaped}{end}"


@dataclass(frozen=True)
class FilterMatch:
    """One filter matching one post: the keywords that matched, the filtered post ids."""

    filter: Filter
    keyword_matches: list[str] | None
    status_matches: list[str] | None


@dataclass
class ViewerFilters:
    """A viewer's active filters, compiled; match posts with `matches` and `hides`."""

    filters: list[Filter]
    owner_id: int | None = None
    _any: re.Pattern[str] | None = None
    _patterns: dict[int, re.Pattern[str]] = field(default_factory=dict)
    _texts: dict[int, str] = field(default_factory=dict)
    _statuses: dict[int, set[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        patterns = [
            keyword_pattern(keyword.keyword, whole_word=keyword.whole_word)
            for item in self.filters
            for keyword in item.keywords.all()
        ]
        if patterns:
            self._any = re.compile("|".join(patterns), re.IGNORECASE)
        for item in self.filters:
            self._statuses[item.pk] = {row.status_id for row in item.statuses.all()}

    def __bool__(self) -> bool:
        return bool(self.filters)

    def _pattern(self, keyword: FilterKeyword) -> re.Pattern[str]:
        found = self._patterns.get(keyword.pk)
        if found is None:
            found = re.compile(
                keyword_pattern(keyword.keyword, whole_word=keyword.whole_word), re.IGNORECASE
            )
            self._patterns[keyword.pk] = found
        return found

    def prepare(self, statuses: Iterable[Status]) -> None:
        """Read what matching needs for these posts at once (their attachments'
        descriptions: one query); posts read before are not read again."""
        if self._any is None:
            return
        originals = [status.reblog_of or status for status in statuses]
        wanted = [status for status in originals if status.pk not in self._texts]
        if not wanted:
            return
        descriptions: dict[int, list[str]] = {}
        rows = MediaAttachment.objects.filter(status_id__in=[status.pk for status in wanted])
        for status_id, description in rows.exclude(description="").values_list(
            "status_id", "description"
        ):
            descriptions.setdefault(status_id, []).append(description)
        for status in wanted:
            parts = [
                status.spoiler_text,
                plain_text(status.content),
                *descriptions.get(status.pk, []),
            ]
            self._texts[status.pk] = "\n".join(part for part in parts if part)

    def _text(self, status: Status) -> str:
        if status.pk not in self._texts:
            self.prepare([status])
        return self._texts[status.pk]

    def matches(self, status: Status, context: str) -> list[FilterMatch]:
        """The filters applying in `context` that match `status` (a reshare: the post it
        reshares), in the order the viewer made them. The viewer's own posts never match,
        as on Mastodon."""
        target = status.reblog_of or status
        if target.account_id == self.owner_id:
            return []
        applying = [item for item in self.filters if context in item.context]
        if not applying:
            return []
        text: str | None = None
        if self._any is not None:
            text = self._text(target)
            if not self._any.search(text):
                text = None
        found = []
        for item in applying:
            keywords = None
            if text is not None:
                keywords = [
                    keyword.keyword
                    for keyword in item.keywords.all()
                    if self._pattern(keyword).search(text)
                ] or None
            filtered = self._statuses[item.pk] & {target.pk, status.pk}
            statuses = [str(pk) for pk in sorted(filtered)] or None
            if keywords or statuses:
                found.append(FilterMatch(item, keywords, statuses))
        return found

    def hides(self, status: Status, context: str) -> bool:
        """Whether a `hide` filter applying in `context` matches `status`."""
        return any(
            match.filter.action == FilterAction.HIDE for match in self.matches(status, context)
        )


_NO_FILTERS = ViewerFilters([])


def _active(now: Any = None) -> Q:
    now = now or timezone.now()
    return Q(expires_at__isnull=True) | Q(expires_at__gt=now)


def _loaded(accounts: Iterable[int]) -> QuerySet[Filter]:
    return (
        Filter.objects.filter(_active(), account_id__in=list(accounts))
        .prefetch_related(
            Prefetch("keywords", queryset=FilterKeyword.objects.order_by("id")),
            Prefetch("statuses", queryset=FilterStatus.objects.order_by("id")),
        )
        .order_by("id")
    )


def viewer_filters(viewer: Profile | None, request: HttpRequest | None = None) -> ViewerFilters:
    """`viewer`'s active filters, compiled; read once per `request` (kept on it)."""
    if viewer is None:
        return _NO_FILTERS
    cache: dict[int, ViewerFilters] | None = None
    if request is not None:
        cache = getattr(request, _REQUEST_CACHE, None)
        if cache is None:
            cache = {}
            setattr(request, _REQUEST_CACHE, cache)
        if viewer.pk in cache:
            return cache[viewer.pk]
    built = ViewerFilters(list(_loaded([viewer.pk])), viewer.pk)
    if cache is not None:
        cache[viewer.pk] = built
    return built


def viewer_filters_for(viewer_ids: Iterable[int]) -> dict[int, ViewerFilters]:
    """The active filters of each of `viewer_ids`, read together (three queries), for the
    streaming API's many viewers of one post."""
    wanted = list(viewer_ids)
    by_account: dict[int, list[Filter]] = {pk: [] for pk in wanted}
    if wanted:
        for item in _loaded(wanted):
            by_account[item.account_id].append(item)
    return {
        pk: ViewerFilters(items, pk) if items else _NO_FILTERS for pk, items in by_account.items()
    }


def without_hidden(
    statuses: Sequence[Status],
    viewer: Profile | None,
    context: str,
    request: HttpRequest | None = None,
) -> list[Status]:
    """`statuses` less those a `hide` filter of `viewer` takes out in `context`. Pages keep
    their cursors from the rows before this (the Link header points past hidden posts)."""
    filters = viewer_filters(viewer, request)
    if not filters:
        return list(statuses)
    filters.prepare(statuses)
    return [status for status in statuses if not filters.hides(status, context)]


# --- The filters themselves --------------------------------------------------------------


def filters_of(account: Profile) -> list[Filter]:
    """Every filter of `account` (expired ones too, as Mastodon lists them), oldest first,
    with their keywords and posts."""
    return list(
        Filter.objects.filter(account=account)
        .prefetch_related(
            Prefetch("keywords", queryset=FilterKeyword.objects.order_by("id")),
            Prefetch("statuses", queryset=FilterStatus.objects.order_by("id")),
        )
        .order_by("id")
    )


def filter_of(account: Profile, filter_id: object) -> Filter:
    """One of `account`'s filters; NotFound for any other id (someone else's included)."""
    pk = id_or_not_found(filter_id)
    found = (
        Filter.objects.filter(pk=pk, account=account)
        .prefetch_related(
            Prefetch("keywords", queryset=FilterKeyword.objects.order_by("id")),
            Prefetch("statuses", queryset=FilterStatus.objects.order_by("id")),
        )
        .first()
    )
    if found is None:
        raise NotFound("Record not found")
    return found


def keyword_of(account: Profile, keyword_id: object) -> FilterKeyword:
    """One keyword of `account`'s filters (with its filter); NotFound otherwise."""
    pk = id_or_not_found(keyword_id)
    found = (
        FilterKeyword.objects.filter(pk=pk, filter__account=account)
        .select_related("filter")
        .first()
    )
    if found is None:
        raise NotFound("Record not found")
    return found


def filter_status_of(account: Profile, filter_status_id: object) -> FilterStatus:
    """One filtered post of `account`'s filters; NotFound otherwise."""
    pk = id_or_not_found(filter_status_id)
    found = FilterStatus.objects.filter(pk=pk, filter__account=account).first()
    if found is None:
        raise NotFound("Record not found")
    return found


def keywords_of(account: Profile) -> list[FilterKeyword]:
    """Every keyword of `account`'s filters, as the v1 API lists them (each one a v1
    filter), oldest first."""
    return list(
        FilterKeyword.objects.filter(filter__account=account)
        .select_related("filter")
        .order_by("id")
    )
