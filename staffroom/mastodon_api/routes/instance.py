"""`/api/v1/instance` and `/api/v2/instance`: public facts about this server, and its
sub-routes: `/api/v1/instance/rules` (the rules in force), `/peers`, `/activity`,
`/extended_description`, `/privacy_policy`, `/terms_of_service`,
`/translation_languages` and `/domain_blocks`. None needs a sign-in, as on Mastodon."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from staffroom.core.api.openapi import also_answers
from staffroom.core.exceptions import NOT_FOUND, NotFound
from staffroom.mastodon_api.instance import (
    ActivityEntity,
    ExtendedDescriptionEntity,
    InstanceEntity,
    InstanceV1Entity,
    PrivacyPolicyEntity,
    TermsOfServiceEntity,
    instance_activity,
    instance_extended_description,
    instance_privacy_policy,
    instance_rules,
    instance_terms_of_service,
    instance_v1,
    instance_v2,
)
from staffroom.moderation.api.entities import RuleEntity
from staffroom.moderation.api.schemas import Rule

router = Router(tags=["instance"])


class InstancePln(Schema):
    purposes: list[str]
    modalities: list[str]
    learning: list[str]


class InstanceV2(Schema):
    domain: str
    title: str
    version: str
    source_url: str
    description: str
    usage: dict[str, Any]
    thumbnail: dict[str, Any]
    icon: list[Any]
    languages: list[str]
    configuration: dict[str, Any]
    registrations: dict[str, Any]
    api_versions: dict[str, int]
    contact: dict[str, Any]
    rules: list[Rule]
    pln: InstancePln


class InstanceV1(Schema):
    uri: str
    title: str
    short_description: str
    description: str
    email: str
    version: str
    urls: dict[str, str]
    stats: dict[str, int]
    thumbnail: str
    languages: list[str]
    registrations: bool
    approval_required: bool
    invites_enabled: bool
    configuration: dict[str, Any]
    contact_account: Any
    rules: list[Rule]
    pln: InstancePln


@router.get("/v2/instance", response=InstanceV2, summary="This server (Mastodon v2 shape)")
def get_instance_v2(request: HttpRequest) -> InstanceEntity:
    return instance_v2()


@router.get("/v1/instance", response=InstanceV1, summary="This server (Mastodon v1 shape)")
def get_instance_v1(request: HttpRequest) -> InstanceV1Entity:
    return instance_v1()


@router.get(
    "/v1/instance/rules",
    response=list[Rule],
    summary="The server's rules in force, in order (no sign-in needed)",
)
def get_instance_rules(request: HttpRequest) -> list[RuleEntity]:
    return instance_rules()


class Activity(Schema):
    week: str = Field(description="UNIX timestamp of the week's Monday, 00:00 UTC")
    statuses: str
    logins: str
    registrations: str


class ExtendedDescription(Schema):
    updated_at: str
    content: str = Field(description="HTML")


class PrivacyPolicy(Schema):
    updated_at: str
    content: str = Field(description="HTML")


class TermsOfService(Schema):
    effective_date: str
    effective: bool
    content: str = Field(description="HTML")
    succeeded_by: str | None


class DomainBlock(Schema):
    domain: str
    digest: str
    severity: str
    comment: str | None = None


class TermsQuery(Schema):
    date: str | None = Field(None, max_length=32)


@router.get(
    "/v1/instance/peers",
    response=list[str],
    summary="Domains this server knows (none: it does not federate yet)",
)
def get_instance_peers(request: HttpRequest) -> list[str]:
    return []


@router.get(
    "/v1/instance/activity",
    response=list[Activity],
    summary="Posts, sign-ins and sign-ups per week, the last 12 weeks (cached an hour)",
)
def get_instance_activity(request: HttpRequest) -> list[ActivityEntity]:
    return instance_activity()


@router.get(
    "/v1/instance/extended_description",
    response=ExtendedDescription,
    summary="The server's description and rules, as HTML",
)
def get_instance_extended_description(request: HttpRequest) -> ExtendedDescriptionEntity:
    return instance_extended_description()


@router.get(
    "/v1/instance/privacy_policy",
    response=PrivacyPolicy,
    openapi_extra=also_answers(404),
    summary="The privacy policy (404 when the administrators have not set one)",
)
def get_instance_privacy_policy(request: HttpRequest) -> PrivacyPolicyEntity:
    return instance_privacy_policy()


@router.get(
    "/v1/instance/terms_of_service",
    response=TermsOfService,
    openapi_extra=also_answers(404),
    summary="The terms of service in force (404 when there are none)",
)
def get_instance_terms_of_service(
    request: HttpRequest, query: Query[TermsQuery]
) -> TermsOfServiceEntity:
    """`date` asks for the terms in force from that day: only the current ones are kept,
    so any other date is a 404."""
    terms = instance_terms_of_service()
    if query.date and query.date != terms["effective_date"]:
        raise NotFound(NOT_FOUND)
    return terms


@router.get(
    "/v1/instance/translation_languages",
    response=dict[str, list[str]],
    summary="Language pairs the server translates (none: no translation)",
)
def get_instance_translation_languages(request: HttpRequest) -> dict[str, list[str]]:
    return {}


@router.get(
    "/v1/instance/domain_blocks",
    response=list[DomainBlock],
    summary="Domains this server moderates (none: it does not federate yet)",
)
def get_instance_domain_blocks(request: HttpRequest) -> list[dict[str, Any]]:
    return []
