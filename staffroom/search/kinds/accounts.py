"""People: by handle, display name, bio, subjects, practices, role and free tags.

Who may be found: accounts in good standing on neither side of a block with the searcher
(`profiles_visible_to`). A discoverable account (not limited by a moderator) matches on
every indexed field and on a handle prefix; any other account only by its exact handle
(`handle`, `@handle` or `handle@domain`), so people who know the address still reach it.
Order: the exact handle, then handle prefixes, then display names containing the query
(as typed: "ana" finds "Maria Santana"), then full-text matches by relevance (any word;
more and rarer words rank higher).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from staffroom.graph.models import Follow
from staffroom.graph.selectors import profiles_visible_to
from staffroom.profiles import taxonomy
from staffroom.profiles.handles import HANDLE_MAX_LENGTH
from staffroom.profiles.models import Profile, ProfileQuerySet, TermKind
from staffroom.profiles.selectors import split_acct
from staffroom.search import engine
from staffroom.search.query import ParsedQuery
from staffroom.search.registry import IndexSource, SearchKind, SearchOptions, register_kind
from staffroom.search.resolve import local_target

KIND = "accounts"
MATCHES_MAX = 1000
_LABELS = {
    TermKind.SUBJECT: taxonomy.SUBJECTS,
    TermKind.PRACTICE: taxonomy.PRACTICES,
    TermKind.GRADE: taxonomy.GRADES,
}


def _term_text(kind: str, value: str) -> str:
    terms = _LABELS.get(TermKind(kind)) if kind in TermKind.values else None
    label = taxonomy.label_of(terms, value) if terms else value
    return f"{value.replace('-', ' ')} {label}" if label != value else value


def account_document(profile: Profile) -> str:
    """The indexed text of an account (its terms must be prefetched or are read)."""
    terms = " ".join(
        _term_text(term.kind, term.value)
        for term in profile.terms.all()
        if term.kind != TermKind.LANGUAGE
    )
    role = taxonomy.label_of(taxonomy.ROLES, profile.role) if profile.role else ""
    return "\n".join(
        part for part in (profile.handle, profile.display_name, role, profile.note, terms) if part
    )


def _documents(profiles: QuerySet[Profile]) -> list[tuple[int, str]]:
    return [(profile.pk, account_document(profile)) for profile in profiles]


def account_batch(after: int, size: int) -> Sequence[tuple[int, str]]:
    rows = Profile.objects.filter(pk__gt=after).order_by("pk").prefetch_related("terms")
    return _documents(rows[:size])


def accounts_of(ids: Collection[int]) -> dict[int, str]:
    return dict(_documents(Profile.objects.filter(pk__in=list(ids)).prefetch_related("terms")))


def _address(text: str) -> tuple[str, str] | None:
    """(handle, domain) when `text` reads as one account's address, else None."""
    candidate = text.strip()
    if (target := local_target(candidate)) is not None:
        return target.handle, ""
    handle, domain = split_acct(candidate)
    if not handle or " " in candidate or len(handle) > HANDLE_MAX_LENGTH:
        return None
    if not all(char.isalnum() or char == "_" for char in handle):
        return None
    return handle, domain


_EXACT, _PREFIX, _NAME, _TEXT = range(4)


def _candidates(
    visible: ProfileQuerySet, query: ParsedQuery, address: tuple[str, str] | None
) -> list[tuple[int, int]]:
    """(id, rank) of every account found, by rank then handle: one query."""
    exact = Q(pk__in=[])
    prefix = Q(pk__in=[])
    if address is not None:
        handle, domain = address
        exact = Q(handle__iexact=handle, domain__iexact=domain)
        prefix = Q(handle__istartswith=handle)
        if domain:
            prefix &= Q(domain__istartswith=domain)
    name = Q(display_name__icontains=query.text) if query.text else Q(pk__in=[])
    text = (
        Q(pk__in=engine.matching_ids(KIND, query, any_word=True))
        if query.has_words
        else Q(pk__in=[])
    )
    discoverable = Q(is_discoverable=True, limited_at__isnull=True)
    rank = Case(
        When(exact, then=Value(_EXACT)),
        When(prefix, then=Value(_PREFIX)),
        When(name, then=Value(_NAME)),
        default=Value(_TEXT),
        output_field=IntegerField(),
    )
    found = visible.filter(exact | (discoverable & (prefix | name | text))).annotate(rank=rank)
    local_first = Case(When(domain="", then=Value(0)), default=Value(1))
    ordered = found.order_by("rank", local_first, Lower("handle"), "domain", "pk")
    return list(ordered.values_list("pk", "rank")[:MATCHES_MAX])


def _ordered_ids(
    visible: ProfileQuerySet, query: ParsedQuery, address: tuple[str, str] | None
) -> list[int]:
    """Ids best first: exact handle, handle prefix, display name, then full-text matches
    by relevance (one more query, only when there are such matches)."""
    found = _candidates(visible, query, address)
    by_text = [pk for pk, rank in found if rank == _TEXT]
    scores = engine.scores(KIND, query, by_text, any_word=True) if by_text else {}
    by_text.sort(key=lambda pk: -scores.get(pk, 0.0))
    return [pk for pk, rank in found if rank != _TEXT] + by_text


def search_accounts(
    viewer: Profile | None, query: ParsedQuery, options: SearchOptions
) -> list[Profile]:
    """The accounts matching `query` that `viewer` may find (module doc), best first.
    `following`: only accounts the viewer follows. `resolve`: a local profile's URL finds
    that profile (as an exact handle would)."""
    visible = profiles_visible_to(viewer)
    if options.following:
        if viewer is None:
            return []
        visible = visible.filter(
            pk__in=Follow.objects.filter(follower=viewer).values("followee_id")
        )
    address = _address(query.text.removeprefix("@")) if query.text else None
    if address is None and not query.has_words:
        return []
    ids = _ordered_ids(visible, query, address)
    page = ids[options.offset : options.offset + options.limit]
    rows = Profile.objects.select_related("user").in_bulk(page)
    return [rows[pk] for pk in page if pk in rows]


register_kind(
    SearchKind(
        name=KIND,
        search=search_accounts,
        order=10,
        index=IndexSource(batch=account_batch, documents_of=accounts_of),
    )
)
