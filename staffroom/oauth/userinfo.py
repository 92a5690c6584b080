"""The OpenID-style claims of `/oauth/userinfo`, as Mastodon's `OauthUserinfoSerializer`.

Mastodon answers exactly these six: no e-mail address and no website, so neither is here.
"""

from __future__ import annotations

from django.templatetags.static import static

from staffroom.accounts.models import User
from staffroom.core.images import media_url
from staffroom.oauth.issuer import oauth_issuer
from staffroom.profiles.uris import instance_base_url, local_profile_uri

DEFAULT_AVATAR = "web/default-avatar.png"


def _absolute(url: str) -> str:
    return url if url.startswith(("https://", "http://")) else instance_base_url() + url


def userinfo_claims(user: User) -> dict[str, str]:
    """`sub` is the account's ActivityPub URI and `profile` its public page, as Mastodon."""
    profile = user.profile
    avatar = media_url(profile.avatar) if profile.avatar else static(DEFAULT_AVATAR)
    return {
        "iss": oauth_issuer(),
        "sub": local_profile_uri(profile.handle),
        "name": profile.display_name,
        "preferred_username": profile.handle,
        "profile": f"{instance_base_url()}/@{profile.handle}",
        "picture": _absolute(avatar),
    }
