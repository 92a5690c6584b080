"""Which push endpoints Staffroom will send to (SSRF rule, docs/subsystems/push.md).

An endpoint is a URL an app hands us and we later POST to, so it must not let anyone aim the
server at its own network: https only (plain http outside production), and every address
its host resolves to must be public. Checked when an app subscribes and again before each
push, since DNS may change in between. `PUSH_ALLOWED_ADDRESSES` lets named addresses
through (a push server on the same machine, the tests' 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

MAX_ENDPOINT_LENGTH = 2048


class ForbiddenEndpoint(ValueError):
    """An endpoint we will not send to; the message says why, for a person."""


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def endpoint_shape_check(endpoint: str) -> str:
    """The endpoint, checked for what its text alone decides: length, scheme, host."""
    if not endpoint or len(endpoint) > MAX_ENDPOINT_LENGTH:
        raise ForbiddenEndpoint(_("The push endpoint must be a URL of at most 2048 characters."))
    if any(character.isspace() or not character.isprintable() for character in endpoint):
        raise ForbiddenEndpoint(
            _("The push endpoint must not contain spaces or control characters.")
        )
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError as error:
        raise ForbiddenEndpoint(_("The push endpoint is not a valid URL.")) from error
    allowed = {"https", "http"} if settings.PUSH_ALLOW_HTTP else {"https"}
    if parts.scheme not in allowed:
        raise ForbiddenEndpoint(_("The push endpoint must be an https URL."))
    if not parts.hostname or parts.username or parts.password:
        raise ForbiddenEndpoint(_("The push endpoint must name a host, without a user name."))
    if port == 0:
        raise ForbiddenEndpoint(_("The push endpoint is not a valid URL."))
    return endpoint


def endpoint_addresses_check(endpoint: str) -> None:
    """Refuse an endpoint whose host resolves to a private, loopback, link-local or other
    non-public address (or does not resolve)."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise ForbiddenEndpoint(_("The push endpoint's host could not be found.")) from error
    allowed = set(settings.PUSH_ALLOWED_ADDRESSES)
    addresses = {str(entry[4][0]) for entry in found}
    if not addresses:
        raise ForbiddenEndpoint(_("The push endpoint's host could not be found."))
    for address in addresses:
        if address not in allowed and not _is_public(address):
            raise ForbiddenEndpoint(
                _("The push endpoint points at a private or reserved network address.")
            )


def endpoint_check(endpoint: str) -> str:
    """Both checks, as at subscription time."""
    endpoint_shape_check(endpoint)
    endpoint_addresses_check(endpoint)
    return endpoint
