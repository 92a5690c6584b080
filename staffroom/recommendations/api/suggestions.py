"""Who to follow over the API: Mastodon's `/api/v2/suggestions` (and the deprecated v1
list of accounts, and dismissing one), and the PLN routes under `/api/v1/pln/`:
suggestions for a purpose, educators like a given one, accounts to add to a purpose list,
and taking back a dismissal.

Routes are thin: each calls one selector or service of `staffroom.recommendations`. The
teacher's own suggestion lists are answered with `prebuilt_json` (encoded once, not
validated again by ninja; tests/recommendations/test_api_schema.py holds them to the
schemas).
Mastodon's routes read `limit` as Mastodon does (0 is the default, more than 80 is 80); the
PLN routes answer 422 for a limit outside 1..80 or an unknown purpose, naming the purposes.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from staffroom.core.api.auth import TokenAuth, optional_token
from staffroom.core.api.entities import EmptyEntity
from staffroom.core.api.numbers import ClampedInt64
from staffroom.core.api.pagination import page_window
from staffroom.core.api.prebuilt import prebuilt_json
from staffroom.mastodon_api.entities import Account
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import own_profile, profile_get_for_viewer
from staffroom.profiles.viewer import viewer_profile
from staffroom.recommendations.api.entities import (
    SuggestionDict,
    suggested_accounts,
    suggestion_entities,
)
from staffroom.recommendations.api.schemas import CheckedLimit, SuggestionEntity
from staffroom.recommendations.selectors import list_suggestions, similar_to, suggestions_for
from staffroom.recommendations.services import suggestion_dismiss, suggestion_undismiss

# Mastodon's suggestions page: 40 unless asked, at most 80.
MASTODON_LIMIT_DEFAULT = 40

v1_router = Router(tags=["suggestions"])
v2_router = Router(tags=["suggestions"])
pln_router = Router(tags=["pln suggestions"])


@v2_router.get(
    "",
    response=list[SuggestionEntity],
    auth=TokenAuth("read:accounts"),
    exclude_unset=True,
    summary="Accounts you may want to follow, best first, each with its reasons (`limit`, "
    "default 40, at most 80)",
)
def suggestions_v2(
    request: HttpRequest, response: HttpResponse, limit: ClampedInt64 = MASTODON_LIMIT_DEFAULT
) -> HttpResponse:
    """Never yourself, anyone you follow, asked to follow, block, mute or dismissed, or
    anyone who blocks you. Your PLN goals count a little; see `/api/v1/pln/suggestions`
    for one purpose."""
    size, _offset = page_window(limit, 0, default=MASTODON_LIMIT_DEFAULT)
    found = suggestions_for(own_profile(request), limit=size)
    return prebuilt_json(response, suggestion_entities(found, request))


@v1_router.get(
    "",
    response=list[Account],
    auth=TokenAuth("read:accounts"),
    exclude_unset=True,
    summary="Deprecated by Mastodon: the accounts of `/api/v2/suggestions`, without reasons",
)
def suggestions_v1(
    request: HttpRequest, response: HttpResponse, limit: ClampedInt64 = MASTODON_LIMIT_DEFAULT
) -> HttpResponse:
    size, _offset = page_window(limit, 0, default=MASTODON_LIMIT_DEFAULT)
    found = suggestions_for(own_profile(request), limit=size)
    return prebuilt_json(response, suggested_accounts(found, request))


@v1_router.delete(
    "/{account_id}",
    response=dict[str, Any],
    auth=TokenAuth("write:accounts"),
    summary='"Not for me": never suggest this account again (any existing account, '
    "suggested or not, as Mastodon; accounts like it rank lower)",
)
def suggestion_remove(request: HttpRequest, account_id: str) -> EmptyEntity:
    """404 for an unknown account or one that blocks you; 422 for yourself. Dismissing
    twice is harmless. `POST /api/v1/pln/suggestions/:account_id/restore` takes it back."""
    suggestion_dismiss(actor=own_profile(request), target_id=account_id)
    return {}


@pln_router.get(
    "/suggestions",
    response=list[SuggestionEntity],
    auth=TokenAuth("read:accounts"),
    exclude_unset=True,
    summary="Accounts to follow for one purpose (`purpose`: resources, practices, "
    "inspiration, support or mentorship; `limit` 1..80, default 20)",
)
def pln_suggestions(
    request: HttpRequest,
    response: HttpResponse,
    purpose: str | None = None,
    limit: CheckedLimit | None = None,
) -> HttpResponse:
    """Without `purpose`, as `/api/v2/suggestions`. An unknown purpose or a limit outside
    1..80 is a 422."""
    found = suggestions_for(own_profile(request), purpose=purpose, limit=limit)
    return prebuilt_json(response, suggestion_entities(found, request))


@pln_router.post(
    "/suggestions/{account_id}/restore",
    response=dict[str, Any],
    auth=TokenAuth("write:accounts"),
    summary="Take back a dismissal: the account may be suggested again",
)
def suggestion_restore(request: HttpRequest, account_id: str) -> EmptyEntity:
    """Harmless for an account you never dismissed."""
    suggestion_undismiss(actor=own_profile(request), target_id=account_id)
    return {}


def _optional_viewer(request: HttpRequest) -> Profile | None:
    optional_token(request)
    return viewer_profile(request)


@pln_router.get(
    "/accounts/{id}/similar",
    response=list[SuggestionEntity],
    exclude_unset=True,
    summary="Educators like this one (`limit` 1..80, default 20); open to anyone, "
    "personal with a token",
)
def similar_accounts(
    request: HttpRequest, id: str, limit: CheckedLimit | None = None
) -> list[SuggestionDict]:
    """A similar profile, followed by the same people, following the same accounts. With a
    token, never anyone you already follow, block, mute or dismissed. 404 for an account
    you may not see (unknown, not approved, or a block either way)."""
    viewer = _optional_viewer(request)
    target = profile_get_for_viewer(id, request.user)
    return suggestion_entities(similar_to(viewer, target, limit=limit), request)


@pln_router.get(
    "/lists/{id}/suggestions",
    response=list[SuggestionEntity],
    auth=TokenAuth("read:lists"),
    exclude_unset=True,
    summary="Accounts to add to one of your purpose lists (`limit` 1..80, default 20)",
)
def list_suggestions_get(
    request: HttpRequest, response: HttpResponse, id: str, limit: CheckedLimit | None = None
) -> HttpResponse:
    """Drawn from the list's members and its purpose. Another person's list answers 404,
    the same as an unknown one."""
    found = list_suggestions(own_profile(request), id, limit=limit)
    return prebuilt_json(response, suggestion_entities(found, request))
