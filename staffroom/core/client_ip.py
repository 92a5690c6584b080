"""The real client address: proxy headers count only when a trusted proxy sent them."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in settings.STAFFROOM_TRUSTED_PROXIES:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request: HttpRequest) -> str:
    """The address to rate-limit and log.

    `X-Forwarded-For` is read right to left, skipping trusted proxies, and only when the
    direct peer is itself a trusted proxy; a client cannot choose its own address by sending
    the header (CVE-2023-49952).
    """
    remote = str(request.META.get("REMOTE_ADDR") or "0.0.0.0")  # noqa: S104 - placeholder
    if not _is_trusted_proxy(remote):
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted_proxy(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote
    return remote


def client_ip_for_axes(request: HttpRequest) -> str:
    """django-axes hook (AXES_CLIENT_IP_CALLABLE)."""
    return client_ip(request)
