"""The administrators' custom emoji page (`/moderation/emojis`): upload, disable or enable,
list in pickers or not, delete. Every change goes through `emojis.services`."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from staffroom.core.exceptions import DomainError, NotFound
from staffroom.emojis import services
from staffroom.emojis.forms import EmojiForm
from staffroom.emojis.selectors import emoji_image, emojis_for_admin
from staffroom.moderation.views._common import acting_user, admins_only
from staffroom.web.errors import error_text

# What each button on a row asks of `custom_emoji_update`: (disabled, visible_in_picker).
ACTIONS: dict[str, tuple[bool | None, bool | None]] = {
    "disable": (True, None),
    "enable": (False, None),
    "show": (None, True),
    "hide": (None, False),
}


def _page(request: HttpRequest, form: EmojiForm | None = None, code: int = 200) -> HttpResponse:
    rows = [(emoji, emoji_image(emoji)) for emoji in emojis_for_admin()]
    context = {"rows": rows, "form": form or EmojiForm(), "current": "emojis"}
    return render(request, "emojis/admin.html", context, status=code)


@admins_only
@require_http_methods(["GET", "POST"])
def emoji_admin(request: HttpRequest) -> HttpResponse:
    """Every emoji, with a form to upload one; POST uploads it."""
    if request.method != "POST":
        return _page(request)
    form = EmojiForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, 422)
    data = form.cleaned_data
    try:
        emoji = services.custom_emoji_create(
            actor=acting_user(request),
            shortcode=data["shortcode"],
            image=data["image"],
            category=data["category"],
            visible_in_picker=data["visible_in_picker"],
        )
    except DomainError as error:
        form.add_error(None, error_text(error))
        return _page(request, form, error.status_code)
    messages.success(request, _("The emoji :%(code)s: is added.") % {"code": emoji.shortcode})
    return redirect("emojis:admin")


@admins_only
@require_POST
def emoji_action(request: HttpRequest, emoji_id: str, action: str) -> HttpResponse:
    actor = acting_user(request)
    if action == "delete":
        services.custom_emoji_delete(actor=actor, emoji_id=emoji_id)
        messages.success(request, _("The emoji is deleted."))
        return redirect("emojis:admin")
    if action not in ACTIONS:
        raise NotFound("Record not found")
    disabled, visible = ACTIONS[action]
    emoji = services.custom_emoji_update(
        actor=actor, emoji_id=emoji_id, disabled=disabled, visible_in_picker=visible
    )
    messages.success(request, _("The emoji :%(code)s: is saved.") % {"code": emoji.shortcode})
    return redirect("emojis:admin")
