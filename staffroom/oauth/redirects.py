"""Which redirect URIs an application may register (ASVS 10.4.1, A-9).

Mastodon apps use the out-of-band URI, https pages, custom app schemes
(`tusky://oauth`) and, for native apps, loopback http (RFC 8252). Schemes that run code or
read local files, and plain http anywhere but loopback, are refused.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

OOB_REDIRECT_URI = "urn:ietf:wg:oauth:2.0:oob"
MAX_REDIRECT_URIS = 10
MAX_REDIRECT_URI_LENGTH = 2000
FORBIDDEN_SCHEMES = frozenset(
    {"javascript", "data", "file", "vbscript", "blob", "about", "ftp", "ws", "wss", "urn"}
)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]{0,63}$")


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def redirect_uri_problem(uri: str) -> str | None:
    """Why `uri` cannot be a redirect URI, or None when it can."""
    if uri == OOB_REDIRECT_URI:
        return None
    if len(uri) > MAX_REDIRECT_URI_LENGTH or any(ch.isspace() for ch in uri):
        return "is too long or contains spaces"
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if not _SCHEME.match(scheme) or scheme in FORBIDDEN_SCHEMES:
        return "uses a scheme that is not allowed"
    if parts.fragment:
        return "must not contain a fragment"
    if scheme == "https" and not parts.hostname:
        return "needs a host"
    if scheme == "http" and not _is_loopback(parts.hostname):
        return "must use https (plain http is allowed only for 127.0.0.1 or localhost)"
    return None
