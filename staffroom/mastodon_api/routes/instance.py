"""`/api/v1/instance` and `/api/v2/instance`: public facts about this server, and
`/api/v1/instance/rules`: the rules in force."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from staffroom.mastodon_api.instance import (
    InstanceEntity,
    InstanceV1Entity,
    instance_rules,
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
