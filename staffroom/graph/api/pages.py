"""The viewer's own graph pages: `/api/v1/follow_requests` (with authorize and reject),
`/api/v1/blocks`, `/api/v1/mutes` and `/api/v1/domain_blocks` (with block and unblock),
paginated by the row id with Mastodon's Link header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.entities import EmptyEntity
from staffroom.core.api.pagination import PageQuery, set_link_header
from staffroom.graph.api._common import relationship_with, target_of
from staffroom.graph.schemas import (
    MutedAccount,
    MutedAccountEntity,
    Relationship,
    RelationshipEntity,
    iso_time,
)
from staffroom.graph.selectors import blocks_of, domain_blocks_of, follow_requests_for, mutes_of
from staffroom.graph.services import (
    domain_block_create,
    domain_block_delete,
    follow_request_authorize,
    follow_request_reject,
)
from staffroom.mastodon_api.entities import Account, AccountEntity, account_entities
from staffroom.profiles.selectors import own_profile

follow_requests_router = Router(tags=["graph"])
blocks_router = Router(tags=["graph"])
mutes_router = Router(tags=["graph"])
domain_blocks_router = Router(tags=["graph"])


@follow_requests_router.get(
    "",
    response=list[Account],
    auth=TokenAuth("read:follows"),
    exclude_unset=True,
    summary="Accounts asking to follow you, newest first (paginated, Link header)",
)
def follow_requests(
    request: HttpRequest, response: HttpResponse, page: Query[PageQuery]
) -> list[AccountEntity]:
    rows = follow_requests_for(
        viewer=own_profile(request), limit=page.size, max_id=page.before, min_id=page.after
    )
    set_link_header(request, response, [row.pk for row in rows])
    return account_entities([row.follower for row in rows], request=request)


@follow_requests_router.post(
    "/{id}/authorize",
    response=Relationship,
    auth=TokenAuth("write:follows"),
    summary="Accept the follow request of account `id`",
)
def follow_request_accept(request: HttpRequest, id: str) -> RelationshipEntity:
    viewer, requester = own_profile(request), target_of(request, id)
    follow_request_authorize(actor=viewer, requester=requester)
    return relationship_with(viewer, requester)


@follow_requests_router.post(
    "/{id}/reject",
    response=Relationship,
    auth=TokenAuth("write:follows"),
    summary="Reject the follow request of account `id`",
)
def follow_request_refuse(request: HttpRequest, id: str) -> RelationshipEntity:
    viewer, requester = own_profile(request), target_of(request, id)
    follow_request_reject(actor=viewer, requester=requester)
    return relationship_with(viewer, requester)


@blocks_router.get(
    "",
    response=list[Account],
    auth=TokenAuth("read:blocks"),
    exclude_unset=True,
    summary="Accounts you block, newest block first (paginated, Link header)",
)
def blocks(
    request: HttpRequest, response: HttpResponse, page: Query[PageQuery]
) -> list[AccountEntity]:
    rows = blocks_of(
        viewer=own_profile(request), limit=page.size, max_id=page.before, min_id=page.after
    )
    set_link_header(request, response, [row.pk for row in rows])
    return account_entities([row.blocked for row in rows], request=request)


@mutes_router.get(
    "",
    response=list[MutedAccount],
    auth=TokenAuth("read:mutes"),
    exclude_unset=True,
    summary="Accounts you mute now, newest mute first (paginated, Link header)",
)
def mutes(
    request: HttpRequest, response: HttpResponse, page: Query[PageQuery]
) -> list[MutedAccountEntity]:
    rows = mutes_of(
        viewer=own_profile(request), limit=page.size, max_id=page.before, min_id=page.after
    )
    set_link_header(request, response, [row.pk for row in rows])
    accounts = account_entities([row.muted for row in rows], request=request)
    return [
        {**account, "mute_expires_at": iso_time(row.expires_at)}
        for row, account in zip(rows, accounts, strict=True)
    ]


class DomainIn(Schema):
    """Mastodon's `domain` parameter (form, JSON or query string)."""

    domain: str = Field(max_length=1024)


@domain_blocks_router.get(
    "",
    response=list[str],
    auth=TokenAuth("read:blocks"),
    summary="Servers (domains) you block, newest block first (paginated, Link header)",
)
def domain_blocks(
    request: HttpRequest, response: HttpResponse, page: Query[PageQuery]
) -> list[str]:
    rows = domain_blocks_of(
        viewer=own_profile(request), limit=page.size, max_id=page.before, min_id=page.after
    )
    set_link_header(request, response, [row.pk for row in rows])
    return [row.domain for row in rows]


@domain_blocks_router.post(
    "",
    response=dict[str, Any],
    auth=TokenAuth("write:blocks"),
    summary="Block a server (`domain`); takes effect for its accounts once federation lands",
)
def domain_block(request: HttpRequest, payload: DomainIn) -> EmptyEntity:
    """422 for an invalid domain or this server's own; blocking again changes nothing."""
    domain_block_create(actor=own_profile(request), domain=payload.domain)
    return {}


@domain_blocks_router.delete(
    "",
    response=dict[str, Any],
    auth=TokenAuth("write:blocks"),
    summary="Unblock a server (`domain`); unknown domains are ignored",
)
def domain_unblock(request: HttpRequest, payload: DomainIn) -> EmptyEntity:
    domain_block_delete(actor=own_profile(request), domain=payload.domain)
    return {}
