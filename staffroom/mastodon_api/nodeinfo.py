"""NodeInfo 2.0 and 2.1 (nodeinfo.diaspora.software): what crawlers and server lists learn
about this server, in the shape Mastodon serves.

`/.well-known/nodeinfo` links the two schema versions; each document names the software,
its protocols (none until federation lands), usage from `profiles.usage` and whether anyone
may sign up (open and approval modes, as Mastodon's `registrations_mode != none`).
"""

from __future__ import annotations

from typing import Literal, TypedDict

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

import staffroom
from staffroom.accounts.models import RegistrationMode
from staffroom.accounts.selectors import site_configuration
from staffroom.profiles.uris import instance_base_url
from staffroom.profiles.usage import site_usage

SCHEMA_VERSIONS = ("2.0", "2.1")
SOFTWARE_NAME = "staffroom"  # NodeInfo allows only [a-z0-9-]


def schema_url(version: str) -> str:
    return f"http://nodeinfo.diaspora.software/ns/schema/{version}"


class NodeInfoLink(TypedDict):
    rel: str
    href: str


class NodeInfoSoftware(TypedDict):
    name: str
    version: str


class NodeInfoUsers(TypedDict):
    total: int
    activeMonth: int
    activeHalfyear: int


class NodeInfoUsage(TypedDict):
    users: NodeInfoUsers
    localPosts: int


class NodeInfoServices(TypedDict):
    outbound: list[str]
    inbound: list[str]


class NodeInfoMetadata(TypedDict):
    nodeName: str
    nodeDescription: str


class NodeInfo(TypedDict):
    version: Literal["2.0", "2.1"]
    software: NodeInfoSoftware
    protocols: list[str]
    services: NodeInfoServices
    usage: NodeInfoUsage
    openRegistrations: bool
    metadata: NodeInfoMetadata


def nodeinfo_links() -> dict[str, list[NodeInfoLink]]:
    base = instance_base_url()
    return {
        "links": [
            {"rel": schema_url(version), "href": f"{base}/nodeinfo/{version}"}
            for version in SCHEMA_VERSIONS
        ]
    }


def nodeinfo_document(version: Literal["2.0", "2.1"]) -> NodeInfo:
    usage = site_usage()
    mode = site_configuration().registration_mode
    return {
        "version": version,
        "software": {"name": SOFTWARE_NAME, "version": staffroom.__version__},
        # Empty until ActivityPub lands: listing it would send servers here to federate.
        "protocols": [],
        "services": {"outbound": [], "inbound": []},
        "usage": {
            "users": {
                "total": usage.users_total,
                "activeMonth": usage.active_month,
                "activeHalfyear": usage.active_halfyear,
            },
            "localPosts": usage.local_posts,
        },
        "openRegistrations": mode in {RegistrationMode.OPEN, RegistrationMode.APPROVAL},
        "metadata": {
            "nodeName": settings.STAFFROOM_NAME,
            "nodeDescription": settings.STAFFROOM_DESCRIPTION,
        },
    }


@require_GET
def well_known_nodeinfo(request: HttpRequest) -> JsonResponse:
    return JsonResponse(nodeinfo_links())


@require_GET
def nodeinfo(request: HttpRequest, version: str) -> JsonResponse:
    if version not in SCHEMA_VERSIONS:
        raise Http404
    document = nodeinfo_document("2.0" if version == "2.0" else "2.1")
    content_type = f'application/json; profile="{schema_url(version)}#"'
    return JsonResponse(document, content_type=content_type)
