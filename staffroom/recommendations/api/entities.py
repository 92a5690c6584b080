"""Suggestion, starter pack, pack follow result and proposal entities, built from the
domain's results. Every builder reads the accounts of a whole page in one batch
(`account_entities`), so a page costs the same queries whatever its length.

The builders return TypedDicts (`*Dict`: `*Entity` are the ninja schemas in schemas.py,
which document the routes), so mypy checks what the routes answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from staffroom.mastodon_api.entities import AccountEntity, account_entities
from staffroom.posts.entities import mastodon_timestamp
from staffroom.profiles.models import Profile
from staffroom.profiles.uris import instance_base_url
from staffroom.recommendations.explain import ReasonEntity
from staffroom.recommendations.models import StarterPack
from staffroom.recommendations.packs import Proposal
from staffroom.recommendations.selectors import Suggestion
from staffroom.recommendations.services import FollowOutcome, PackFollowResult


class SuggestionDict(TypedDict):
    """Mastodon's Suggestion, plus the PLN `reason` (a sentence) and `reasons`."""

    source: str
    sources: list[str]
    account: AccountEntity
    reason: str
    reasons: list[ReasonEntity]


class StarterPackDict(TypedDict):
    """A PLN starter pack (`/api/v1/pln/starter_packs`)."""

    id: str
    title: str
    description: str
    subjects: list[str]
    grade_bands: list[str]
    curator: AccountEntity
    accounts_count: int
    url: str
    created_at: str
    updated_at: str


class StarterPackDetailDict(StarterPackDict):
    accounts: list[AccountEntity]


class PackFollowOutcomeDict(TypedDict):
    account: AccountEntity
    result: str


class PackFollowDict(TypedDict):
    """What following a starter pack did."""

    list_id: str | None
    results: list[PackFollowOutcomeDict]
    followed: int
    requested: int
    already_following: int
    unavailable: int


class ProposalDict(TypedDict):
    """A starter pack the instance could offer (subject and band with enough educators)."""

    subject: str
    band: str
    title: str
    reason: str
    accounts: list[AccountEntity]


def _accounts(profiles: Sequence[Profile], request: HttpRequest) -> dict[int, AccountEntity]:
    unique = list({profile.pk: profile for profile in profiles}.values())
    return {int(entity["id"]): entity for entity in account_entities(unique, request=request)}


def suggestion_entities(
    suggestions: Sequence[Suggestion], request: HttpRequest
) -> list[SuggestionDict]:
    """Mastodon's Suggestions, each with the PLN `reason` and `reasons`."""
    accounts = _accounts([found.profile for found in suggestions], request)
    return [
        {
            "source": found.source,
            "sources": list(found.sources),
            "account": accounts[found.profile.pk],
            "reason": found.reason,
            "reasons": found.reasons_dicts(),
        }
        for found in suggestions
    ]


def suggested_accounts(
    suggestions: Sequence[Suggestion], request: HttpRequest
) -> list[AccountEntity]:
    """Mastodon's deprecated `/api/v1/suggestions`: the accounts alone."""
    return account_entities([found.profile for found in suggestions], request=request)


def pack_url(pack_id: int) -> str:
    """The pack's web page. The page's URL name is looked up each time, so the API does not
    depend on the web app being installed; without it, the path the page will have."""
    try:
        path = reverse("recommendations:pack", args=[pack_id])
    except NoReverseMatch:
        path = f"/packs/{pack_id}"
    return f"{instance_base_url()}{path}"


def _member_count(pack: StarterPack) -> int:
    counted = getattr(pack, "member_count", None)
    return int(counted) if counted is not None else pack.memberships.count()


def _pack_entity(pack: StarterPack, curator: AccountEntity) -> StarterPackDict:
    return {
        "id": str(pack.pk),
        "title": pack.title,
        "description": pack.description,
        "subjects": list(pack.subjects),
        "grade_bands": list(pack.grade_bands),
        "curator": curator,
        "accounts_count": _member_count(pack),
        "url": pack_url(pack.pk),
        "created_at": mastodon_timestamp(pack.created_at),
        "updated_at": mastodon_timestamp(pack.updated_at),
    }


def starter_pack_entities(
    packs: Sequence[StarterPack], request: HttpRequest
) -> list[StarterPackDict]:
    """StarterPacks for a page of packs (their curators loaded with them). `accounts_count`
    counts every member, as the selector's `member_count` does."""
    curators = _accounts([pack.curator for pack in packs], request)
    return [_pack_entity(pack, curators[pack.curator_id]) for pack in packs]


def starter_pack_detail(
    pack: StarterPack, members: Sequence[Profile], request: HttpRequest
) -> StarterPackDetailDict:
    """One pack with the accounts the viewer may see (`packs.pack_members`)."""
    accounts = _accounts([pack.curator, *members], request)
    return {
        **_pack_entity(pack, accounts[pack.curator_id]),
        "accounts": [accounts[member.pk] for member in members],
    }


def pack_follow_entity(
    result: PackFollowResult, visible: set[int], request: HttpRequest
) -> PackFollowDict:
    """What following a pack did. An account the viewer may not see (`visible` leaves it
    out: a block either way, or gone) is counted as unavailable but never shown."""
    shown = [(profile, outcome) for profile, outcome in result.outcomes if profile.pk in visible]
    accounts = _accounts([profile for profile, _outcome in shown], request)
    return {
        "list_id": str(result.list_id) if result.list_id is not None else None,
        "results": [
            {"account": accounts[profile.pk], "result": str(outcome)} for profile, outcome in shown
        ],
        "followed": result.count(FollowOutcome.FOLLOWED),
        "requested": result.count(FollowOutcome.REQUESTED),
        "already_following": result.count(FollowOutcome.ALREADY_FOLLOWING),
        "unavailable": result.count(FollowOutcome.UNAVAILABLE),
    }


def proposal_entities(proposals: Sequence[Proposal], request: HttpRequest) -> list[ProposalDict]:
    accounts = _accounts([p for proposal in proposals for p in proposal.members], request)
    return [
        {
            "subject": proposal.subject,
            "band": proposal.band,
            "title": proposal.title,
            "reason": proposal.reason,
            "accounts": [accounts[member.pk] for member in proposal.members],
        }
        for proposal in proposals
    ]
