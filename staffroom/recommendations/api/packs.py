"""`/api/v1/pln/starter_packs`: curated sets of accounts to follow in one action.

Anyone may list and read packs (with a token, the accounts you may not see are left out);
a teacher creates packs, their curator or an administrator changes or deletes them
(403 for anyone else), and following a pack reports what happened to each account.
The packs the engine proposes for your subjects and grade bands are at `/proposals`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from staffroom.core.api.auth import TokenAuth, optional_token
from staffroom.core.api.entities import EmptyEntity
from staffroom.core.ids import parse_snowflake
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import own_profile
from staffroom.profiles.viewer import viewer_profile
from staffroom.recommendations.api.entities import (
    PackFollowDict,
    ProposalDict,
    StarterPackDetailDict,
    StarterPackDict,
    pack_follow_entity,
    proposal_entities,
    starter_pack_detail,
    starter_pack_entities,
)
from staffroom.recommendations.api.schemas import (
    PackFollowResultEntity,
    StarterPackDetail,
    StarterPackEntity,
    StarterPackFollowIn,
    StarterPackIn,
    StarterPackProposal,
    StarterPackQuery,
)
from staffroom.recommendations.packs import (
    pack_members,
    proposals_for,
    starter_pack_get,
    starter_packs,
)
from staffroom.recommendations.selectors import check_limit
from staffroom.recommendations.services import (
    PackFields,
    starter_pack_create,
    starter_pack_delete,
    starter_pack_follow,
    starter_pack_update,
)

router = Router(tags=["pln starter packs"])


def _viewer(request: HttpRequest) -> Profile | None:
    optional_token(request)
    return viewer_profile(request)


def _fields(payload: StarterPackIn) -> PackFields:
    return PackFields(
        title=payload.title,
        description=payload.description,
        subjects=payload.subjects,
        grade_bands=payload.grade_bands,
        account_ids=payload.account_ids,
    )


def _detail(request: HttpRequest, pack_id: int | str) -> StarterPackDetailDict:
    viewer = _viewer(request)
    pack = starter_pack_get(pack_id, viewer)
    return starter_pack_detail(pack, pack_members(pack, viewer), request)


def _curator(value: str) -> Profile | None:
    """The `curator` filter: the account with this id, or None (it matches no pack)."""
    pk = parse_snowflake(value)
    return Profile.objects.filter(pk=pk).first() if pk is not None else None


@router.get(
    "",
    response=list[StarterPackEntity],
    exclude_unset=True,
    summary="Starter packs, most recently changed first (`subject`, `band`, `curator`; "
    "`limit` 1..80, default 40, and `offset`)",
)
def pack_list(request: HttpRequest, query: Query[StarterPackQuery]) -> list[StarterPackDict]:
    viewer = _viewer(request)
    size = check_limit(query.limit)
    curator = None
    if query.curator.strip():
        curator = _curator(query.curator)
        if curator is None:
            return []
    packs = starter_packs(subject=query.subject, band=query.band, curator=curator, viewer=viewer)
    return starter_pack_entities(list(packs[query.offset : query.offset + size]), request)


@router.get(
    "/proposals",
    response=list[StarterPackProposal],
    auth=TokenAuth("read:accounts"),
    exclude_unset=True,
    summary="Packs the engine proposes for your subjects and grade bands",
)
def pack_proposals(request: HttpRequest) -> list[ProposalDict]:
    return proposal_entities(proposals_for(own_profile(request)), request)


@router.post(
    "",
    response=StarterPackDetail,
    auth=TokenAuth("write:accounts"),
    exclude_unset=True,
    summary="Create a starter pack (`title`, `description`, `subjects[]`, `grade_bands[]`, "
    "`account_ids[]`: at most 150)",
)
def pack_create(request: HttpRequest, payload: StarterPackIn) -> StarterPackDetailDict:
    """422 lists every problem (no title, unknown slugs, too many accounts, accounts that
    chose not to appear in suggestions); nothing is written then."""
    pack = starter_pack_create(actor=own_profile(request), fields=_fields(payload))
    return _detail(request, pack.pk)


@router.get(
    "/{id}",
    response=StarterPackDetail,
    exclude_unset=True,
    summary="One starter pack with its accounts",
)
def pack_detail(request: HttpRequest, id: str) -> StarterPackDetailDict:
    return _detail(request, id)


@router.api_operation(
    ["PUT", "PATCH"],
    "/{id}",
    response=StarterPackDetail,
    auth=TokenAuth("write:accounts"),
    exclude_unset=True,
    summary="Change a starter pack (its curator or an administrator); fields left out stay",
)
def pack_update(request: HttpRequest, id: str, payload: StarterPackIn) -> StarterPackDetailDict:
    """`account_ids[]` replaces the accounts, in the order given. 403 for someone else's
    pack, 404 for an unknown one, 422 as for create (nothing changes then)."""
    pack = starter_pack_update(actor=own_profile(request), pack_id=id, fields=_fields(payload))
    return _detail(request, pack.pk)


@router.delete(
    "/{id}",
    response=dict[str, Any],
    auth=TokenAuth("write:accounts"),
    summary="Delete a starter pack (its curator or an administrator)",
)
def pack_delete(request: HttpRequest, id: str) -> EmptyEntity:
    starter_pack_delete(actor=own_profile(request), pack_id=id)
    return {}


@router.post(
    "/{id}/follow",
    response=PackFollowResultEntity,
    auth=TokenAuth("write:follows"),
    exclude_unset=True,
    summary="Follow every account in a pack, optionally into a purpose list (`list_id`, or "
    "`list_title` and `list_purpose` for a new one)",
)
def pack_follow(request: HttpRequest, id: str, payload: StarterPackFollowIn) -> PackFollowDict:
    """Locked accounts get a follow request. A list that is not yours is a 404 and nothing
    is followed; a bad new list is a 422."""
    viewer = own_profile(request)
    pack = starter_pack_get(id, viewer)
    result = starter_pack_follow(
        actor=viewer,
        pack=pack,
        list_id=payload.list_id,
        new_list_title=payload.list_title,
        new_list_purpose=payload.list_purpose,
    )
    visible = {profile.pk for profile in pack_members(pack, viewer)}
    return pack_follow_entity(result, visible, request)
