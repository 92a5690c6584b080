"""URIs of local actors, built from STAFFROOM_DOMAIN (which never changes once set)."""

from __future__ import annotations

from django.conf import settings


def instance_base_url() -> str:
    return f"{settings.STAFFROOM_SCHEME}://{settings.STAFFROOM_DOMAIN}"


def local_profile_uri(handle: str) -> str:
    return f"{instance_base_url()}/users/{handle}"
