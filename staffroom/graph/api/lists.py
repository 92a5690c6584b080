"""`/api/v1/lists`: Mastodon's lists, which here are purpose lists (`pln.purpose`).

Another person's list answers 404, the same as an unknown id (SECURITY-PLAN Z-3).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.entities import EmptyEntity
from staffroom.core.api.pagination import PageQuery, set_link_header
from staffroom.core.exceptions import ValidationFailed
from staffroom.graph.models import RepliesPolicy
from staffroom.graph.schemas import List, ListAccountsIn, ListEntity, ListIn, list_entity
from staffroom.graph.selectors import purpose_list_get, purpose_list_members, purpose_lists_of
from staffroom.graph.services import (
    purpose_list_add_accounts,
    purpose_list_create,
    purpose_list_delete,
    purpose_list_remove_accounts,
    purpose_list_update,
)
from staffroom.mastodon_api.entities import Account, AccountEntity, account_entities
from staffroom.profiles.selectors import own_profile

router = Router(tags=["lists"])


@router.get("", response=list[List], auth=TokenAuth("read:lists"), summary="Your lists")
def lists(request: HttpRequest) -> list[ListEntity]:
    return [list_entity(found) for found in purpose_lists_of(viewer=own_profile(request))]


@router.post("", response=List, auth=TokenAuth("write:lists"), summary="Create a list")
def list_create(request: HttpRequest, payload: ListIn) -> ListEntity:
    if payload.title is None:
        raise ValidationFailed("Validation failed: Title can't be blank")
    found = purpose_list_create(
        actor=own_profile(request),
        title=payload.title,
        purpose=payload.chosen_purpose() or "",
        exclusive=bool(payload.exclusive),
        replies_policy=payload.replies_policy or RepliesPolicy.LIST,
    )
    return list_entity(found)


@router.get("/{id}", response=List, auth=TokenAuth("read:lists"), summary="One of your lists")
def list_detail(request: HttpRequest, id: str) -> ListEntity:
    return list_entity(purpose_list_get(viewer=own_profile(request), list_id=id))


@router.put(
    "/{id}",
    response=List,
    auth=TokenAuth("write:lists"),
    summary="Change a list's title, replies policy, exclusive flag or purpose",
)
def list_update(request: HttpRequest, id: str, payload: ListIn) -> ListEntity:
    found = purpose_list_update(
        actor=own_profile(request),
        list_id=id,
        title=payload.title,
        purpose=payload.chosen_purpose(),
        exclusive=payload.exclusive,
        replies_policy=payload.replies_policy,
    )
    return list_entity(found)


@router.delete(
    "/{id}", response=dict[str, Any], auth=TokenAuth("write:lists"), summary="Delete a list"
)
def list_delete(request: HttpRequest, id: str) -> EmptyEntity:
    purpose_list_delete(actor=own_profile(request), list_id=id)
    return {}


@router.get(
    "/{id}/accounts",
    response=list[Account],
    auth=TokenAuth("read:lists"),
    exclude_unset=True,
    summary="The accounts in a list (paginated, Link header)",
)
def list_accounts(
    request: HttpRequest, response: HttpResponse, id: str, page: Query[PageQuery]
) -> list[AccountEntity]:
    members = purpose_list_members(
        viewer=own_profile(request),
        list_id=id,
        limit=page.size,
        max_id=page.before,
        min_id=page.after,
    )
    set_link_header(request, response, [member.pk for member in members])
    return account_entities(members, request=request)


@router.post(
    "/{id}/accounts",
    response=dict[str, Any],
    auth=TokenAuth("write:lists"),
    summary="Add accounts you follow to a list (`account_ids[]`, at most 100)",
)
def list_accounts_add(request: HttpRequest, id: str, payload: ListAccountsIn) -> EmptyEntity:
    purpose_list_add_accounts(
        actor=own_profile(request), list_id=id, profile_ids=payload.account_ids
    )
    return {}


@router.delete(
    "/{id}/accounts",
    response=dict[str, Any],
    auth=TokenAuth("write:lists"),
    summary="Remove accounts from a list (`account_ids[]`, at most 100)",
)
def list_accounts_remove(request: HttpRequest, id: str, payload: ListAccountsIn) -> EmptyEntity:
    purpose_list_remove_accounts(
        actor=own_profile(request), list_id=id, profile_ids=payload.account_ids
    )
    return {}
