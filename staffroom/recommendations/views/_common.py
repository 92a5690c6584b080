"""What the suggestion and starter pack pages share: the viewer, htmx, safe `next` links,
how a domain error reads on a page, and the words for each kind of reason."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

# How a reason's kind reads next to its sentence (the API keeps the raw kinds).
REASON_LABELS: dict[str, Any] = {
    "followed_by_followees": _("Your network"),
    "followed_by_followers": _("Your followers"),
    "follows_you": _("Follows you"),
    "similar_interests": _("Shared interests"),
    "lists": _("Your lists"),
    "similar_profile": _("Like you"),
    "followed_by_similar_profiles": _("Teachers like you"),
    "like_your_network": _("Like your network"),
    "popular": _("Popular here"),
    "starter_pack": _("Starter pack"),
    "learning": _("Ways of learning"),
    "purpose_resources": _("Resources"),
    "purpose_practices": _("Best practices"),
    "purpose_inspiration": _("Inspiration"),
    "purpose_support": _("Support"),
    "purpose_mentorship": _("Mentorship"),
}


def reason_label(kind: str) -> str:
    return str(REASON_LABELS.get(kind, _("Why")))


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def safe_next(request: HttpRequest, default: str) -> str:
    """The POSTed `next` when it stays on this site, else `default`."""
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default
