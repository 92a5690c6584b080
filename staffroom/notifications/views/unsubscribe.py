"""One-click unsubscribe from notification e-mails, by the signed link every e-mail
carries: no sign-in needed (the token is the proof)."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from staffroom.core.exceptions import ValidationFailed
from staffroom.notifications import services


def _looks_signed(token: str) -> bool:
    """Whether the token carries a valid signature (the GET page checks it only to say
    early that a link is broken; `services.unsubscribe` decides on POST)."""
    try:
        signing.loads(token, salt=services.UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return False
    return True


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/unsubscribe_invalid.html", status=400)


# csrf_exempt on this view only: mail clients' one-click unsubscribe (RFC 8058) POSTs
# "List-Unsubscribe=One-Click" straight to the link, with no session and no CSRF cookie.
# Nothing here acts on a session: the signed token alone names the teacher, and the only
# effect is turning their e-mails off, so a forged cross-site POST gains nothing.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """`/notifications/unsubscribe/<token>`: GET shows one "Unsubscribe" button; POST turns
    every notification e-mail off. A tampered token is a 400 and nothing changes."""
    if request.method == "GET":
        if not _looks_signed(token):
            return _invalid(request)
        return render(request, "notifications/unsubscribe.html", {"token": token})
    try:
        services.unsubscribe(token)
    except ValidationFailed:
        return _invalid(request)
    return render(request, "notifications/unsubscribed.html")
