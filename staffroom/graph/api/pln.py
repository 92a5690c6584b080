"""`/api/v1/pln/` graph routes Mastodon has no equivalent for: connections (ask, accept,
decline, end), the purposes of a follow, and the suggested purpose lists."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.pagination import PageQuery, set_link_header
from staffroom.graph.api._common import relationship_with, target_of
from staffroom.graph.schemas import (
    List,
    ListEntity,
    PlnConnection,
    PlnConnectionEntity,
    PurposesIn,
    Relationship,
    RelationshipEntity,
    SuggestedList,
    SuggestedListEntity,
    connection_entity,
    list_entity,
)
from staffroom.graph.selectors import connections_of
from staffroom.graph.services import (
    connection_accept,
    connection_ask,
    connection_decline,
    connection_end,
    default_purpose_lists_for,
    follow_set_purposes,
    purpose_lists_create_defaults,
)
from staffroom.mastodon_api.entities import account_entities
from staffroom.profiles.selectors import own_profile

router = Router(tags=["pln"])


@router.get(
    "/connections",
    response=list[PlnConnection],
    auth=TokenAuth("read:follows"),
    exclude_unset=True,
    summary="Your connections (`state=accepted`, the default) or asks (`state=asked`)",
)
def connections(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[PageQuery],
    state: Literal["accepted", "asked"] = "accepted",
) -> list[PlnConnectionEntity]:
    """Newest first, paginated by the connection record's id (Link header). For `asked`,
    both directions: `direction` is `outgoing` for your asks, `incoming` for asks to you."""
    viewer = own_profile(request)
    rows = connections_of(
        viewer=viewer, state=state, limit=page.size, max_id=page.before, min_id=page.after
    )
    set_link_header(request, response, [row.pk for row in rows])
    others = [row.addressee if row.requester_id == viewer.pk else row.requester for row in rows]
    accounts = account_entities(others, request=request)
    return [
        connection_entity(row, viewer_id=viewer.pk, account=account)
        for row, account in zip(rows, accounts, strict=True)
    ]


@router.post(
    "/connections/{account_id}",
    response=Relationship,
    auth=TokenAuth("write:follows"),
    summary="Ask an account to connect (accepts their ask if they asked first)",
)
def connection_create(request: HttpRequest, account_id: str) -> RelationshipEntity:
    viewer, target = own_profile(request), target_of(request, account_id)
    connection_ask(actor=viewer, target=target)
    return relationship_with(viewer, target)


@router.post(
    "/connections/{account_id}/accept",
    response=Relationship,
    auth=TokenAuth("write:follows"),
    summary="Accept an account's ask to connect (follows both ways)",
)
def connection_accept_route(request: HttpRequest, account_id: str) -> RelationshipEntity:
    viewer, requester = own_profile(request), target_of(request, account_id)
    connection_accept(actor=viewer, requester=requester)
    return relationship_with(viewer, requester)


@router.post(
    "/connections/{account_id}/decline",
    response=Relationship,
    auth=TokenAuth("write:follows"),
    summary="Decline an account's ask to connect",
)
def connection_decline_route(request: HttpRequest, account_id: str) -> RelationshipEntity:
    viewer, requester = own_profile(request), target_of(request, account_id)
    connection_decline(actor=viewer, requester=requester)
    return relationship_with(viewer, requester)


@router.delete(
    "/connections/{account_id}",
    response=Relationship,
    auth=TokenAuth("write:follows"),
    summary="End a connection, or withdraw your ask (follows are kept)",
)
def connection_delete(request: HttpRequest, account_id: str) -> RelationshipEntity:
    viewer, target = own_profile(request), target_of(request, account_id)
    connection_end(actor=viewer, target=target)
    return relationship_with(viewer, target)


@router.put(
    "/follows/{account_id}/purposes",
    response=Relationship,
    auth=TokenAuth("write:follows"),
    summary="Set which of your purpose lists hold an account you follow (`list_ids[]`)",
)
def follow_purposes(
    request: HttpRequest, account_id: str, payload: PurposesIn
) -> RelationshipEntity:
    viewer, target = own_profile(request), target_of(request, account_id)
    follow_set_purposes(actor=viewer, target=target, list_ids=payload.list_ids)
    return relationship_with(viewer, target)


@router.get(
    "/purpose_lists/defaults",
    response=list[SuggestedList],
    auth=TokenAuth("read:lists"),
    summary="Purpose lists suggested from your goals and subjects (creates nothing)",
)
def purpose_list_defaults(request: HttpRequest) -> list[SuggestedListEntity]:
    return [
        {"title": item.title, "purpose": item.purpose}
        for item in default_purpose_lists_for(own_profile(request))
    ]


@router.post(
    "/purpose_lists/defaults",
    response=list[List],
    auth=TokenAuth("write:lists"),
    summary="Create the suggested purpose lists (those you lack); answers the lists created",
)
def purpose_list_defaults_create(request: HttpRequest) -> list[ListEntity]:
    created = purpose_lists_create_defaults(actor=own_profile(request))
    return [list_entity(found) for found in created]
