"""Endorsements, account notes and the lists holding an account: `/api/v1/accounts/:id/pin`
(`/endorse`) and `/unpin` (`/unendorse`), `/api/v1/accounts/:id/note`,
`/api/v1/accounts/:id/endorsements`, `/api/v1/accounts/:id/lists` and
`/api/v1/endorsements` (the signed-in teacher's own, paginated by follow id)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.pagination import PageQuery, set_link_header
from staffroom.graph.api._common import relationship_with, target_of
from staffroom.graph.schemas import List, ListEntity, Relationship, RelationshipEntity, list_entity
from staffroom.graph.selectors import endorsed_by, purpose_lists_containing
from staffroom.graph.services import account_note_set, endorsement_create, endorsement_delete
from staffroom.mastodon_api.entities import Account, AccountEntity, account_entities
from staffroom.profiles.selectors import own_profile
from staffroom.profiles.viewer import optional_viewer

router = Router(tags=["graph"])
endorsements_router = Router(tags=["graph"])


class NoteIn(Schema):
    """Mastodon's `comment`; the service holds it to 2,000 characters (422 beyond)."""

    comment: str | None = Field(None, max_length=100_000)


def _endorse(request: HttpRequest, id: str) -> RelationshipEntity:
    viewer, target = own_profile(request), target_of(request, id)
    endorsement_create(actor=viewer, target=target)
    return relationship_with(viewer, target)


def _unendorse(request: HttpRequest, id: str) -> RelationshipEntity:
    viewer, target = own_profile(request), target_of(request, id)
    endorsement_delete(actor=viewer, target=target)
    return relationship_with(viewer, target)


@router.post(
    "/{id}/pin",
    response=Relationship,
    auth=TokenAuth("write:accounts"),
    summary="Endorse an account you follow (feature it on your profile)",
)
def pin(request: HttpRequest, id: str) -> RelationshipEntity:
    """422 when you do not follow the account, as Mastodon."""
    return _endorse(request, id)


@router.post(
    "/{id}/endorse",
    response=Relationship,
    auth=TokenAuth("write:accounts"),
    summary="Endorse an account you follow (Mastodon 4.4's name for pin)",
)
def endorse(request: HttpRequest, id: str) -> RelationshipEntity:
    return _endorse(request, id)


@router.post(
    "/{id}/unpin",
    response=Relationship,
    auth=TokenAuth("write:accounts"),
    summary="Stop endorsing an account",
)
def unpin(request: HttpRequest, id: str) -> RelationshipEntity:
    return _unendorse(request, id)


@router.post(
    "/{id}/unendorse",
    response=Relationship,
    auth=TokenAuth("write:accounts"),
    summary="Stop endorsing an account (Mastodon 4.4's name for unpin)",
)
def unendorse(request: HttpRequest, id: str) -> RelationshipEntity:
    return _unendorse(request, id)


@router.post(
    "/{id}/note",
    response=Relationship,
    auth=TokenAuth("write:accounts"),
    summary="Set your private note on an account (`comment`, at most 2,000 characters)",
)
def note(request: HttpRequest, id: str, payload: NoteIn) -> RelationshipEntity:
    """The note is shown to you only (Relationship `note`); an empty comment removes it."""
    viewer, target = own_profile(request), target_of(request, id)
    account_note_set(actor=viewer, target=target, comment=payload.comment or "")
    return relationship_with(viewer, target)


@router.get(
    "/{id}/lists",
    response=list[List],
    auth=TokenAuth("read:lists"),
    summary="Your lists that hold an account",
)
def account_lists(request: HttpRequest, id: str) -> list[ListEntity]:
    viewer, target = own_profile(request), target_of(request, id)
    return [list_entity(found) for found in purpose_lists_containing(viewer=viewer, profile=target)]


@router.get(
    "/{id}/endorsements",
    response=list[Account],
    exclude_unset=True,
    summary="The accounts an account endorses (no sign-in needed; paginated, Link header)",
)
def account_endorsements(
    request: HttpRequest, response: HttpResponse, id: str, page: Query[PageQuery]
) -> list[AccountEntity]:
    """Mastodon 4.4. Empty when the account hides its follow lists (except to its owner)."""
    viewer = optional_viewer(request, "read:accounts")
    profile = target_of(request, id)
    edges = endorsed_by(
        profile=profile,
        viewer=viewer,
        limit=page.size,
        max_id=page.before,
        since_id=page.since,
        min_id=page.newer,
    )
    set_link_header(request, response, [edge.id for edge in edges])
    return account_entities([edge.profile for edge in edges], request=request)


@endorsements_router.get(
    "",
    response=list[Account],
    auth=TokenAuth("read:accounts"),
    exclude_unset=True,
    summary="The accounts you endorse, newest follow first (paginated, Link header)",
)
def endorsements(
    request: HttpRequest, response: HttpResponse, page: Query[PageQuery]
) -> list[AccountEntity]:
    viewer = own_profile(request)
    edges = endorsed_by(
        profile=viewer,
        viewer=viewer,
        limit=page.size,
        max_id=page.before,
        since_id=page.since,
        min_id=page.newer,
    )
    set_link_header(request, response, [edge.id for edge in edges])
    return account_entities([edge.profile for edge in edges], request=request)
