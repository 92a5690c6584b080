"""The authorization server's issuer identifier, one value everywhere it is said."""

from __future__ import annotations

from staffroom.profiles.uris import instance_base_url


def oauth_issuer() -> str:
    """The configured instance's root URL with a trailing slash, as Mastodon's `root_url`.

    Never derived from the request's Host: a client compares it with the `iss` of each
    authorization response (RFC 9207), which the toolkit takes from
    `OAUTH2_PROVIDER["OIDC_ISS_ENDPOINT"]`, built from the same two settings.
    """
    return f"{instance_base_url()}/"
