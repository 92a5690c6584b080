"""Reads of profiles for a viewer: who may be seen, found and listed.

Every interface (web pages, the Mastodon API, federation) asks these functions, so each
gets the same answer. `_visible_to` is the one place that decides whether a viewer may see a
profile at all; viewer-specific filters (blocks, mutes, domain blocks) join it there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest

from staffroom.accounts.selectors import request_user
from staffroom.core.exceptions import NotFound
from staffroom.graph.selectors import profiles_visible_to_user
from staffroom.profiles import taxonomy
from staffroom.profiles.handles import HANDLE_MAX_LENGTH
from staffroom.profiles.models import Profile, ProfileQuerySet, ProfileTerm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from staffroom.accounts.models import User

    Viewer = User | AnonymousUser | None

NOT_FOUND = "Record not found"
SEARCH_QUERY_MAX_LENGTH = 300
DOMAIN_MAX_LENGTH = 253
DirectoryOrder = Literal["active", "new"]


def _viewer_user_id(viewer: Viewer) -> int | None:
    if viewer is None or not viewer.is_authenticated:
        return None
    return int(viewer.pk)


def _visible_to(viewer: Viewer, *, include_own: bool = False) -> ProfileQuerySet:
    """Profiles `viewer` may see (`graph.selectors.profiles_visible_to`: in good standing,
    on neither side of a block with the viewer; and, with `include_own`, the viewer's own
    whatever its standing), with the user loaded."""
    own_id = _viewer_user_id(viewer)
    visible = profiles_visible_to_user(own_id)
    if include_own and own_id is not None:
        visible = visible | Profile.objects.filter(user_id=own_id)
    return visible.select_related("user").prefetch_related("terms")


def profile_get_for_viewer(profile_id: int | str, viewer: Viewer = None) -> Profile:
    """The profile with this id as `viewer` may see it (user loaded).

    Raises NotFound ("Record not found") for an unknown or malformed id and for a profile
    the viewer may not see (a pending, rejected or deactivated account), so the answer never
    tells the two apart.
    """
    try:
        pk = int(str(profile_id))
    except ValueError as error:
        raise NotFound(NOT_FOUND) from error
    if not 0 < pk < 2**63:
        raise NotFound(NOT_FOUND)
    profile = _visible_to(viewer, include_own=True).filter(pk=pk).first()
    if profile is None:
        raise NotFound(NOT_FOUND)
    return profile


def profiles_for_viewer(ids: Sequence[int], viewer: Viewer = None) -> list[Profile]:
    """The profiles with these ids that `viewer` may see, in the order asked; the rest are
    left out, as one by one they would be "Record not found" (`profile_get_for_viewer`)."""
    found = {p.pk: p for p in _visible_to(viewer, include_own=True).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def own_profile(request: HttpRequest, *, with_terms: bool = False) -> Profile:
    """The signed-in teacher's own profile, with its user (and terms when asked). On API
    routes the token's lookup already loaded it with the user (`core.api.auth`)."""
    user = request_user(request)
    if not with_terms and "profile" in user._state.fields_cache:
        return user.profile
    profiles = Profile.objects.select_related("user")
    if with_terms:
        profiles = profiles.prefetch_related("terms")
    return profiles.get(user=user)


def split_acct(acct: str) -> tuple[str, str]:
    """`handle`, `@handle`, `handle@domain` -> (handle, domain); our own domain gives ''."""
    handle, _, domain = acct.strip().removeprefix("@").partition("@")
    domain = domain.strip().lower()
    if domain == settings.STAFFROOM_DOMAIN.lower():
        domain = ""
    return handle.strip(), domain


def profile_lookup(acct: str, viewer: Viewer = None) -> Profile:
    """The profile for a Mastodon `acct` (local `handle` or `handle@ourdomain`, remote
    `handle@domain`), matched case-insensitively; only profiles already known here (no
    WebFinger fetch). Raises NotFound ("Record not found"), as for a hidden account.
    """
    handle, domain = split_acct(acct)
    if not handle or len(handle) > HANDLE_MAX_LENGTH or len(domain) > DOMAIN_MAX_LENGTH:
        raise NotFound(NOT_FOUND)
    visible = _visible_to(viewer, include_own=True)
    profile = visible.filter(handle__iexact=handle, domain__iexact=domain).first()
    if profile is None:
        raise NotFound(NOT_FOUND)
    return profile


def directory_list(
    *,
    order: DirectoryOrder = "active",
    local: bool = False,
    offset: int = 0,
    limit: int = 40,
    viewer: Viewer = None,
) -> list[Profile]:
    """The profile directory: discoverable profiles, local ones only when `local`.

    Local profiles appear only when their user is active, approved and has a verified e-mail
    address. `order="new"`: newest profiles first; `"active"`: most recently active first
    (until posts exist, the last profile change stands in for the last post). One query.
    """
    profiles = _visible_to(viewer).discoverable().email_verified().filter(is_away=False)
    if local:
        profiles = profiles.local()
    sort = ("-created_at", "-pk") if order == "new" else ("-updated_at", "-pk")
    return list(profiles.order_by(*sort)[offset : offset + limit])


@dataclass(frozen=True)
class DirectoryFilters:
    """Filters of the PLN directory; each accepts a taxonomy slug (grade: a grade or a band)."""

    subject: str = ""
    grade: str = ""
    role: str = ""
    practice: str = ""
    language: str = ""
    query: str = ""

    def is_empty(self) -> bool:
        return not any(
            (self.subject, self.grade, self.role, self.practice, self.language, self.query)
        )


def _with_term(profiles: ProfileQuerySet, kind: str, values: Iterable[str]) -> ProfileQuerySet:
    matching = ProfileTerm.objects.filter(kind=kind, value__in=list(values)).values("profile_id")
    return profiles.filter(pk__in=matching)


def directory_filtered(
    filters: DirectoryFilters,
    *,
    order: DirectoryOrder = "active",
    offset: int = 0,
    limit: int = 40,
    viewer: Viewer = None,
) -> list[Profile]:
    """Discoverable, present (not away) educators matching every filter given.

    A subject filter also matches its sub-areas (`math` finds `algebra` teachers); a grade
    filter takes a grade (`g7`) or a band (`6-8`). Unknown slugs match nobody. Constant
    queries: one for the page plus one prefetch of terms.
    """
    profiles = _visible_to(viewer).discoverable().email_verified().filter(is_away=False)
    own_id = _viewer_user_id(viewer)
    if own_id is not None:  # a teacher looks for colleagues, not for themselves
        profiles = profiles.exclude(user_id=own_id)
    if filters.subject:
        subjects = {filters.subject} | {
            term.slug for term in taxonomy.SUBJECTS if term.parent == filters.subject
        }
        profiles = _with_term(profiles, "subject", subjects)
    if filters.grade:
        profiles = _with_term(profiles, "grade", taxonomy.grades_matching(filters.grade))
    if filters.practice:
        profiles = _with_term(profiles, "practice", {filters.practice})
    if filters.language:
        profiles = _with_term(profiles, "language", {filters.language})
    if filters.role:
        profiles = profiles.filter(role=filters.role)
    if filters.query:
        text = filters.query.strip()[:SEARCH_QUERY_MAX_LENGTH]
        profiles = profiles.filter(
            Q(handle__icontains=text) | Q(display_name__icontains=text) | Q(note__icontains=text)
        )
    sort = ("-created_at", "-pk") if order == "new" else ("-updated_at", "-pk")
    return list(profiles.order_by(*sort)[offset : offset + limit])
